package io.switchboard.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

/** The OpenAI chat-completions wire format: the part Switchboard reads and the part it writes. */
public final class ChatCompletions {

    private ChatCompletions() {
    }

    /** Fields clients commonly send that do not change routing (temperature, top_p, ...) are accepted and ignored. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Request(
            @Size(max = 300) String model,
            @NotEmpty(message = "must hold at least one message") @Size(max = 500) List<@NotNull @Valid Message> messages,
            Boolean stream,
            @JsonProperty("stream_options") StreamOptions streamOptions,
            @JsonProperty("max_tokens") @Min(1) Integer maxTokens,
            @JsonProperty("max_completion_tokens") @Min(1) Integer maxCompletionTokens) {

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
    public record StreamOptions(@JsonProperty("include_usage") Boolean includeUsage) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Message(@NotBlank String role, @NotNull @Size(max = 200_000) String content) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Completion(String id, String object, long created, String model, List<Choice> choices, Usage usage) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Choice(int index, Message message, Delta delta, @JsonProperty("finish_reason") String finishReason) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Delta(String role, String content) {
    }

    public record Usage(@JsonProperty("prompt_tokens") int promptTokens, @JsonProperty("completion_tokens") int completionTokens,
            @JsonProperty("total_tokens") int totalTokens) {
    }

    public record ModelList(String object, List<ModelEntry> data) {
    }

    public record ModelEntry(String id, String object, long created, @JsonProperty("owned_by") String ownedBy) {
    }

    /** OpenAI's error shape, which its clients parse. */
    public record Error(ErrorBody error) {

        public static Error of(String message, String type, String code) {
            return new Error(new ErrorBody(message, type, code));
        }
    }

    public record ErrorBody(String message, String type, String code) {
    }
}
