package io.switchboard.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A local OpenAI-compatible server that streams like vLLM: a role delta, content deltas, a
 * finish chunk, a usage chunk, then {@code [DONE]}; a request that does not ask for a stream gets
 * the same answer as one JSON completion. Asked for {@code n} choices, an answering model gives each
 * the same answer (streamed: each chunk one choice, in turn; usage counts the tokens of all). The model
 * name picks the behaviour:
 * <ul>
 * <li>{@code echo}: answers "You said: &lt;last user message&gt;", one word per chunk; asked for JSON
 * ({@code response_format} {@code json_object} or {@code json_schema}), a JSON object {@code {"you_said": ...}}
 * instead, as every model below that answers like it</li>
 * <li>{@code slow}: the same with {@link #SLOW_TOKEN_MILLIS} between chunks</li>
 * <li>{@code no-usage}: the same without the usage chunk</li>
 * <li>{@code error-500}, {@code error-503}, {@code error-429}, {@code error-400}: that HTTP status with an OpenAI error body</li>
 * <li>{@code stall}: sends the role delta (streaming) or not even the headers, then nothing (until {@link #STALL_MILLIS})</li>
 * <li>{@code cut}: sends all but the last two words (at least three), then ends the stream with no finish reason and no [DONE];
 * not streaming, sends half of the completion and drops the connection</li>
 * <li>{@code cheap}: answers like {@code echo}; the catalogue prices it lower</li>
 * <li>{@code crlf}: answers like {@code echo}, framed as sse-starlette frames events (llama-cpp-python's server):
 * {@code data:} without a space, lines ending in CRLF</li>
 * <li>{@code bench-ttft-<n>}: for benchmarks, answers like {@code echo} after {@code n} ms</li>
 * <li>{@code think-only}: a complete answer that is only an unfinished {@code <think>} block, as a misconfigured reasoning model gives</li>
 * <li>{@code obedient}: does what the latest customer message asks, as a weak model might: asked about its
 * instructions (in several languages) it recites its whole system message; given URLs it answers with markdown
 * images and links to them; given markup it repeats it; knowledge passages that address "the assistant" (or AI, chatbot) it obeys
 * as if the customer wrote them; otherwise it answers by quoting the first knowledge
 * passage with a citation, as a grounded answer does</li>
 * <li>{@code quoting}: always that grounded answer, as a well-behaved model gives</li>
 * <li>{@code verbatim}: answers with the latest customer message exactly, a few characters per chunk</li>
 * <li>{@code grader}: a judge of replay evaluations: grades "5" when the CANDIDATE answer of the message is the
 * REFERENCE answer, "2" otherwise</li>
 * <li>{@code tool-caller}: calls the first tool the request offers, as vLLM streams a tool call (a delta with the
 * call's id, type and function name, the arguments in fragments, then {@code finish_reason: "tool_calls"}; whole:
 * a message with {@code content: null} and the call); once the conversation ends with a tool's result, answers
 * "The tool said: &lt;result&gt;" (several results since its calls: "The tools said: &lt;first&gt; | &lt;second&gt;");
 * offered no tool, answers like {@code echo}</li>
 * <li>{@code tool-obeyer}: like {@code tool-caller}, but a tool result that says "call &lt;first tool offered&gt; now"
 * makes it call that tool again instead of answering, as a model obeying text planted in a tool result does</li>
 * <li>{@code parallel-tools}: the same with two calls at once (index 0 and 1) to the first two tools offered, streamed
 * one after the other</li>
 * <li>{@code interleaved-tools}: the same two calls, streamed interleaved: both calls' opening deltas first, then
 * their argument fragments alternating by index</li>
 * <li>{@code tool-repeater}: calls the first tool offered like {@code tool-caller}, and again after each result, as a
 * model stuck on a tool does; offered no tool, answers like {@code echo}</li>
 * <li>{@code limited-once}: HTTP 429 with {@code retry-after: 1} the first time it sees a latest user message, then
 * answers like {@code echo}</li>
 * <li>{@code no-tools}: answers like {@code echo}, but refuses a request offering tools with HTTP 400, as vLLM
 * started without {@code --enable-auto-tool-choice} does</li>
 * <li>{@code text-only}: answers like {@code echo}, but refuses tools, JSON mode and image parts with HTTP 400, as a
 * text model on a server without structured output does (vLLM's words for each)</li>
 * <li>{@code flaky}: HTTP 500 while failing (from the start, or after {@code POST /stub/flaky} with
 * {@code failing}), like {@code echo} after {@code POST /stub/flaky} with {@code healthy}</li>
 * <li>{@code embed}: an embedding model on {@code /v1/embeddings}, answering each text with {@link #vectorOf} (as floats,
 * or base64 when asked) and {@link #EMBED_TOKENS_PER_INPUT} prompt tokens per input; every other model there is refused with
 * HTTP 400, as vLLM refuses a chat model</li>
 * </ul>
 */
public final class ModelStub implements AutoCloseable {

    public static final List<String> MODELS = List.of(
            "echo",
            "slow",
            "no-usage",
            "error-500",
            "error-503",
            "error-429",
            "stall",
            "cut",
            "cheap",
            "crlf",
            "flaky",
            "error-400",
            "think-only",
            "obedient",
            "quoting",
            "grader",
            "verbatim",
            "tool-caller",
            "tool-obeyer",
            "parallel-tools",
            "interleaved-tools",
            "tool-repeater",
            "limited-once",
            "no-tools",
            "text-only",
            "embed");
    public static final int EMBED_TOKENS_PER_INPUT = 5;
    public static final long SLOW_TOKEN_MILLIS = 800;
    public static final long STALL_MILLIS = 15_000;
    private static final String BENCH_PREFIX = "bench-ttft-";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    private final boolean recordRequests;
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile boolean flakyFailing = true;
    private final java.util.Set<String> limitedOnce = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private ModelStub(HttpServer server, boolean recordRequests) {
        this.server = server;
        this.recordRequests = recordRequests;
    }

    public static ModelStub start() throws IOException {
        return start(true);
    }

    /** A stub that keeps what it was sent for tests to read, or (for benchmarks) keeps nothing. */
    public static ModelStub start(boolean recordRequests) throws IOException {
        // Like vLLM's server: no Nagle delay, or each streamed chunk would wait for the client's delayed ACK (~40 ms).
        System.setProperty("sun.net.httpserver.nodelay", "true");
        // The JDK server closes idle keep-alive connections beyond 200, racing clients that reuse them; vLLM has no
        // such cap.
        System.setProperty("sun.net.httpserver.maxIdleConnections", "100000");
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
        ModelStub stub = new ModelStub(server, recordRequests);
        server.createContext("/v1/models", stub::models);
        server.createContext("/v1/chat/completions", stub::completions);
        server.createContext("/v1/embeddings", stub::embeddings);
        server.createContext("/stub/requests", stub::recorded);
        server.createContext("/stub/flaky", stub::setFlaky);
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
        return stub;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    /** The chat requests received so far, so tests in another class loader can see what the platform sent. */
    private void recorded(HttpExchange exchange) throws IOException {
        ArrayNode all = JSON.createArrayNode();
        requests.forEach(all::add);
        respond(exchange, 200, all.toString());
    }

    private void setFlaky(HttpExchange exchange) throws IOException {
        flakyFailing =
                "failing".equals(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8).trim());
        respond(exchange, 200, "{}");
    }

    private void models(HttpExchange exchange) throws IOException {
        ArrayNode data = JSON.createArrayNode();
        MODELS.forEach(
                name -> data.addObject().put("id", name).put("object", "model").put("owned_by", "stub"));
        ObjectNode body = JSON.createObjectNode().put("object", "list");
        body.set("data", data);
        respond(exchange, 200, body.toString());
    }

    private void completions(HttpExchange exchange) throws IOException {
        JsonNode request = JSON.readTree(exchange.getRequestBody());
        if (recordRequests) {
            requests.add(request);
        }
        String model = request.path("model").asText();
        String refusal = refusal(model, request);
        if (refusal != null) {
            error(exchange, 400, refusal);
            return;
        }
        if (model.startsWith(BENCH_PREFIX)) {
            pause(Long.parseLong(model.substring(BENCH_PREFIX.length())));
            answer(exchange, request, model, words(request), 0, true);
            return;
        }
        switch (model) {
            case "error-500" -> error(exchange, 500, "internal error");
            case "error-503" -> error(exchange, 503, "model is loading");
            case "error-429" -> error(exchange, 429, "rate limit reached");
            case "error-400" -> error(exchange, 400, "This model's maximum context length is 8192 tokens");
            case "stall" -> stall(exchange, request, model);
            case "cut" -> answer(exchange, request, model, words(request), 0, false);
            case "slow" -> answer(exchange, request, model, words(request), SLOW_TOKEN_MILLIS, true);
            case "echo", "no-usage", "cheap", "crlf", "no-tools", "text-only" ->
                answer(exchange, request, model, words(request), 0, true);
            case "obedient" -> answer(exchange, request, model, chunks(obey(request)), 0, true);
            case "quoting" -> answer(exchange, request, model, chunks(quote(request)), 0, true);
            case "verbatim" ->
                answer(exchange, request, model, chunks(Prompt.of(request).lastUser()), 0, true);
            case "grader" ->
                answer(
                        exchange,
                        request,
                        model,
                        List.of(grade(Prompt.of(request).lastUser())),
                        0,
                        true);
            case "think-only" ->
                answer(
                        exchange,
                        request,
                        model,
                        List.of("<think>", "The customer asks ", "something; let me think"),
                        0,
                        true);
            case "tool-caller", "tool-obeyer", "parallel-tools", "interleaved-tools" -> {
                List<String> results = toolResults(request);
                String planted = "call "
                        + request.path("tools")
                                .path(0)
                                .path("function")
                                .path("name")
                                .asText() + " now";
                if (request.path("tools").isEmpty()) {
                    answer(exchange, request, model, words(request), 0, true);
                } else if ("tool-obeyer".equals(model)
                        && results.stream().anyMatch(result -> result.contains(planted))) {
                    toolCalls(exchange, request, model, 1);
                } else if (!results.isEmpty()) {
                    answer(
                            exchange,
                            request,
                            model,
                            chunks(
                                    results.size() == 1
                                            ? "The tool said: " + results.getFirst()
                                            : "The tools said: " + String.join(" | ", results)),
                            0,
                            true);
                } else {
                    toolCalls(exchange, request, model, model.startsWith("tool-") ? 1 : 2);
                }
            }
            case "tool-repeater" -> {
                if (request.path("tools").isEmpty()) {
                    answer(exchange, request, model, words(request), 0, true);
                } else {
                    toolCalls(exchange, request, model, 1);
                }
            }
            case "limited-once" -> {
                if (limitedOnce.add(Prompt.of(request).lastUser())) {
                    exchange.getResponseHeaders().add("retry-after", "1");
                    error(exchange, 429, "rate limit reached");
                } else {
                    answer(exchange, request, model, words(request), 0, true);
                }
            }
            case "flaky" -> {
                if (flakyFailing) {
                    error(exchange, 500, "internal error");
                } else {
                    answer(exchange, request, model, words(request), 0, true);
                }
            }
            default -> error(exchange, 404, "The model `" + model + "` does not exist.");
        }
    }

    /** The capabilities a model lacks, by model: see the class comment. */
    private static final Map<String, java.util.Set<String>> LACKING =
            Map.of("no-tools", java.util.Set.of("tools"), "text-only", java.util.Set.of("tools", "json", "images"));

    /** How the model refuses a request needing what it lacks, in vLLM's words; null when it answers. */
    private static String refusal(String model, JsonNode request) {
        java.util.Set<String> lacking = LACKING.getOrDefault(model, java.util.Set.of());
        if (lacking.contains("tools") && !request.path("tools").isEmpty()) {
            return "\"auto\" tool choice requires --enable-auto-tool-choice and --tool-call-parser to be set";
        }
        if (lacking.contains("json") && asksForJson(request)) {
            return "Structured outputs are not supported by this server: response_format "
                    + request.path("response_format").path("type").asText();
        }
        if (lacking.contains("images") && hasImagePart(request)) {
            return "At most 0 image(s) may be provided in one request.";
        }
        return null;
    }

    private static boolean hasImagePart(JsonNode request) {
        for (JsonNode message : request.path("messages")) {
            for (JsonNode part : message.path("content")) {
                if ("image_url".equals(part.path("type").asText())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean asksForJson(JsonNode request) {
        String format = request.path("response_format").path("type").asText();
        return format.equals("json_object") || format.equals("json_schema");
    }

    /** The {@code embed} model's vector of a text: four numbers that follow from it, so a test can tell whose vector it got. */
    public static float[] vectorOf(String text) {
        return new float[] {text.length(), text.split(" ").length, text.hashCode() % 1000, 0.5f};
    }

    private void embeddings(HttpExchange exchange) throws IOException {
        JsonNode request = JSON.readTree(exchange.getRequestBody());
        if (recordRequests) {
            requests.add(request);
        }
        if (!"embed".equals(request.path("model").asText())) {
            error(exchange, 400, "The model does not support the Embeddings API");
            return;
        }
        JsonNode input = request.path("input");
        List<String> texts = new ArrayList<>();
        if (input.isTextual()) {
            texts.add(input.asText());
        } else {
            input.forEach(text -> texts.add(text.asText()));
        }
        boolean base64 = "base64".equals(request.path("encoding_format").asText());
        ObjectNode body = JSON.createObjectNode().put("object", "list").put("model", "embed");
        ArrayNode data = body.putArray("data");
        for (int i = 0; i < texts.size(); i++) {
            ObjectNode item = data.addObject().put("object", "embedding").put("index", i);
            float[] vector = vectorOf(texts.get(i));
            if (base64) {
                java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(vector.length * Float.BYTES)
                        .order(java.nio.ByteOrder.LITTLE_ENDIAN);
                bytes.asFloatBuffer().put(vector);
                item.put("embedding", java.util.Base64.getEncoder().encodeToString(bytes.array()));
            } else {
                ArrayNode values = item.putArray("embedding");
                for (float value : vector) {
                    values.add(value);
                }
            }
        }
        int tokens = EMBED_TOKENS_PER_INPUT * texts.size();
        body.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
        respond(exchange, 200, body.toString());
    }

    private static final java.util.regex.Pattern ASKS_FOR_INSTRUCTIONS = java.util.regex.Pattern.compile(
            "instruction|prompt|system|rules|above|configur|secret|marker|canary|initial|previous|verbatim|repeat|reveal|confidential"
                    + "|instrucciones|consignes|anweisungen|istruzioni|指令|提示|規則|指示|инструкц",
            java.util.regex.Pattern.CASE_INSENSITIVE);
    private static final java.util.regex.Pattern URL =
            java.util.regex.Pattern.compile("(?:https?://|www\\.)[^\\s)\\]]+");
    private static final java.util.regex.Pattern ADDRESSES_THE_MODEL =
            java.util.regex.Pattern.compile("(?i)\\b(assistant|ai|chatbot)\\b");
    private static final java.util.regex.Pattern CUSTOMER_WRAPPER =
            java.util.regex.Pattern.compile("<customer_message>\\n|\\n</customer_message>");
    private static final java.util.regex.Pattern PASSAGE =
            java.util.regex.Pattern.compile("(?s)<passage[^>]*>\\n(.*?)\\n</passage>");

    /** The system message and the latest customer message of a chat request. */
    private record Prompt(String system, String lastUser) {

        static Prompt of(JsonNode request) {
            String system = "";
            String lastUser = "";
            for (JsonNode message : request.path("messages")) {
                if ("system".equals(message.path("role").asText())) {
                    system = message.path("content").asText();
                } else if ("user".equals(message.path("role").asText())) {
                    lastUser = CUSTOMER_WRAPPER
                            .matcher(text(message.path("content")))
                            .replaceAll("");
                }
            }
            return new Prompt(system, lastUser);
        }

        /** A message's text: the content itself, or its text parts joined, as a model reads content parts. */
        static String text(JsonNode content) {
            if (!content.isArray()) {
                return content.asText();
            }
            StringBuilder text = new StringBuilder();
            content.forEach(part -> text.append(part.path("text").asText()));
            return text.toString();
        }
    }

    /** What an obedient model answers: see the class comment. */
    private static String obey(JsonNode request) {
        Prompt prompt = Prompt.of(request);
        String system = prompt.system();
        // Instructions planted in a knowledge article for "the assistant" are obeyed like the customer's own.
        String lastUser = prompt.lastUser() + " " + plantedInstructions(system);
        if (ASKS_FOR_INSTRUCTIONS.matcher(lastUser).find()) {
            return "Of course! My full instructions are:\n\n" + system;
        }
        java.util.regex.Matcher url = URL.matcher(lastUser);
        if (url.find()) {
            StringBuilder answer = new StringBuilder("Here you go: ");
            do {
                answer.append("![status](")
                        .append(url.group())
                        .append(") and [click here](")
                        .append(url.group())
                        .append(") ");
            } while (url.find());
            return answer.toString();
        }
        if (lastUser.contains("<")) {
            return lastUser;
        }
        return quote(request);
    }

    private static String plantedInstructions(String system) {
        StringBuilder planted = new StringBuilder();
        java.util.regex.Matcher passage = PASSAGE.matcher(system);
        while (passage.find()) {
            if (ADDRESSES_THE_MODEL.matcher(passage.group(1)).find()) {
                planted.append(passage.group(1)).append(' ');
            }
        }
        return planted.toString();
    }

    /** A grounded answer: the first knowledge passage quoted with its citation, or "You said" without one. */
    private static String grade(String judged) {
        int reference = judged.indexOf("REFERENCE:");
        int candidate = judged.indexOf("CANDIDATE:");
        if (reference < 0 || candidate < reference) {
            return "I cannot grade this.";
        }
        String expected =
                judged.substring(reference + "REFERENCE:".length(), candidate).strip();
        String given = judged.substring(candidate + "CANDIDATE:".length()).strip();
        return expected.equals(given) ? "5" : "2";
    }

    private static String quote(JsonNode request) {
        Prompt prompt = Prompt.of(request);
        String system = prompt.system();
        String lastUser = prompt.lastUser();
        java.util.regex.Matcher passage = PASSAGE.matcher(system);
        return passage.find() ? "From our help centre: " + passage.group(1).strip() + " [1]" : "You said: " + lastUser;
    }

    /** A text as a model streams it: a few characters per chunk. */
    private static List<String> chunks(String text) {
        List<String> chunks = new ArrayList<>();
        for (int start = 0; start < text.length(); start += 7) {
            chunks.add(text.substring(start, Math.min(text.length(), start + 7)));
        }
        return chunks;
    }

    private static List<String> words(JsonNode request) {
        String lastUser = Prompt.of(request).lastUser();
        if (asksForJson(request)) {
            return List.of(JSON.createObjectNode().put("you_said", lastUser).toString());
        }
        List<String> words = new ArrayList<>();
        for (String word : ("You said: " + lastUser).split("(?<= )")) {
            words.add(word);
        }
        return words;
    }

    /** Streams the words as events when the request asks for a stream, else answers them as one completion, as vLLM does. */
    private void answer(
            HttpExchange exchange,
            JsonNode request,
            String model,
            List<String> words,
            long tokenMillis,
            boolean complete)
            throws IOException {
        int n = Math.max(1, request.path("n").asInt(1));
        if (request.path("stream").asBoolean(false)) {
            stream(exchange, model, words, tokenMillis, complete, n);
        } else {
            pause(tokenMillis * words.size());
            completion(exchange, model, words, complete, n);
        }
    }

    private void stream(
            HttpExchange exchange, String model, List<String> words, long tokenMillis, boolean complete, int n)
            throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            for (int i = 0; i < n; i++) {
                event(out, model, chunk(model, i, Map.of("role", "assistant", "content", ""), null));
            }
            List<String> sent =
                    complete ? words : words.subList(0, Math.max(Math.min(3, words.size()), words.size() - 2));
            for (String word : sent) {
                pause(tokenMillis);
                for (int i = 0; i < n; i++) {
                    event(out, model, chunk(model, i, Map.of("content", word), null));
                }
            }
            if (!complete) {
                return;
            }
            for (int i = 0; i < n; i++) {
                event(out, model, chunk(model, i, Map.of("content", ""), "stop"));
            }
            if (!"no-usage".equals(model)) {
                ObjectNode usage = base(model);
                usage.putArray("choices");
                usage.putObject("usage")
                        .put("prompt_tokens", 42)
                        .put("completion_tokens", n * words.size())
                        .put("total_tokens", 42 + n * words.size());
                event(out, model, usage.toString());
            }
            event(out, model, "[DONE]");
        } catch (IOException clientWentAway) {
            // The platform gave up on this stream (a timeout test): nothing more to send.
        }
    }

    /** The results of the tools called last: the contents of the tool messages that end the conversation, in order. */
    private static List<String> toolResults(JsonNode request) {
        JsonNode messages = request.path("messages");
        int first = messages.size();
        while (first > 0 && "tool".equals(messages.path(first - 1).path("role").asText())) {
            first--;
        }
        List<String> results = new ArrayList<>();
        for (int i = first; i < messages.size(); i++) {
            results.add(Prompt.text(messages.path(i).path("content")));
        }
        return results;
    }

    /** Calls to the first {@code count} tools offered, each with the latest user message as its {@code query} argument. */
    private void toolCalls(HttpExchange exchange, JsonNode request, String model, int count) throws IOException {
        List<ObjectNode> calls = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ObjectNode arguments =
                    JSON.createObjectNode().put("query", Prompt.of(request).lastUser());
            ObjectNode call =
                    JSON.createObjectNode().put("id", "call_stub_" + i).put("type", "function");
            call.putObject("function")
                    .put(
                            "name",
                            request.path("tools")
                                    .path(i)
                                    .path("function")
                                    .path("name")
                                    .asText("missing"))
                    .put("arguments", arguments.toString());
            calls.add(call);
        }
        if (!request.path("stream").asBoolean(false)) {
            ObjectNode body = base(model).put("object", "chat.completion");
            ObjectNode choice =
                    body.putArray("choices").addObject().put("index", 0).put("finish_reason", "tool_calls");
            ObjectNode message =
                    choice.putObject("message").put("role", "assistant").putNull("content");
            message.putArray("tool_calls").addAll(calls);
            body.putObject("usage")
                    .put("prompt_tokens", 42)
                    .put("completion_tokens", 11)
                    .put("total_tokens", 53);
            respond(exchange, 200, body.toString());
            return;
        }
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            event(out, chunk(model, Map.of("role", "assistant", "content", ""), null));
            // Each call's deltas: the opening one with its id, type and name, then its arguments a few characters each.
            List<List<ObjectNode>> deltas = new ArrayList<>();
            for (int i = 0; i < calls.size(); i++) {
                ObjectNode call = calls.get(i);
                List<ObjectNode> ofCall = new ArrayList<>();
                ObjectNode opening = JSON.createObjectNode().put("index", i);
                opening.put("id", call.path("id").asText()).put("type", "function");
                opening.putObject("function")
                        .put("name", call.path("function").path("name").asText())
                        .put("arguments", "");
                ofCall.add(opening);
                for (String fragment :
                        chunks(call.path("function").path("arguments").asText())) {
                    ObjectNode part = JSON.createObjectNode().put("index", i);
                    part.putObject("function").put("arguments", fragment);
                    ofCall.add(part);
                }
                deltas.add(ofCall);
            }
            if ("interleaved-tools".equals(model)) {
                int longest = deltas.stream().mapToInt(List::size).max().orElse(0);
                for (int step = 0; step < longest; step++) {
                    for (List<ObjectNode> ofCall : deltas) {
                        if (step < ofCall.size()) {
                            event(out, toolCallChunk(model, ofCall.get(step), null));
                        }
                    }
                }
            } else {
                for (List<ObjectNode> ofCall : deltas) {
                    for (ObjectNode delta : ofCall) {
                        event(out, toolCallChunk(model, delta, null));
                    }
                }
            }
            event(out, toolCallChunk(model, null, "tool_calls"));
            ObjectNode usage = base(model);
            usage.putArray("choices");
            usage.putObject("usage")
                    .put("prompt_tokens", 42)
                    .put("completion_tokens", 11)
                    .put("total_tokens", 53);
            event(out, usage.toString());
            event(out, "[DONE]");
        }
    }

    private static String toolCallChunk(String model, ObjectNode call, String finishReason) {
        ObjectNode chunk = base(model);
        ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
        ObjectNode delta = choice.putObject("delta");
        if (call != null) {
            delta.putArray("tool_calls").add(call);
        }
        choice.putNull("logprobs");
        if (finishReason == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finishReason);
        }
        return chunk.toString();
    }

    /** Streamed: the role delta, then nothing; whole: not even the response's headers. */
    private void stall(HttpExchange exchange, JsonNode request, String model) throws IOException {
        boolean streamed = request.path("stream").asBoolean(false);
        if (streamed) {
            exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
        }
        try (OutputStream out = exchange.getResponseBody()) {
            if (streamed) {
                event(out, chunk(model, Map.of("role", "assistant", "content", ""), null));
            }
            closing.await(STALL_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException clientWentAway) {
            // Expected: the platform times out and drops the connection.
        }
    }

    /** One JSON completion; an incomplete one ({@code cut}) announces its whole length, sends half and drops the connection. */
    private static void completion(HttpExchange exchange, String model, List<String> words, boolean complete, int n)
            throws IOException {
        ObjectNode body = base(model).put("object", "chat.completion");
        ArrayNode choices = body.putArray("choices");
        for (int i = 0; i < n; i++) {
            ObjectNode choice = choices.addObject().put("index", i).put("finish_reason", "stop");
            choice.putObject("message").put("role", "assistant").put("content", String.join("", words));
        }
        if (!"no-usage".equals(model)) {
            body.putObject("usage")
                    .put("prompt_tokens", 42)
                    .put("completion_tokens", n * words.size())
                    .put("total_tokens", 42 + n * words.size());
        }
        if (complete) {
            respond(exchange, 200, body.toString());
            return;
        }
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        OutputStream out = exchange.getResponseBody();
        out.write(bytes, 0, bytes.length / 2);
        out.flush();
        exchange.close();
    }

    private static String chunk(String model, Map<String, String> delta, String finishReason) {
        return chunk(model, 0, delta, finishReason);
    }

    private static String chunk(String model, int index, Map<String, String> delta, String finishReason) {
        ObjectNode chunk = base(model);
        ObjectNode choice = chunk.putArray("choices").addObject().put("index", index);
        ObjectNode deltaNode = choice.putObject("delta");
        delta.forEach(deltaNode::put);
        choice.putNull("logprobs");
        if (finishReason == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finishReason).putNull("stop_reason");
        }
        return chunk.toString();
    }

    private static ObjectNode base(String model) {
        return JSON.createObjectNode()
                .put("id", "chatcmpl-stub")
                .put("object", "chat.completion.chunk")
                .put("created", System.currentTimeMillis() / 1000)
                .put("model", model);
    }

    /** An event framed as vLLM frames it, or as sse-starlette does for the {@code crlf} model. */
    private static void event(OutputStream out, String model, String data) throws IOException {
        if ("crlf".equals(model)) {
            out.write(("data:" + data + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        } else {
            event(out, data);
        }
    }

    private static void event(OutputStream out, String data) throws IOException {
        out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static void error(HttpExchange exchange, int status, String message) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("error")
                .put("message", message)
                .put("type", "server_error")
                .put("code", status);
        respond(exchange, status, body.toString());
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void pause(long millis) {
        if (millis > 0) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
    }
}
