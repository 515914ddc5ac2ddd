package io.switchboard.action;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.platform.EndpointAddressPolicy;
import io.switchboard.platform.Secrets;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes one signed call to a tenant's API: placeholders filled (URL-encoded), the other arguments
 * as query parameters (GET, DELETE) or a JSON body, the platform's identity headers, a deadline for
 * the whole exchange, and an answer taken only as JSON of at most {@link #MAX_RESPONSE_BYTES}.
 */
@ApplicationScoped
class ActionClient {

    static final int MAX_RESPONSE_BYTES = 64 * 1024;
    private static final Set<String> QUERY_METHODS = Set.of("GET", "DELETE");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]*)}");

    /** The request to make; {@code customerId} and {@code conversationId} come from the platform, never the model. */
    record Call(
            String method,
            String url,
            int timeoutMs,
            String secret,
            ObjectNode arguments,
            String customerId,
            java.util.UUID conversationId) {}

    private final ObjectMapper json;
    private final EndpointAddressPolicy addresses;
    private final HttpClient client;

    ActionClient(ObjectMapper json, ActionsConfig config) {
        this.json = json;
        this.addresses = new EndpointAddressPolicy(
                config.allowedHosts().orElse(List.of()), "SWITCHBOARD_ACTIONS_ALLOWED_HOSTS", false);
        this.client = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    EndpointAddressPolicy addresses() {
        return addresses;
    }

    ActionOutcome send(String action, Call call) {
        return exchange(action, call).outcome();
    }

    /** One call: what was sent (null when nothing was), what came back (null when nothing did), and the outcome. */
    record Exchange(ActionTestResult.Request request, ActionTestResult.Response response, ActionOutcome outcome) {}

    /** {@link #send}, keeping the request and the response for an admin to read. */
    Exchange exchange(String action, Call call) {
        ObjectNode rest = call.arguments().deepCopy();
        String url = fill(call.url(), rest);
        String body = "";
        if (QUERY_METHODS.contains(call.method())) {
            url = withQuery(url, rest);
        } else {
            body = rest.toString();
        }
        // Checked again at every call: the host may resolve elsewhere than when the action was saved.
        String refused = addresses.problemWith(url).orElse(null);
        if (refused != null) {
            return new Exchange(
                    null, null, ActionOutcome.refused(action, ActionOutcome.Kind.UNREACHABLE, "the URL " + refused));
        }
        long started = System.nanoTime();
        HttpRequest request;
        CompletableFuture<HttpResponse<byte[]>> exchange;
        try {
            request = request(call, url, body);
            exchange = client.sendAsync(request, info -> new LimitedBody(MAX_RESPONSE_BYTES));
        } catch (IllegalArgumentException e) {
            // A header value HTTP cannot carry (a customer id with a line break): nothing is sent.
            return new Exchange(
                    null,
                    null,
                    ActionOutcome.refused(action, ActionOutcome.Kind.REFUSED, "the request is not valid HTTP"));
        }
        ActionTestResult.Request sent = shown(request, call, body);
        try {
            HttpResponse<byte[]> response = exchange.get(call.timeoutMs(), TimeUnit.MILLISECONDS);
            return new Exchange(
                    sent,
                    new ActionTestResult.Response(
                            response.statusCode(),
                            headers(response.headers()),
                            new String(response.body(), StandardCharsets.UTF_8)),
                    answered(action, response, elapsed(started)));
        } catch (TimeoutException e) {
            exchange.cancel(true);
            return new Exchange(
                    sent,
                    null,
                    failed(
                            action,
                            ActionOutcome.Kind.TIMEOUT,
                            "no answer within " + call.timeoutMs() + " ms",
                            started));
        } catch (ExecutionException e) {
            return new Exchange(sent, null, failure(action, call, e.getCause(), started));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.cancel(true);
            return new Exchange(
                    sent,
                    null,
                    failed(action, ActionOutcome.Kind.TIMEOUT, "interrupted while waiting for the answer", started));
        }
    }

    private static ActionOutcome failure(String action, Call call, Throwable cause, long started) {
        if (cause instanceof TooLarge) {
            return failed(
                    action,
                    ActionOutcome.Kind.TOO_LARGE,
                    "the answer is larger than " + MAX_RESPONSE_BYTES / 1024 + " KB",
                    started);
        }
        if (cause instanceof HttpTimeoutException) {
            return failed(action, ActionOutcome.Kind.TIMEOUT, "no answer within " + call.timeoutMs() + " ms", started);
        }
        return failed(action, ActionOutcome.Kind.UNREACHABLE, describe(cause), started);
    }

    /** The request for an admin to read: none of its headers carries the signing secret; secret-looking values masked. */
    private static ActionTestResult.Request shown(HttpRequest request, Call call, String body) {
        ObjectNode masked = (ObjectNode) ArgumentText.masked(call.arguments());
        ObjectNode rest = masked.deepCopy();
        String url = fill(call.url(), rest);
        if (QUERY_METHODS.contains(call.method())) {
            url = withQuery(url, rest);
        }
        return new ActionTestResult.Request(
                call.method(), url, headers(request.headers()), body.isEmpty() ? null : rest.toString());
    }

    private static Map<String, String> headers(java.net.http.HttpHeaders headers) {
        Map<String, String> flat = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.map().forEach((name, values) -> flat.put(name, String.join(", ", values)));
        return flat;
    }

    private static HttpRequest request(Call call, String url, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofMillis(call.timeoutMs()))
                .header("Accept", "application/json")
                .header("User-Agent", "Switchboard-Actions/1")
                .header(
                        "Switchboard-Signature",
                        Secrets.signatureHeader(call.secret(), System.currentTimeMillis() / 1000, body))
                .method(
                        call.method(),
                        body.isEmpty()
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(body));
        if (!body.isEmpty()) {
            request.header("Content-Type", "application/json");
        }
        if (call.customerId() != null) {
            request.header("Switchboard-Customer-Id", call.customerId());
        }
        if (call.conversationId() != null) {
            request.header("Switchboard-Conversation-Id", call.conversationId().toString());
        }
        return request.build();
    }

    private ActionOutcome answered(String action, HttpResponse<byte[]> response, long millis) {
        int status = response.statusCode();
        boolean ok = status >= 200 && status <= 299;
        byte[] bytes = response.body();
        JsonNode result = null;
        if (bytes.length > 0) {
            String type = response.headers().firstValue("Content-Type").orElse("");
            try {
                result = type.toLowerCase(java.util.Locale.ROOT).contains("json") ? json.readTree(bytes) : null;
            } catch (IOException e) {
                result = null;
            }
            if (result == null && ok) {
                return new ActionOutcome(
                        action, ActionOutcome.Kind.INVALID_JSON, status, null, "the answer is not JSON", millis);
            }
        }
        return ok
                ? new ActionOutcome(action, ActionOutcome.Kind.OK, status, result, null, millis)
                : new ActionOutcome(action, ActionOutcome.Kind.HTTP_STATUS, status, result, "HTTP " + status, millis);
    }

    /** The URL with each {@code {name}} replaced by its argument, URL-encoded, and removed from the arguments. */
    private static String fill(String template, ObjectNode arguments) {
        Matcher matcher = PLACEHOLDER.matcher(template);
        StringBuilder url = new StringBuilder();
        while (matcher.find()) {
            JsonNode value = arguments.remove(matcher.group(1));
            matcher.appendReplacement(url, Matcher.quoteReplacement(encode(text(value))));
        }
        matcher.appendTail(url);
        return url.toString();
    }

    private static String withQuery(String url, ObjectNode arguments) {
        StringJoiner query = new StringJoiner("&");
        for (Map.Entry<String, JsonNode> field : arguments.properties()) {
            Iterable<JsonNode> values = field.getValue().isArray() ? field.getValue() : List.of(field.getValue());
            for (JsonNode value : values) {
                if (!value.isNull()) {
                    query.add(encode(field.getKey()) + "=" + encode(text(value)));
                }
            }
        }
        if (query.length() == 0) {
            return url;
        }
        return url + (url.contains("?") ? "&" : "?") + query;
    }

    private static String text(JsonNode value) {
        return value.isValueNode() ? value.asText() : value.toString();
    }

    /** Percent-encoding valid in a path segment and a query alike (a space is %20, not +). */
    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static ActionOutcome failed(String action, ActionOutcome.Kind kind, String reason, long started) {
        return new ActionOutcome(action, kind, null, null, reason, elapsed(started));
    }

    private static long elapsed(long started) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    }

    private static String describe(Throwable failure) {
        String name = failure.getClass().getSimpleName();
        return failure.getMessage() == null ? name : name + ": " + failure.getMessage();
    }

    /** The answer's body, refused as soon as it grows past the limit rather than read whole. */
    private static final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {

        private final int limit;
        private final CompletableFuture<byte[]> body = new CompletableFuture<>();
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private Flow.Subscription subscription;

        LimitedBody(int limit) {
            this.limit = limit;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return body;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            if (body.isDone()) {
                return;
            }
            for (ByteBuffer buffer : buffers) {
                byte[] chunk = new byte[buffer.remaining()];
                buffer.get(chunk);
                bytes.writeBytes(chunk);
            }
            if (bytes.size() > limit) {
                subscription.cancel();
                body.completeExceptionally(new TooLarge());
            }
        }

        @Override
        public void onError(Throwable failure) {
            body.completeExceptionally(failure);
        }

        @Override
        public void onComplete() {
            body.complete(bytes.toByteArray());
        }
    }

    private static final class TooLarge extends IOException {

        TooLarge() {
            super("too large", null);
        }
    }
}
