package io.switchboard.widget;

import static io.switchboard.testing.BenchApp.ms;
import static io.switchboard.testing.BenchApp.percentile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.testing.BenchApp;
import io.switchboard.testing.ModelStub;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.LongStream;

/**
 * A customer's chat turn — message stored, knowledge searched, model streamed, answer stored —
 * over the widget's REST API and over its WebSocket, at 1, 50 and 200 conversations at once,
 * against the model stub answering the same request directly at the same concurrency. Usage:
 * {@code <app jar> [seconds per phase] [concurrency levels...] [turns|paced|intake] [warmup=seconds]}.
 * The paced part runs at the last concurrency level only. Loopback only, bounded in time.
 */
public final class ChatTurnBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ORIGIN = "https://bench.example";
    /** First token after 20 ms, then the words of "You said: ..." at once: a fast hosted or local model. */
    private static final String MODEL = "bench-ttft-20";

    private static final int DB_POOL_SIZE = 40;
    /** The application's group commit of customer messages: transactions, and the messages they stored. */
    private static final String COMMITS = "switchboard_customer_messages_per_commit_count";

    private static final String COMMITTED_MESSAGES = "switchboard_customer_messages_per_commit_sum";
    /**
     * What a run measures (all by default): bot turns back to back, bot turns at a customer's
     * pace, customer messages into conversations a person owns.
     */
    private static final Set<String> PARTS = Set.of("turns", "paced", "intake");
    /** How long a customer pauses after an answer before the next message: people read, then type. */
    private static final Pace CUSTOMER_PACE = new Pace(Duration.ofSeconds(5), Duration.ofSeconds(15));
    /** Long enough for about six messages from each conversation at {@link #CUSTOMER_PACE}. */
    private static final Duration PACED_PHASE = Duration.ofSeconds(90);
    /** Rounds in which the ways of sending take turns (see {@link #alternately}). */
    private static final int TURN_SLICES = 4;
    /** Fewer for paced turns: each round starts with conversations' first pauses. */
    private static final int PACED_SLICES = 3;
    /**
     * Load before each part is measured, per way of sending: on 2 cores the JIT's C2 compiler
     * shares the machine with the load. Under turns at 50 conversations it took about one of the two
     * cores for six minutes and settled near 0.1 after seven (`jstat -compiler`); with 60 s per way
     * of sending, a turn at one conversation measured 4–11 ms slower at p50 and 40–59 ms of the
     * application's CPU instead of 17. Shorter warm-ups measure the compiler's backlog, not the code.
     */
    private static final Duration DEFAULT_WARM_UP = Duration.ofSeconds(180);

    private static final String TENANT_FILE = String.join(
            "\n",
            "slug: bench",
            "name: Benchmark",
            "allowedOrigins: [" + ORIGIN + "]",
            "model: { primary: { endpoint: stub, model: " + MODEL + " } }",
            "assistant:",
            "  limits: { maxTurnsPerConversation: 10000, maxTokensPerConversation: 100000000,",
            "            tokensPerContactPerHour: 1000000000, tokensPerTenantPerMinute: 1000000000 }",
            "");

    /**
     * What the customers ask, one topic after another: long enough for the hand-off rules to compare
     * each message with the one before, as they do for real messages, and never the same question
     * reworded (which would hand off). Conversation and turn numbers make every text unique, so
     * nothing is answered from an earlier conversation's work.
     */
    private static final List<String> QUESTIONS = List.of(
            "How do I change the dates of booking %d-%d?",
            "Can I get a refund for reservation %d-%d if I cancel today?",
            "The host of stay %d-%d has not replied to my message, what should I do?",
            "Where do I find the invoice for order %d-%d?",
            "Is breakfast included in listing %d-%d?",
            "My card was charged twice for booking %d-%d",
            "How do I add another guest to reservation %d-%d?",
            "What is the check-in time for apartment %d-%d?");

    private final BenchApp app;
    private final String stubUrl;
    private final Duration phase;
    private final Duration warmUp;
    private final HttpClient webSockets = HttpClient.newHttpClient();
    private final LongAdder failures = new LongAdder();
    /** The baseline's connections to PostgreSQL: as many as the application's pool ({@code SWITCHBOARD_DB_POOL_SIZE}). */
    private final BlockingQueue<Connection> baselineConnections = new LinkedBlockingQueue<>();

    private ChatTurnBenchmark(BenchApp app, String stubUrl, Duration phase, Duration warmUp) {
        this.app = app;
        this.stubUrl = stubUrl;
        this.phase = phase;
        this.warmUp = warmUp;
    }

    /**
     * What one phase measured: turn latencies (sorted), turns per second, stored messages per
     * second, and the CPU the application and PostgreSQL spent per turn.
     */
    private record Result(
            long[] latencies,
            double turnsPerSecond,
            double storedPerSecond,
            double appCpuMillisPerTurn,
            double postgresCpuMillisPerTurn) {

        String cpuPerTurn() {
            return String.format("%.2f / %.2f ms", appCpuMillisPerTurn, postgresCpuMillisPerTurn);
        }

        /** Slices of equal length as one result: every latency, the mean rates, the CPU per turn over all turns. */
        static Result pooled(List<Result> slices) {
            long[] latencies = slices.stream()
                    .flatMapToLong(slice -> LongStream.of(slice.latencies()))
                    .sorted()
                    .toArray();
            double turns = Math.max(1, latencies.length);
            return new Result(
                    latencies,
                    slices.stream()
                            .mapToDouble(Result::turnsPerSecond)
                            .average()
                            .orElse(0),
                    slices.stream()
                            .mapToDouble(Result::storedPerSecond)
                            .average()
                            .orElse(0),
                    slices.stream()
                                    .mapToDouble(slice -> slice.appCpuMillisPerTurn() * slice.latencies().length)
                                    .sum()
                            / turns,
                    slices.stream()
                                    .mapToDouble(slice -> slice.postgresCpuMillisPerTurn() * slice.latencies().length)
                                    .sum()
                            / turns);
        }
    }

    /** A customer's pause after each answer, drawn between {@code least} and {@code most}; none when both are zero. */
    private record Pace(Duration least, Duration most) {

        static final Pace BACK_TO_BACK = new Pace(Duration.ZERO, Duration.ZERO);

        long pauseMillis() {
            return most.isZero() ? 0 : ThreadLocalRandom.current().nextLong(least.toMillis(), most.toMillis() + 1);
        }

        /** Spreads the conversations' first messages over one longest pause, so they do not arrive together. */
        long firstPauseMillis() {
            return most.isZero() ? 0 : ThreadLocalRandom.current().nextLong(most.toMillis() + 1);
        }
    }

    /** One way to take a turn, from a conversation's loop. */
    private interface Channel {
        Turn open() throws Exception;
    }

    /** A conversation's connection: takes one turn at a time. */
    private interface Turn extends AutoCloseable {
        void take(String text) throws Exception;

        @Override
        default void close() {}
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("http.maxConnections", "512");
        Path jar = Path.of(args[0]);
        Duration phase = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 10);
        List<Integer> levels = new ArrayList<>();
        Set<String> parts = new HashSet<>();
        Duration warmUp = DEFAULT_WARM_UP;
        for (int i = 2; i < args.length; i++) {
            if (args[i].startsWith("warmup=")) {
                warmUp = Duration.ofSeconds(Long.parseLong(args[i].substring("warmup=".length())));
            } else if (args[i].matches("\\d+")) {
                levels.add(Integer.parseInt(args[i]));
            } else if (PARTS.contains(args[i])) {
                parts.add(args[i]);
            } else {
                throw new IllegalArgumentException("Not a conversation count nor one of " + PARTS + ": " + args[i]);
            }
        }
        if (levels.isEmpty()) {
            levels = List.of(1, 50, 200);
        }
        if (parts.isEmpty()) {
            parts = PARTS;
        }
        try (ModelStub stub = ModelStub.start(false);
                BenchApp app = BenchApp.start(
                        jar,
                        TENANT_FILE,
                        stub.baseUrl(),
                        MODEL,
                        Map.of(
                                "SWITCHBOARD_MODEL_TENANT_CONCURRENCY", "512",
                                "SWITCHBOARD_DB_POOL_SIZE", String.valueOf(DB_POOL_SIZE),
                                "SWITCHBOARD_WIDGET_RATE_LIMIT_MESSAGES_PER_CONVERSATION", "1000000",
                                "SWITCHBOARD_WIDGET_RATE_LIMIT_MESSAGES_PER_TENANT", "100000000",
                                "SWITCHBOARD_WIDGET_RATE_LIMIT_CONVERSATIONS_PER_TENANT", "1000000",
                                // Every simulated customer comes from loopback, each sending back to back: the
                                // per-address and
                                // per-customer limits would stop them.
                                "SWITCHBOARD_WIDGET_RATE_LIMIT_CONVERSATIONS_PER_ADDRESS", "1000000",
                                "SWITCHBOARD_WIDGET_RATE_LIMIT_MESSAGES_PER_ADDRESS", "100000000",
                                "SWITCHBOARD_WIDGET_RATE_LIMIT_MESSAGES_PER_CONTACT", "100000000"))) {
            new ChatTurnBenchmark(app, stub.baseUrl(), phase, warmUp).run(levels, parts);
        }
        System.exit(0);
    }

    private void run(List<Integer> levels, Set<String> parts) throws Exception {
        System.out.printf(
                "machine: %d cores, Java %s; %d s per phase; model stub %s%n",
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"),
                phase.toSeconds(),
                MODEL);
        if (parts.contains("turns")) {
            turns(levels);
        }
        if (parts.contains("paced")) {
            pacedTurns(levels.getLast(), parts.contains("turns"));
        }
        if (parts.contains("intake")) {
            intake(levels);
        }
        if (failures.sum() > 0) {
            System.out.printf("%d turns failed and were not counted%n", failures.sum());
        }
    }

    /** Bot turns over REST and the WebSocket, against the stub answering directly. */
    private void turns(List<Integer> levels) throws Exception {
        Channel direct = () -> this::askStubDirectly;
        Channel rest = this::restConversation;
        Channel socket = this::socketConversation;
        System.out.printf(
                "Warming up: %d s over REST, %d s over the WebSocket%n", warmUp.toSeconds(), warmUp.toSeconds());
        measure(rest, 50, warmUp);
        measure(socket, 50, warmUp);

        System.out.println();
        System.out.println(
                "| conversations | stub directly p50 / p99 | REST p50 / p99 (added) | REST turns/s | WebSocket p50 / p99 (added) "
                        + "| WebSocket turns/s | stored messages/s REST / WebSocket | CPU per REST turn: app / PostgreSQL | RSS after |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        for (int conversations : levels) {
            List<Result> results =
                    alternately(List.of(direct, rest, socket), conversations, phase, Pace.BACK_TO_BACK, TURN_SLICES);
            Result baseline = results.get(0);
            Result overRest = results.get(1);
            Result overSocket = results.get(2);
            System.out.printf(
                    "| %d | %s / %s | %s / %s (+%s / +%s) | %.0f | %s / %s (+%s / +%s) | %.0f | %.0f / %.0f | %s | %d MB |%n",
                    conversations,
                    ms(percentile(baseline.latencies(), 50)),
                    ms(percentile(baseline.latencies(), 99)),
                    ms(percentile(overRest.latencies(), 50)),
                    ms(percentile(overRest.latencies(), 99)),
                    ms(added(overRest, baseline, 50)),
                    ms(added(overRest, baseline, 99)),
                    overRest.turnsPerSecond(),
                    ms(percentile(overSocket.latencies(), 50)),
                    ms(percentile(overSocket.latencies(), 99)),
                    ms(added(overSocket, baseline, 50)),
                    ms(added(overSocket, baseline, 99)),
                    overSocket.turnsPerSecond(),
                    overRest.storedPerSecond(),
                    overSocket.storedPerSecond(),
                    overRest.cpuPerTurn(),
                    BenchApp.residentMegabytes(app.pid()));
        }
    }

    /**
     * Bot turns when each customer reads the answer before writing again, as people do: the
     * latency a customer sees when the replica is busy but not saturated. Runs after the back-to-back
     * turns, which warm the application up.
     */
    private void pacedTurns(int conversations, boolean warmedUp) throws Exception {
        if (!warmedUp) {
            System.out.printf(
                    "Warming up: %d s over REST, %d s over the WebSocket%n", warmUp.toSeconds(), warmUp.toSeconds());
            measure(this::restConversation, 50, warmUp);
            measure(this::socketConversation, 50, warmUp);
        }
        System.out.println();
        System.out.printf(
                "At a customer's pace: each conversation's next message %d–%d s after the answer, %d s per phase%n",
                CUSTOMER_PACE.least().toSeconds(), CUSTOMER_PACE.most().toSeconds(), PACED_PHASE.toSeconds());
        System.out.println();
        System.out.println(
                "| conversations | stub directly p50 / p99 | REST p50 / p99 (added) | WebSocket p50 / p99 (added) "
                        + "| turns/s REST / WebSocket | CPU per REST turn: app / PostgreSQL |");
        System.out.println("|---|---|---|---|---|---|");
        List<Result> results = alternately(
                List.of(() -> this::askStubDirectly, this::restConversation, this::socketConversation),
                conversations,
                PACED_PHASE,
                CUSTOMER_PACE,
                PACED_SLICES);
        Result baseline = results.get(0);
        Result overRest = results.get(1);
        Result overSocket = results.get(2);
        System.out.printf(
                "| %d | %s / %s | %s / %s (+%s / +%s) | %s / %s (+%s / +%s) | %.1f / %.1f | %s |%n",
                conversations,
                ms(percentile(baseline.latencies(), 50)),
                ms(percentile(baseline.latencies(), 99)),
                ms(percentile(overRest.latencies(), 50)),
                ms(percentile(overRest.latencies(), 99)),
                ms(added(overRest, baseline, 50)),
                ms(added(overRest, baseline, 99)),
                ms(percentile(overSocket.latencies(), 50)),
                ms(percentile(overSocket.latencies(), 99)),
                ms(added(overSocket, baseline, 50)),
                ms(added(overSocket, baseline, 99)),
                overRest.turnsPerSecond(),
                overSocket.turnsPerSecond(),
                overRest.cpuPerTurn());
    }

    /**
     * Customer messages into conversations a person owns: each is stored (with its event) and no
     * bot answers. Baseline: the same rows inserted straight into PostgreSQL, one commit each, at the same concurrency.
     */
    private void intake(List<Integer> levels) throws Exception {
        for (int i = 0; i < DB_POOL_SIZE; i++) {
            baselineConnections.add(app.connect());
        }
        System.out.println();
        System.out.println(
                "| conversations | PostgreSQL alone: rows/s, p50 / p99 | REST: stored customer messages/s (× PostgreSQL alone), p50 / p99 "
                        + "| CPU per message: app / PostgreSQL (PostgreSQL alone) | messages per commit | RSS after |");
        System.out.println("|---|---|---|---|---|---|");
        measure(this::handedOffConversation, 50, warmUp);
        for (int conversations : levels) {
            Result baseline = measure(this::directInserts, conversations, phase);
            double commitsBefore = app.metric(COMMITS);
            double messagesBefore = app.metric(COMMITTED_MESSAGES);
            Result overRest = measure(this::handedOffConversation, conversations, phase);
            double messagesPerCommit =
                    (app.metric(COMMITTED_MESSAGES) - messagesBefore) / (app.metric(COMMITS) - commitsBefore);
            System.out.printf(
                    "| %d | %.0f, %s / %s | %.0f (%.2f×), %s / %s | %s (%.2f ms) | %.1f | %d MB |%n",
                    conversations,
                    baseline.storedPerSecond(),
                    ms(percentile(baseline.latencies(), 50)),
                    ms(percentile(baseline.latencies(), 99)),
                    overRest.storedPerSecond(),
                    overRest.storedPerSecond() / baseline.storedPerSecond(),
                    ms(percentile(overRest.latencies(), 50)),
                    ms(percentile(overRest.latencies(), 99)),
                    overRest.cpuPerTurn(),
                    baseline.postgresCpuMillisPerTurn(),
                    messagesPerCommit,
                    BenchApp.residentMegabytes(app.pid()));
        }
    }

    /** A conversation whose customer asked for a person: later messages are stored for the agents, not answered. */
    private Turn handedOffConversation() throws IOException {
        CustomerMessages conversation = restConversationMessages();
        JsonNode asked = conversation.send("I want to talk to a human");
        if ("BOT".equals(asked.path("state").asText())) {
            throw new IllegalStateException("The conversation was not handed off: " + asked);
        }
        return text -> {
            JsonNode turn = conversation.send(text);
            if (!turn.path("reply").isNull()) {
                throw new IllegalStateException("A bot answered a conversation a person owns: " + turn);
            }
        };
    }

    /**
     * The baseline's loop: customer rows inserted into a conversation of its own with plain JDBC,
     * as the table's owner, through as many connections as the application's pool holds.
     */
    private Turn directInserts() throws Exception {
        String conversationId = startConversation().path("conversationId").asText();
        int[] seq = {1_000_000};
        return text -> {
            Connection connection = baselineConnections.take();
            try (PreparedStatement insert = connection.prepareStatement("""
                    insert into message (tenant_id, id, conversation_id, seq, role, text, created_at)
                    select tenant_id, ?, id, ?, 'customer', ?, now() from conversation where id = ?""")) {
                insert.setObject(1, UUID.randomUUID());
                insert.setInt(2, seq[0]++);
                insert.setString(3, text);
                insert.setObject(4, UUID.fromString(conversationId));
                insert.executeUpdate();
            } finally {
                baselineConnections.put(connection);
            }
        };
    }

    private static long added(Result measured, Result baseline, int percent) {
        return percentile(measured.latencies(), percent) - percentile(baseline.latencies(), percent);
    }

    /**
     * Each way of sending for {@code duration} in all, taken in turn in {@code slices} rounds of equal
     * length. Measured one after the other, the first phase after the warm-up paid for the JIT
     * compiler still at work (a CPU profile put it at 15% of the application's samples during the
     * REST phase and 1% during the WebSocket phase that followed); in rounds, such drift falls on
     * every way alike.
     */
    private List<Result> alternately(
            List<Channel> channels, int conversations, Duration duration, Pace pace, int slices) throws Exception {
        List<List<Result>> sliced = channels.stream()
                .map(channel -> (List<Result>) new ArrayList<Result>())
                .toList();
        for (int round = 0; round < slices; round++) {
            for (int i = 0; i < channels.size(); i++) {
                sliced.get(i).add(measure(channels.get(i), conversations, duration.dividedBy(slices), pace));
            }
        }
        return sliced.stream().map(Result::pooled).toList();
    }

    /**
     * {@code conversations} loops, each taking one turn after another on its own connection, for
     * {@code duration}. The clock and the message count start once every conversation is open, so
     * what opening stores (a hand-off request and its notice) is not counted.
     */
    private Result measure(Channel channel, int conversations, Duration duration) throws Exception {
        return measure(channel, conversations, duration, Pace.BACK_TO_BACK);
    }

    /** As above, each conversation pausing at {@code pace} between an answer and its next message. */
    private Result measure(Channel channel, int conversations, Duration duration, Pace pace) throws Exception {
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        CountDownLatch phaseOver = new CountDownLatch(1);
        CountDownLatch opened = new CountDownLatch(conversations);
        CountDownLatch go = new CountDownLatch(1);
        long storedBefore;
        Duration appCpuBefore;
        Duration postgresCpuBefore;
        long started;
        try (ExecutorService loops = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < conversations; i++) {
                int conversation = i;
                futures.add(loops.submit(() -> {
                    Turn opening;
                    try {
                        opening = channel.open();
                    } finally {
                        // A conversation that cannot open fails the phase below instead of holding it open.
                        opened.countDown();
                    }
                    try (Turn turn = opening) {
                        go.await();
                        boolean over = phaseOver.await(pace.firstPauseMillis(), TimeUnit.MILLISECONDS);
                        for (int n = 0; !over; n++) {
                            String text = QUESTIONS.get(n % QUESTIONS.size()).formatted(conversation, n);
                            long start = System.nanoTime();
                            try {
                                turn.take(text);
                                latencies.add(System.nanoTime() - start);
                            } catch (IOException | IllegalStateException failed) {
                                failures.increment();
                            }
                            over = phaseOver.await(pace.pauseMillis(), TimeUnit.MILLISECONDS);
                        }
                    }
                    return null;
                }));
            }
            if (!opened.await(2, TimeUnit.MINUTES)) {
                throw new IllegalStateException("The conversations did not open within two minutes");
            }
            app.vacuum();
            storedBefore = storedMessages();
            appCpuBefore = app.cpu();
            postgresCpuBefore = BenchApp.postgresCpu();
            started = System.nanoTime();
            go.countDown();
            Thread.sleep(duration.toMillis());
            phaseOver.countDown();
            for (Future<?> future : futures) {
                future.get();
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        double appCpuMillis = app.cpu().minus(appCpuBefore).toNanos() / 1e6;
        double postgresCpuMillis =
                BenchApp.postgresCpu().minus(postgresCpuBefore).toNanos() / 1e6;
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        return new Result(
                sorted,
                sorted.length / seconds,
                (storedMessages() - storedBefore) / seconds,
                appCpuMillis / sorted.length,
                postgresCpuMillis / sorted.length);
    }

    private void askStubDirectly(String text) throws IOException {
        String body = "{\"model\":\"" + MODEL + "\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\""
                + text + "\"}]}";
        drain(post(stubUrl + "/chat/completions", body, Map.of()));
    }

    /** Sends a customer's messages into one new conversation over the widget's REST API; answers with each response. */
    @FunctionalInterface
    private interface CustomerMessages {
        JsonNode send(String text) throws IOException;
    }

    private JsonNode startConversation() throws IOException {
        return JSON.readTree(
                readAll(post(app.baseUrl() + "/api/v1/widget/bench/conversations", "{}", Map.of("Origin", ORIGIN))));
    }

    private CustomerMessages restConversationMessages() throws IOException {
        JsonNode started = startConversation();
        String messages = app.baseUrl() + "/api/v1/widget/bench/conversations/"
                + started.path("conversationId").asText() + "/messages";
        Map<String, String> headers = Map.of(
                "Origin",
                ORIGIN,
                "Authorization",
                "Bearer " + started.path("token").asText(),
                "Accept",
                "application/json");
        return text -> JSON.readTree(readAll(post(messages, "{\"text\":\"" + text + "\"}", headers)));
    }

    private Turn restConversation() throws IOException {
        CustomerMessages conversation = restConversationMessages();
        return text -> {
            JsonNode turn = conversation.send(text);
            if (turn.path("reply").isNull() || !"BOT".equals(turn.path("state").asText())) {
                throw new IllegalStateException("No bot answer: " + turn);
            }
        };
    }

    private Turn socketConversation() throws Exception {
        JsonNode started = startConversation();
        URI uri = URI.create(app.baseUrl().replace("http://", "ws://") + "/ws/widget/bench?token="
                + started.path("token").asText());
        TurnListener listener = new TurnListener();
        WebSocket socket = webSockets
                .newWebSocketBuilder()
                .header("Origin", ORIGIN)
                .buildAsync(uri, listener)
                .get(10, TimeUnit.SECONDS);
        return new Turn() {
            @Override
            public void take(String text) throws Exception {
                CompletableFuture<Void> answered = listener.expectAnswer();
                socket.sendText("{\"type\":\"message\",\"text\":\"" + text + "\"}", true)
                        .get(10, TimeUnit.SECONDS);
                answered.get(30, TimeUnit.SECONDS);
            }

            @Override
            public void close() {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "done")
                        .orTimeout(5, TimeUnit.SECONDS)
                        .exceptionally(failed -> null)
                        .join();
            }
        };
    }

    /** Completes the current turn on the state frame that follows the reply. */
    private static final class TurnListener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();
        private volatile CompletableFuture<Void> answer = new CompletableFuture<>();
        private volatile boolean replied;

        CompletableFuture<Void> expectAnswer() {
            replied = false;
            answer = new CompletableFuture<>();
            return answer;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String frame = partial.toString();
                partial.setLength(0);
                if (frame.startsWith("{\"type\":\"reply\"")) {
                    replied = true;
                } else if (frame.startsWith("{\"type\":\"state\"") && replied) {
                    if (frame.contains("\"state\":\"BOT\"")) {
                        answer.complete(null);
                    } else {
                        answer.completeExceptionally(new IllegalStateException("No bot answer: " + frame));
                    }
                } else if (frame.startsWith("{\"type\":\"error\"")) {
                    answer.completeExceptionally(new IllegalStateException(frame));
                }
            }
            webSocket.request(1);
            return null;
        }
    }

    private static HttpURLConnection post(String url, String body, Map<String, String> headers) throws IOException {
        HttpURLConnection connection =
                (HttpURLConnection) URI.create(url).toURL().openConnection();
        connection.setConnectTimeout(5000);
        connection.setReadTimeout(30_000);
        connection.setRequestMethod("POST");
        connection.setDoOutput(true);
        connection.setRequestProperty("Content-Type", "application/json");
        headers.forEach(connection::setRequestProperty);
        try (OutputStream out = connection.getOutputStream()) {
            out.write(body.getBytes(StandardCharsets.UTF_8));
        }
        int status = connection.getResponseCode();
        if (status >= 300) {
            try (InputStream error = connection.getErrorStream()) {
                throw new IllegalStateException(url + " answered " + status + ": "
                        + (error == null ? "" : new String(error.readAllBytes(), StandardCharsets.UTF_8)));
            }
        }
        return connection;
    }

    private static String readAll(HttpURLConnection connection) throws IOException {
        try (InputStream in = connection.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void drain(HttpURLConnection connection) throws IOException {
        try (BufferedReader lines =
                new BufferedReader(new InputStreamReader(connection.getInputStream(), StandardCharsets.UTF_8))) {
            lines.transferTo(java.io.Writer.nullWriter());
        }
    }

    /** Messages stored so far, counted in PostgreSQL as the table's owner (row-level security does not apply). */
    private long storedMessages() throws Exception {
        return app.rows("message");
    }
}
