package io.switchboard.knowledge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.knowledge.QualitySet.ArticleRef;
import io.switchboard.knowledge.QualitySet.Question;
import io.switchboard.testing.KnowledgeUpload;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Asks every message of a {@link QualitySet} as a new customer would, through the public widget
 * API (each in a conversation of its own, from an address of its own), and looks up what the
 * knowledge search ranks for it: what the customer got and where the right article stood.
 */
public final class QualityRun {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CLIENTS = 4;

    /**
     * What one message got: its conversation, the article the reply cited (null for none), the
     * conversation's state and escalation reason after the reply, and the top three of the
     * knowledge search (null when the application has no search).
     */
    public record Outcome(
            Question question,
            String conversation,
            ArticleRef cited,
            String state,
            String escalationReason,
            List<ArticleRef> ranked) {

        public boolean handedOff() {
            return !"BOT".equals(state);
        }

        public boolean escalatedAsAsked() {
            return "customer_request".equals(escalationReason) || "keyword".equals(escalationReason);
        }
    }

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;
    private final String tenant;
    private final String agentKey;
    private final AtomicInteger addresses = new AtomicInteger();

    /** @param agentKey an API key of the tenant with the agent role, to read transcripts and search */
    public QualityRun(URI base, String tenant, String agentKey) {
        this.base = base;
        this.tenant = tenant;
        this.agentKey = agentKey;
    }

    /**
     * Imports the set's help centre into the tenant (as its admin, with the platform key) and
     * returns a run asking as that tenant's customers, looking up with an agent key it creates.
     */
    public static QualityRun prepare(URI base, String platformKey, String tenant, QualitySet set) throws Exception {
        return prepare(base, platformKey, tenant, set, Set.of());
    }

    /** {@link #prepare}, with the articles of some topics (in every language) left out of the help centre. */
    public static QualityRun prepare(URI base, String platformKey, String tenant, QualitySet set, Set<String> leftOut)
            throws Exception {
        List<KnowledgeUpload.HelpFile> files = new ArrayList<>();
        try (var articles = Files.list(set.knowledge())) {
            for (Path article : articles.sorted().toList()) {
                if (leftOut.contains(QualitySet.topicOf(article))) {
                    continue;
                }
                files.add(new KnowledgeUpload.HelpFile(article.getFileName().toString(), Files.readAllBytes(article)));
            }
        }
        HttpClient http = HttpClient.newHttpClient();
        KnowledgeUpload.importAll(http, base, platformKey, tenant, files);
        HttpResponse<String> key = http.send(
                HttpRequest.newBuilder(base.resolve("/api/v1/tenants/" + tenant + "/api-keys"))
                        .header("Authorization", "Bearer " + platformKey)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"name\":\"answer quality\",\"roles\":[\"agent\"]}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return new QualityRun(base, tenant, checked(key, 201).path("key").asText());
    }

    public List<Outcome> ask(List<Question> questions) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<Outcome>> pending = new ArrayList<>();
            for (Question question : questions) {
                pending.add(clients.submit(() -> ask(question)));
            }
            List<Outcome> outcomes = new ArrayList<>();
            for (Future<Outcome> outcome : pending) {
                outcomes.add(outcome.get());
            }
            return outcomes;
        } finally {
            clients.shutdownNow();
        }
    }

    private Outcome ask(Question question) throws IOException, InterruptedException {
        // A customer of their own: the widget's per-address limits count each message apart.
        int address = addresses.incrementAndGet();
        String from = "10." + (address >> 16 & 255) + "." + (address >> 8 & 255) + "." + (address & 255);
        JsonNode started = send(
                HttpRequest.newBuilder(base.resolve("/api/v1/widget/" + tenant + "/conversations"))
                        .header("Content-Type", "application/json")
                        .header("X-Forwarded-For", from)
                        .POST(HttpRequest.BodyPublishers.ofString("{}")),
                201);
        String conversation = started.path("conversationId").asText();
        JsonNode turn = send(
                HttpRequest.newBuilder(base.resolve(
                                "/api/v1/widget/" + tenant + "/conversations/" + conversation + "/messages"))
                        .header("Content-Type", "application/json")
                        .header("Accept", "application/json")
                        .header("X-Forwarded-For", from)
                        .header(
                                "Authorization",
                                "Bearer " + started.path("token").asText())
                        .POST(HttpRequest.BodyPublishers.ofString(
                                JSON.writeValueAsString(Map.of("text", question.text())))),
                200);
        String state = turn.path("state").asText();
        String reason = null;
        if (!"BOT".equals(state)) {
            reason = send(asAgent("/api/v1/tenants/" + tenant + "/conversations/" + conversation), 200)
                    .path("conversation")
                    .path("escalationReason")
                    .asText(null);
        }
        return new Outcome(
                question,
                conversation,
                ArticleRef.of(
                        turn.path("reply").path("citations").path(0).path("url").asText(null)),
                state,
                reason,
                ranked(question.text()));
    }

    private List<ArticleRef> ranked(String question) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                asAgent("/api/v1/tenants/" + tenant + "/knowledge/search?limit=3&q="
                                + URLEncoder.encode(question, StandardCharsets.UTF_8))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 404) {
            return null;
        }
        List<ArticleRef> ranked = new ArrayList<>();
        for (JsonNode result : checked(response, 200).path("results")) {
            ranked.add(ArticleRef.of(result.path("url").asText(null)));
        }
        return ranked;
    }

    private HttpRequest.Builder asAgent(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + agentKey);
    }

    private JsonNode send(HttpRequest.Builder request, int expectedStatus) throws IOException, InterruptedException {
        return checked(
                http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()),
                expectedStatus);
    }

    private static JsonNode checked(HttpResponse<String> response, int expectedStatus) throws IOException {
        if (response.statusCode() != expectedStatus) {
            throw new IOException(
                    response.request().uri() + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }
}
