package io.switchboard.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.switchboard.platform.Secrets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server that takes signed POSTs (webhooks, channel callbacks) as a tenant's server
 * would: it records each one and answers 204, or 500 to the first {@link #failFirst} attempts of
 * each event.
 */
public final class CallbackReceiver implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One POST as received, with the status it was answered. */
    public record Received(String path, String eventId, String eventType, String signature, String body, int status) {

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Whether {@code secret} signed this body as the platform signs: {@code t=<unix>,v1=<hex HMAC(secret, "t.body")>}. */
        public boolean signedWith(String secret) {
            String timestamp = signature.replaceFirst("^t=(\\d+),v1=.*$", "$1");
            String hmac = signature.replaceFirst("^t=\\d+,v1=", "");
            return hmac.equals(Secrets.hmacSha256(secret, timestamp + "." + body));
        }
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final ConcurrentHashMap<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    private volatile int failFirst;

    public CallbackReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String eventId = exchange.getRequestHeaders().getFirst("Switchboard-Event-Id");
            int attempt = attempts.computeIfAbsent(String.valueOf(eventId), id -> new AtomicInteger())
                    .incrementAndGet();
            int status = attempt <= failFirst ? 500 : 204;
            received.add(new Received(
                    exchange.getRequestURI().getPath(),
                    eventId,
                    exchange.getRequestHeaders().getFirst("Switchboard-Event-Type"),
                    exchange.getRequestHeaders().getFirst("Switchboard-Signature"),
                    body,
                    status));
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    /** From now on, the first {@code attempts} POSTs of each event are answered 500. */
    public CallbackReceiver failFirst(int attempts) {
        this.failFirst = attempts;
        return this;
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
