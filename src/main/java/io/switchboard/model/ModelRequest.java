package io.switchboard.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
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
 * {@code tools} are the functions offered to the model for the assistant's own turns (none by default);
 * the turns of a tool loop (an assistant turn with its calls, a tool turn per result) are in {@code messages}.
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
        OpenAiBody openAi,
        Tools tools) {

    public ModelRequest {
        grounding = grounding == null ? Grounding.none() : grounding;
        tools = tools == null ? Tools.NONE : tools;
    }

    public ModelRequest(
            UUID tenantId,
            String tenant,
            Source source,
            String model,
            List<Turn> messages,
            Grounding grounding,
            Integer maxOutputTokens,
            boolean streamed,
            OpenAiBody openAi) {
        this(tenantId, tenant, source, model, messages, grounding, maxOutputTokens, streamed, openAi, Tools.NONE);
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
        this(tenantId, tenant, source, model, messages, grounding, maxOutputTokens, streamed, null, Tools.NONE);
    }

    public ModelRequest withModel(String name) {
        return new ModelRequest(
                tenantId, tenant, source, name, messages, grounding, maxOutputTokens, streamed, openAi, tools);
    }

    public ModelRequest withOpenAi(OpenAiBody body) {
        return new ModelRequest(
                tenantId, tenant, source, model, messages, grounding, maxOutputTokens, streamed, body, tools);
    }

    /** The same request offering these tools. */
    public ModelRequest withTools(Tools offered) {
        return new ModelRequest(
                tenantId, tenant, source, model, messages, grounding, maxOutputTokens, streamed, openAi, offered);
    }

    /**
     * The same request continued with more turns: a tool loop appends the model's turn with its
     * calls ({@link Turn#calling}) and a result per call ({@link Turn#toolResult}), then asks again.
     */
    public ModelRequest continuedWith(List<Turn> more) {
        List<Turn> all = new ArrayList<>(messages);
        all.addAll(more);
        return new ModelRequest(
                tenantId, tenant, source, model, all, grounding, maxOutputTokens, streamed, openAi, tools);
    }

    /**
     * What a model must be able to do to answer: call tools, answer in JSON mode, see images; none
     * for a text request. Turns of a tool loop need a model that calls tools, as only such a model
     * reads them; offered {@link #tools} alone do not (see {@link #forModelWithoutTools()}).
     */
    public Set<Capabilities.Need> needs() {
        if (openAi != null) {
            return openAi.needs();
        }
        return messages.stream().anyMatch(Turn::ofToolLoop) ? EnumSet.of(Capabilities.Need.TOOLS) : Set.of();
    }

    /**
     * The request for a model that does not call tools (the built-in retrieval answerer, an
     * in-process model, a model whose probe found none): without the offer, so it answers in text.
     */
    ModelRequest forModelWithoutTools() {
        return tools.offered().isEmpty() ? this : withTools(Tools.NONE);
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
        ASSISTANT,
        /** A tool's result, answering one call of the assistant turn before it. */
        TOOL
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

    /**
     * One message. An {@link Role#ASSISTANT} turn may carry the tool calls the model made ({@code text}
     * then what it said besides, often empty); a {@link Role#TOOL} turn carries one call's result,
     * with that call's id.
     */
    public record Turn(Role role, String text, List<ToolCall> toolCalls, String toolCallId) {

        public Turn {
            Objects.requireNonNull(role);
            toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
            if (!toolCalls.isEmpty() && role != Role.ASSISTANT) {
                throw new IllegalArgumentException("Only an assistant turn carries tool calls");
            }
            if ((role == Role.TOOL) != (toolCallId != null)) {
                throw new IllegalArgumentException("A tool turn, and only one, answers a tool call by its id");
            }
        }

        public Turn(Role role, String text) {
            this(role, text, List.of(), null);
        }

        /** The model's turn that called tools, as the model answered it ({@link ModelReply#toolCalls()}). */
        public static Turn calling(String text, List<ToolCall> calls) {
            return new Turn(Role.ASSISTANT, text, calls, null);
        }

        /** A tool's result for the call with this id: the text the model reads (JSON as the tool answered, or an error). */
        public static Turn toolResult(String toolCallId, String content) {
            return new Turn(Role.TOOL, content, List.of(), Objects.requireNonNull(toolCallId));
        }

        boolean ofToolLoop() {
            return role == Role.TOOL || !toolCalls.isEmpty();
        }
    }

    /** A function the model may call: its name, what it does (the model reads it), and the JSON Schema of its arguments. */
    public record Tool(String name, String description, JsonNode parameters) {

        public Tool {
            Objects.requireNonNull(name);
            Objects.requireNonNull(parameters);
        }
    }

    /**
     * Whether and which tool the model must call: {@code AUTO} lets it choose (what a model does
     * when not told), {@code NONE} forbids calls, {@code REQUIRED} asks for at least one, and
     * {@code FUNCTION} for the one named.
     */
    public record ToolChoice(Mode mode, String function) {

        public static final ToolChoice AUTO = new ToolChoice(Mode.AUTO, null);
        public static final ToolChoice NONE = new ToolChoice(Mode.NONE, null);
        public static final ToolChoice REQUIRED = new ToolChoice(Mode.REQUIRED, null);

        public enum Mode {
            AUTO,
            NONE,
            REQUIRED,
            FUNCTION
        }

        public ToolChoice {
            Objects.requireNonNull(mode);
            if ((mode == Mode.FUNCTION) != (function != null)) {
                throw new IllegalArgumentException("A function, and only it, is named");
            }
        }

        public static ToolChoice function(String name) {
            return new ToolChoice(Mode.FUNCTION, name);
        }
    }

    /** The tools offered and the choice; {@link #NONE} offers none. */
    public record Tools(List<Tool> offered, ToolChoice choice) {

        public static final Tools NONE = new Tools(List.of(), ToolChoice.AUTO);

        public Tools {
            offered = List.copyOf(offered);
            choice = choice == null ? ToolChoice.AUTO : choice;
        }

        public static Tools offering(List<Tool> offered) {
            return new Tools(offered, ToolChoice.AUTO);
        }
    }
}
