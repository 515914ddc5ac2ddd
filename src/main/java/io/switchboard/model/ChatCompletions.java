package io.switchboard.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;

/** The OpenAI chat-completions wire format: the part Switchboard reads and the part it writes. */
public final class ChatCompletions {

    private ChatCompletions() {}

    static final int MAX_MODEL_CHARS = 300;
    static final int MAX_MESSAGES = 500;
    static final int MAX_MESSAGE_CHARS = 200_000;

    /** Fields clients commonly send that do not change routing (temperature, top_p, ...) are accepted and ignored. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Request(
            String model,
            List<Message> messages,
            Boolean stream,
            @JsonProperty("stream_options") StreamOptions streamOptions,
            @JsonProperty("max_tokens") Integer maxTokens,
            @JsonProperty("max_completion_tokens") Integer maxCompletionTokens) {

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
                    Message message = messages.get(i);
                    if (message == null) {
                        problems.add("messages[" + i + "]: must be a message");
                        continue;
                    }
                    if (message.role() == null || message.role().isBlank()) {
                        problems.add("messages[" + i + "].role: must not be blank");
                    }
                    if (message.content() == null) {
                        problems.add("messages[" + i + "].content: must be text");
                    } else if (message.content().length() > MAX_MESSAGE_CHARS) {
                        problems.add("messages[" + i + "].content: at most " + MAX_MESSAGE_CHARS + " characters");
                    }
                }
            }
            if (maxTokens != null && maxTokens < 1) {
                problems.add("max_tokens: must be at least 1");
            }
            if (maxCompletionTokens != null && maxCompletionTokens < 1) {
                problems.add("max_completion_tokens: must be at least 1");
            }
            return problems;
        }

        /** The newer field wins; either limits the answer. */
        public Integer maxOutputTokens() {
            return maxCompletionTokens != null ? maxCompletionTokens : maxTokens;
        }

        public boolean streaming() {
            return Boolean.TRUE.equals(stream);
        }

        public boolean includeUsage() {
            return streamOptions != null && Boolean.TRUE.equals(streamOptions.includeUsage());
        }
    }

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

    /** OpenAI's error shape, which its clients parse. */
    public record Error(ErrorBody error) {

        public static Error of(String message, String type, String code) {
            return new Error(new ErrorBody(message, type, code));
        }
    }

    public record ErrorBody(String message, String type, String code) {}
}
