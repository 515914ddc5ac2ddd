package io.switchboard.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** The OpenAI chat-completions wire format: the part Switchboard reads and the part it writes. */
public final class ChatCompletions {

    private ChatCompletions() {}

    static final int MAX_MODEL_CHARS = 300;
    static final int MAX_MESSAGES = 500;
    static final int MAX_MESSAGE_CHARS = 200_000;

    /**
     * The fields Switchboard reads of an OpenAI chat completion request; the rest (tools,
     * response_format, seed, sampling, unknown fields) it passes to OpenAI-compatible models as it came.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Request(
            String model,
            List<InputMessage> messages,
            Boolean stream,
            @JsonProperty("stream_options") StreamOptions streamOptions,
            @JsonProperty("max_tokens") Integer maxTokens,
            @JsonProperty("max_completion_tokens") Integer maxCompletionTokens,
            JsonNode tools,
            @JsonProperty("response_format") JsonNode responseFormat,
            Integer n) {

        /**
         * What is wrong with the request, one {@code field: problem} each, named as on the wire.
         * Checked here rather than by Bean Validation, whose per-call cost showed in profiles of this proxy's hot path.
         */
        public List<String> problems() {
            List<String> problems = new ArrayList<>();
            if (model != null && model.length() > MAX_MODEL_CHARS) {
                problems.add("model: at most " + MAX_MODEL_CHARS + " characters");
            }
            if (messages == null || messages.isEmpty()) {
                problems.add("messages: must hold at least one message");
            } else if (messages.size() > MAX_MESSAGES) {
                problems.add("messages: at most " + MAX_MESSAGES + " messages");
            } else {
                for (int i = 0; i < messages.size(); i++) {
                    InputMessage message = messages.get(i);
                    if (message == null) {
                        problems.add("messages[" + i + "]: must be a message");
                    } else {
                        message.problems("messages[" + i + "]", problems);
                    }
                }
            }
            if (maxTokens != null && maxTokens < 1) {
                problems.add("max_tokens: must be at least 1");
            }
            if (maxCompletionTokens != null && maxCompletionTokens < 1) {
                problems.add("max_completion_tokens: must be at least 1");
            }
            if (n != null && n < 1) {
                problems.add("n: must be at least 1");
            }
            if (tools != null && !tools.isNull() && !tools.isArray()) {
                problems.add("tools: must be an array of tools");
            }
            return problems;
        }

        /** How many choices the caller asks for (n); a model that does not speak OpenAI answers one. */
        public int choices() {
            return n == null ? 1 : n;
        }

        /** The newer field wins; either limits each choice of the answer, as OpenAI's does. */
        public Integer maxOutputTokens() {
            return maxCompletionTokens != null ? maxCompletionTokens : maxTokens;
        }

        public boolean streaming() {
            return Boolean.TRUE.equals(stream);
        }

        public boolean includeUsage() {
            return streamOptions != null && Boolean.TRUE.equals(streamOptions.includeUsage());
        }

        /** Whether only a model that calls tools can answer: tools are offered, or a tool call or its result is in the conversation. */
        public boolean needsTools() {
            return (tools != null && tools.isArray() && !tools.isEmpty())
                    || messages.stream().anyMatch(message -> "tool".equals(message.role()) || message.callsTools());
        }

        /** What a model must be able to do to answer: call tools, answer in JSON mode ({@code json_object} or {@code json_schema}), see images. */
        public Set<Capabilities.Need> needs() {
            Set<Capabilities.Need> needs = EnumSet.noneOf(Capabilities.Need.class);
            if (needsTools()) {
                needs.add(Capabilities.Need.TOOLS);
            }
            String format =
                    responseFormat == null ? "" : responseFormat.path("type").asText();
            if (format.equals("json_object") || format.equals("json_schema")) {
                needs.add(Capabilities.Need.JSON_MODE);
            }
            if (firstPart(IMAGE_PARTS) != null) {
                needs.add(Capabilities.Need.IMAGES);
            }
            return needs;
        }

        /** Where the first image part is, as {@code messages[i].content[j]}; null when there is none. */
        public String firstImagePart() {
            return firstPart(IMAGE_PARTS);
        }

        /** Where the first audio or file part is: no probe records which models take them. Null when there is none. */
        public String firstAudioOrFilePart() {
            return firstPart(AUDIO_AND_FILE_PARTS);
        }

        private String firstPart(Set<String> types) {
            for (int i = 0; i < messages.size(); i++) {
                int j = messages.get(i).firstPart(types);
                if (j >= 0) {
                    return "messages[" + i + "].content[" + j + "]";
                }
            }
            return null;
        }
    }

    /**
     * A message as OpenAI defines it: content as text, as content parts, or null (an assistant's
     * tool calls); a tool message answers the call its {@code tool_call_id} names.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record InputMessage(
            String role,
            JsonNode content,
            @JsonProperty("tool_calls") JsonNode toolCalls,
            @JsonProperty("tool_call_id") String toolCallId) {

        /** The text of the content: the text itself, or its text parts joined. */
        public String text() {
            if (content == null || content.isNull()) {
                return "";
            }
            if (content.isTextual()) {
                return content.textValue();
            }
            StringBuilder text = new StringBuilder();
            for (JsonNode part : content) {
                if ("text".equals(part.path("type").asText())
                        || "refusal".equals(part.path("type").asText())) {
                    text.append(part.path(part.has("text") ? "text" : "refusal").asText());
                }
            }
            return text.toString();
        }

        boolean callsTools() {
            return toolCalls != null && toolCalls.isArray() && !toolCalls.isEmpty();
        }

        int firstPart(Set<String> types) {
            if (content == null || !content.isArray()) {
                return -1;
            }
            for (int j = 0; j < content.size(); j++) {
                if (types.contains(content.get(j).path("type").asText())) {
                    return j;
                }
            }
            return -1;
        }

        void problems(String at, List<String> problems) {
            if (role == null || role.isBlank()) {
                problems.add(at + ".role: must not be blank");
            }
            if ("tool".equals(role) && (toolCallId == null || toolCallId.isBlank())) {
                problems.add(at + ".tool_call_id: a tool message must name the tool call it answers");
            }
            if (content == null || content.isNull()) {
                if (!("assistant".equals(role) && callsTools())) {
                    problems.add(at + ".content: must be text or content parts (null only beside tool_calls)");
                }
            } else if (content.isArray()) {
                for (int j = 0; j < content.size(); j++) {
                    String type = content.get(j).path("type").asText();
                    if (!TEXT_PARTS.contains(type) && !MEDIA_PARTS.contains(type)) {
                        problems.add(at + ".content[" + j + "].type: unknown content part type '" + type + "'");
                    } else if ("text".equals(type)
                            && !content.get(j).path("text").isTextual()) {
                        problems.add(at + ".content[" + j + "].text: must be text");
                    }
                }
            } else if (!content.isTextual()) {
                problems.add(at + ".content: must be text or content parts");
            }
            if (text().length() > MAX_MESSAGE_CHARS) {
                problems.add(at + ".content: at most " + MAX_MESSAGE_CHARS + " characters");
            }
        }
    }

    private static final Set<String> TEXT_PARTS = Set.of("text", "refusal");
    private static final Set<String> IMAGE_PARTS = Set.of("image_url");
    private static final Set<String> AUDIO_AND_FILE_PARTS = Set.of("input_audio", "file");
    private static final Set<String> MEDIA_PARTS = Set.of("image_url", "input_audio", "file");

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record StreamOptions(
            @JsonProperty("include_usage") Boolean includeUsage) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Message(String role, String content) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Completion(String id, String object, long created, String model, List<Choice> choices, Usage usage) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Choice(
            int index,
            Message message,
            Delta delta,
            @JsonProperty("finish_reason") String finishReason) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Delta(String role, String content) {}

    public record Usage(
            @JsonProperty("prompt_tokens") int promptTokens,
            @JsonProperty("completion_tokens") int completionTokens,
            @JsonProperty("total_tokens") int totalTokens) {}

    public record ModelList(String object, List<ModelEntry> data) {}

    public record ModelEntry(
            String id,
            String object,
            long created,
            @JsonProperty("owned_by") String ownedBy) {}

    /** OpenAI's error shape, which its clients parse: all four fields, {@code param} and {@code code} null when none applies. */
    public record Error(ErrorBody error) {

        public static Error of(String message, String type, String param, String code) {
            return new Error(new ErrorBody(message, type, param, code));
        }
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record ErrorBody(String message, String type, String param, String code) {}
}
