package io.switchboard.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A real WebSocket client (the JDK's) that queues the JSON frames the server sends. */
public final class WidgetSocketClient implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final LinkedBlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final WebSocket socket;

    private WidgetSocketClient(URI uri, String origin, String... subprotocols) {
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder();
        if (origin != null) {
            builder.header("Origin", origin);
        }
        if (subprotocols.length > 0) {
            builder.subprotocols(subprotocols[0], java.util.Arrays.copyOfRange(subprotocols, 1, subprotocols.length));
        }
        this.socket = builder.buildAsync(uri, new Listener()).join();
    }

    /** Connects as the widget does: the token offered as a subprotocol, not in the URL. */
    public static WidgetSocketClient connectWithTokenProtocol(URI baseUri, String tenant, String token) {
        WidgetSocketClient client = new WidgetSocketClient(
                URI.create("ws://" + baseUri.getHost() + ":" + baseUri.getPort() + "/ws/widget/" + tenant),
                null,
                "switchboard.v1",
                "token." + token);
        return client;
    }

    /** The subprotocol the server chose. */
    public String subprotocol() {
        return socket.getSubprotocol();
    }

    public static WidgetSocketClient connect(URI baseUri, String tenant, String token) {
        return connect(baseUri, tenant, token, null);
    }

    public static WidgetSocketClient connect(URI baseUri, String tenant, String token, String origin) {
        URI uri = URI.create(
                "ws://" + baseUri.getHost() + ":" + baseUri.getPort() + "/ws/widget/" + tenant + "?token=" + token);
        return new WidgetSocketClient(uri, origin);
    }

    public void sendMessage(String text) {
        sendRaw(writeJson(Map.of("type", "message", "text", text)));
    }

    public void sendRaw(String frame) {
        socket.sendText(frame, true).join();
    }

    /** The next frame; fails the test if none arrives in time. */
    public JsonNode next() {
        try {
            JsonNode frame = frames.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (frame == null) {
                throw new AssertionError("No frame from the server within " + WAIT);
            }
            return frame;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Frames up to and including the first of the given type. */
    public List<JsonNode> until(String type) {
        List<JsonNode> received = new ArrayList<>();
        JsonNode frame;
        do {
            frame = next();
            received.add(frame);
        } while (!type.equals(frame.path("type").asText()));
        return received;
    }

    /** The close code the server sent; fails the test if it does not close in time. */
    public int closeCode() {
        return closed.orTimeout(WAIT.toMillis(), TimeUnit.MILLISECONDS).join();
    }

    /**
     * How the connection ended: the server's close code, or -1 when it broke without a close frame
     * (the server process died); fails the test if it is still open after the usual wait.
     */
    public int endCode() {
        try {
            return closed.orTimeout(WAIT.toMillis(), TimeUnit.MILLISECONDS).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof TimeoutException) {
                throw new AssertionError("The connection is still open after " + WAIT);
            }
            return -1;
        }
    }

    private static String writeJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        }
        socket.abort();
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    frames.add(JSON.readTree(partial.toString()));
                } catch (Exception e) {
                    throw new IllegalStateException("Server sent a frame that is not JSON: " + partial, e);
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.completeExceptionally(error);
        }
    }
}
