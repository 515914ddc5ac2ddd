package io.switchboard.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * A chat request: the model to use on the endpoint, the assembled messages and the knowledge
 * they are grounded in. {@code tenant} is the slug, for metrics and logs; {@code source} says
 * whether a bot turn or the tenant's own API call asked, for metering. {@code maxOutputTokens}
 * (null: the model's own limit) is sent to the model and enforced on what it streams back.
 * {@code streamed} is false when the caller takes only the whole answer (a non-streaming API
 * call): the model is then asked for it in one response, as the caller asked us, which spares
 * both sides an event per token; only the total timeout applies, as no token arrives before it.
 * {@code openAi} (null unless the tenant's own OpenAI client asked) is the caller's body as it came,
 * for providers that speak OpenAI: they send it with only what the policy owns changed and hand each
 * chunk the server sends to its listener; other providers answer from {@code messages}.
 */
public record ModelRequest(
        UUID tenantId,
        String tenant,
        Source source,
        String model,
        List<Turn> messages,
        Grounding grounding,
        Integer maxOutputTokens,
        boolean streamed,
        OpenAiBody openAi) {

    public ModelRequest {
        grounding = grounding == null ? Grounding.none() : grounding;
    }

    public ModelRequest(
            UUID tenantId,
            String tenant,
            Source source,
            String model,
            List<Turn> messages,
            Grounding grounding,
            Integer maxOutputTokens,
            boolean streamed) {
        this(tenantId, tenant, source, model, messages, grounding, maxOutputTokens, streamed, null);
    }

    public ModelRequest withModel(String name) {
        return new ModelRequest(tenantId, tenant, source, name, messages, grounding, maxOutputTokens, streamed, openAi);
    }

    public ModelRequest withOpenAi(OpenAiBody body) {
        return new ModelRequest(tenantId, tenant, source, model, messages, grounding, maxOutputTokens, streamed, body);
    }

    /** What a model must be able to do to answer: call tools, answer in JSON mode, see images; none for a text request. */
    public Set<Capabilities.Need> needs() {
        return openAi == null ? Set.of() : openAi.needs();
    }

    /**
     * An OpenAI chat-completion body to pass through. The provider replaces only {@code model}, the
     * token cap ({@code max_completion_tokens} or {@code max_tokens}) and {@code stream} with
     * {@code stream_options.include_usage} (always asked for, to meter the call); everything else
     * (tools, tool results, content parts, response_format, seed, unknown fields) reaches the model as the caller sent it.
     * {@code needs} are the capabilities the body asks of a model, which the router skips models without.
     */
    public record OpenAiBody(ObjectNode body, Set<Capabilities.Need> needs, ChunkListener chunks) {

        public OpenAiBody {
            needs = Set.copyOf(needs);
        }

        public OpenAiBody listenedBy(ChunkListener listener) {
            return new OpenAiBody(body, needs, listener);
        }
    }

    /** What a chunk of the server's answer carries, so the caller knows which to forward and when a fallback is still possible. */
    public enum ChunkKind {
        /** Nothing of the answer: a role delta, handed over just before the answer's first chunk. */
        PREAMBLE,
        /** Text, a tool call's fragment or a finish reason; or a whole completion that was not streamed. */
        ANSWER,
        /** Only the token usage, the last chunk when usage was asked for. */
        USAGE
    }

    /**
     * A chunk of the answer as the server sent it: the JSON of one event's data, or the whole
     * completion; {@code modelStart} to {@code modelEnd} (exclusive) is where its top-level
     * {@code model} value is in {@code json}, both -1 when it names none.
     */
    public record Chunk(byte[] json, ChunkKind kind, int modelStart, int modelEnd) {}

    /**
     * Receives each chunk of one answer: role deltas only together with the first chunk of the
     * answer from the same call, so a call that fails before answering leaves nothing to relay.
     */
    @FunctionalInterface
    public interface ChunkListener {
        void accept(Chunk chunk);
    }

    public enum Role {
        SYSTEM,
        USER,
        ASSISTANT
    }

    /**
     * Who asked: the assistant in a conversation, the tenant through the OpenAI-compatible API, or
     * a replay evaluation of a candidate model.
     */
    public enum Source {
        CONVERSATION,
        API,
        EVALUATION;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public record Turn(Role role, String text) {}
}
