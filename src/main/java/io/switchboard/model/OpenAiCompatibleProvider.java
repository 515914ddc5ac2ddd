package io.switchboard.model;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Streams from an OpenAI-compatible server (vLLM, SGLang, Ollama, llama.cpp, hosted routers) with
 * the Vert.x HTTP client and a server-sent-events reader of its own, enforcing connect, first-token
 * and total timeouts with event-loop timers; a request that is not {@linkplain ModelRequest#streamed()
 * streamed} gets the whole answer in one JSON response, under the total timeout. A call runs start
 * to finish on one event loop: no thread waits for the model, and none is handed the stream midway
 * (docs/benchmarks-archive.md measured each hand-over in what `/v1` adds to a model call). This class
 * holds what the endpoint's calls share (address, key, connection pools, the request body's form);
 * {@link OpenAiCompatibleCall} carries out each chat call, {@link OpenAiEmbeddingsCall} each embeddings call.
 */
final class OpenAiCompatibleProvider implements ModelProvider, AutoCloseable {

    private static final JsonFactory JSON = new JsonFactory();
    private static final ObjectMapper TREES = new ObjectMapper(JSON);
    /** Keep-alive connections per endpoint and event loop: more concurrent calls than this wait for a free one. */
    private static final int MAX_CONNECTIONS = 1000;

    private static final int KEEP_ALIVE_SECONDS = 4;

    private final ModelEndpoint endpoint;
    private final Vertx vertx;
    private final HttpClientOptions clientOptions;
    /**
     * One client (and so one connection pool) per event loop: a pooled connection lives on the loop
     * that opened it, and a call from another loop would hop to it and back for every write and read.
     */
    private final Map<Thread, HttpClient> clients = new ConcurrentHashMap<>();

    private final String completions;
    private final String embeddings;
    private final String authorization;

    OpenAiCompatibleProvider(ModelEndpoint endpoint, Vertx vertx) {
        this.endpoint = endpoint;
        this.vertx = vertx;
        String baseUrl = endpoint.baseUrl().orElseThrow();
        String base = baseUrl.endsWith("/") ? baseUrl : baseUrl + "/";
        this.completions = base + "chat/completions";
        this.embeddings = base + "embeddings";
        this.authorization = endpoint.apiKeyRef()
                .flatMap(ApiKeyReference::resolve)
                .map(key -> "Bearer " + key)
                .orElse(null);
        this.clientOptions = new HttpClientOptions()
                .setProtocolVersion(HttpVersion.HTTP_1_1)
                .setSsl("https".equals(URI.create(completions).getScheme()))
                .setConnectTimeout((int) endpoint.connectTimeout().toMillis())
                .setKeepAlive(true)
                // Close idle connections before the server does (uvicorn, under vLLM and SGLang, after 5 s), not while
                // reusing one.
                .setKeepAliveTimeout(KEEP_ALIVE_SECONDS)
                .setTcpNoDelay(true);
    }

    @Override
    public CompletableFuture<ModelReply> stream(ModelRequest request, TokenSink sink) {
        return EventLoops.start(vertx, () -> new OpenAiCompatibleCall(this, vertx, endpoint, request, sink).start());
    }

    @Override
    public CompletableFuture<Embeddings> embeddings(byte[] body) {
        return EventLoops.start(vertx, () -> new OpenAiEmbeddingsCall(this, vertx, endpoint, body).start());
    }

    @Override
    public void close() {
        clients.values().forEach(HttpClient::close);
    }

    /** Opens a request to the chat-completions URL on the calling event loop's connection pool. */
    Future<HttpClientRequest> open(boolean streamed) {
        return open(completions, streamed ? "text/event-stream" : "application/json");
    }

    /** Opens a request to the embeddings URL, like {@link #open(boolean)}. */
    Future<HttpClientRequest> openEmbeddings() {
        return open(embeddings, "application/json");
    }

    private Future<HttpClientRequest> open(String uri, String accept) {
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setAbsoluteURI(uri)
                .putHeader("Content-Type", "application/json")
                .putHeader("Accept", accept);
        if (authorization != null) {
            options.putHeader("Authorization", authorization);
        }
        HttpClient client = clients.computeIfAbsent(
                Thread.currentThread(),
                loop -> vertx.createHttpClient(clientOptions, new PoolOptions().setHttp1MaxSize(MAX_CONNECTIONS)));
        return client.request(options);
    }

    /**
     * The request body: the caller's own OpenAI body with what the policy owns replaced, or else
     * written field by field from the turns (a tree of nodes first would be built only to be serialised once).
     */
    static Buffer body(ModelRequest request) {
        if (request.openAi() != null) {
            return passedThrough(request);
        }
        ByteArrayBuilder bytes = new ByteArrayBuilder(256);
        try (JsonGenerator json = JSON.createGenerator(bytes)) {
            json.writeStartObject();
            json.writeStringField("model", request.model());
            json.writeArrayFieldStart("messages");
            for (ModelRequest.Turn turn : request.messages()) {
                writeTurn(json, turn);
            }
            json.writeEndArray();
            writeTools(json, request.tools());
            json.writeBooleanField("stream", request.streamed());
            if (request.streamed()) {
                json.writeObjectFieldStart("stream_options");
                json.writeBooleanField("include_usage", true);
                json.writeEndObject();
            }
            if (request.maxOutputTokens() != null) {
                json.writeNumberField("max_tokens", request.maxOutputTokens());
            }
            json.writeEndObject();
        } catch (IOException impossible) {
            throw new IllegalStateException(impossible);
        }
        return Buffer.buffer(bytes.toByteArray());
    }

    /** A message as OpenAI shapes it: an assistant's tool calls with their ids, a tool's result with the id of its call. */
    private static void writeTurn(JsonGenerator json, ModelRequest.Turn turn) throws IOException {
        json.writeStartObject();
        json.writeStringField("role", turn.role().name().toLowerCase(Locale.ROOT));
        if (turn.toolCalls().isEmpty() || (turn.text() != null && !turn.text().isEmpty())) {
            json.writeStringField("content", turn.text());
        } else {
            json.writeNullField("content");
        }
        if (!turn.toolCalls().isEmpty()) {
            json.writeArrayFieldStart("tool_calls");
            for (ToolCall call : turn.toolCalls()) {
                json.writeStartObject();
                json.writeStringField("id", call.id());
                json.writeStringField("type", "function");
                json.writeObjectFieldStart("function");
                json.writeStringField("name", call.name());
                json.writeStringField("arguments", call.arguments());
                json.writeEndObject();
                json.writeEndObject();
            }
            json.writeEndArray();
        }
        if (turn.toolCallId() != null) {
            json.writeStringField("tool_call_id", turn.toolCallId());
        }
        json.writeEndObject();
    }

    /** The offered functions and the tool choice, as OpenAI's {@code tools} and {@code tool_choice}; nothing when none is offered. */
    private static void writeTools(JsonGenerator json, ModelRequest.Tools tools) throws IOException {
        if (tools.offered().isEmpty()) {
            return;
        }
        json.writeArrayFieldStart("tools");
        for (ModelRequest.Tool tool : tools.offered()) {
            json.writeStartObject();
            json.writeStringField("type", "function");
            json.writeObjectFieldStart("function");
            json.writeStringField("name", tool.name());
            if (tool.description() != null) {
                json.writeStringField("description", tool.description());
            }
            json.writeFieldName("parameters");
            TREES.writeTree(json, tool.parameters());
            json.writeEndObject();
            json.writeEndObject();
        }
        json.writeEndArray();
        ModelRequest.ToolChoice choice = tools.choice();
        if (choice.mode() == ModelRequest.ToolChoice.Mode.FUNCTION) {
            json.writeObjectFieldStart("tool_choice");
            json.writeStringField("type", "function");
            json.writeObjectFieldStart("function");
            json.writeStringField("name", choice.function());
            json.writeEndObject();
            json.writeEndObject();
        } else {
            json.writeStringField("tool_choice", choice.mode().name().toLowerCase(Locale.ROOT));
        }
    }

    /**
     * The caller's body as it came but for the model the policy chose, the token cap (in the
     * field the caller used, {@code max_tokens} when it used none) and the stream flag; usage is
     * always asked for in a stream, to meter the call. Written field by field from the caller's
     * tree, each replaced field where the caller had it and a missing one after the rest: the
     * caller's tree is neither copied nor changed, as a fallback sends it again.
     */
    private static Buffer passedThrough(ModelRequest request) {
        ObjectNode body = request.openAi().body();
        Integer cap = request.maxOutputTokens();
        boolean capInCompletionTokens = cap != null && body.hasNonNull("max_completion_tokens");
        boolean wroteModel = false;
        boolean wroteCap = false;
        boolean wroteStream = false;
        boolean wroteOptions = false;
        ByteArrayBuilder bytes = new ByteArrayBuilder(512);
        try (JsonGenerator json = TREES.createGenerator(bytes)) {
            json.writeStartObject();
            for (Map.Entry<String, JsonNode> field : body.properties()) {
                String name = field.getKey();
                JsonNode value = field.getValue();
                switch (name) {
                    case "model" -> {
                        json.writeStringField(name, request.model());
                        wroteModel = true;
                    }
                    case "max_completion_tokens", "max_tokens" -> {
                        if (cap == null) {
                            copy(json, name, value);
                        } else if (name.equals("max_completion_tokens") == capInCompletionTokens) {
                            json.writeNumberField(name, cap);
                            wroteCap = true;
                        } else if (name.equals("max_completion_tokens")) {
                            // A null the caller sent, not a cap: passed on as it came.
                            copy(json, name, value);
                        }
                    }
                    case "stream" -> {
                        json.writeBooleanField(name, request.streamed());
                        wroteStream = true;
                    }
                    case "stream_options" -> {
                        if (request.streamed()) {
                            streamOptions(json, value);
                            wroteOptions = true;
                        }
                    }
                    default -> copy(json, name, value);
                }
            }
            if (!wroteModel) {
                json.writeStringField("model", request.model());
            }
            if (cap != null && !wroteCap) {
                json.writeNumberField("max_tokens", cap);
            }
            if (!wroteStream) {
                json.writeBooleanField("stream", request.streamed());
            }
            if (request.streamed() && !wroteOptions) {
                streamOptions(json, null);
            }
            json.writeEndObject();
        } catch (IOException impossible) {
            throw new IllegalStateException(impossible);
        }
        return Buffer.buffer(bytes.toByteArray());
    }

    private static void copy(JsonGenerator json, String name, JsonNode value) throws IOException {
        json.writeFieldName(name);
        json.writeTree(value);
    }

    /** The caller's stream options (when an object) with {@code include_usage} set. */
    private static void streamOptions(JsonGenerator json, JsonNode given) throws IOException {
        json.writeObjectFieldStart("stream_options");
        boolean wroteUsage = false;
        if (given instanceof ObjectNode options) {
            for (Map.Entry<String, JsonNode> option : options.properties()) {
                if (option.getKey().equals("include_usage")) {
                    json.writeBooleanField("include_usage", true);
                    wroteUsage = true;
                } else {
                    copy(json, option.getKey(), option.getValue());
                }
            }
        }
        if (!wroteUsage) {
            json.writeBooleanField("include_usage", true);
        }
        json.writeEndObject();
    }
}
