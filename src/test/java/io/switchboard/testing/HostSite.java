package io.switchboard.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * A tenant's own web site on a loopback port, as a browser test needs it: a page with the one
 * script tag that embeds the widget ({@code /?tenant=<slug>&platform=<base URL>}), optionally
 * under a strict Content Security Policy ({@code &csp=1}) and with hostile page styles otherwise.
 */
public final class HostSite implements AutoCloseable {

    private final HttpServer server;

    private HostSite(HttpServer server) {
        this.server = server;
    }

    public static HostSite start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 10);
            server.createContext("/", exchange -> {
                Map<String, String> query = query(exchange.getRequestURI().getQuery());
                byte[] body = """
                        <!DOCTYPE html><html><head><title>Host shop</title>
                        %s</head>
                        <body><h1 id="host-title">Kayak rentals</h1>
                        <script src="%swidget.js" data-tenant="%s" async></script></body></html>
                        """.formatted(
                                query.containsKey("csp")
                                        ? ""
                                        : "<style>h1 { color: rgb(10, 20, 30); } button { background: rgb(200, 0, 0); }</style>",
                                query.get("platform"),
                                query.get("tenant"))
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
                if (query.containsKey("csp")) {
                    // As strict as a careful site: only the platform's script and connections, no inline styles or
                    // scripts at all.
                    URI widgetServer = URI.create(query.get("platform"));
                    String origin = widgetServer.getScheme() + "://" + widgetServer.getAuthority();
                    exchange.getResponseHeaders()
                            .add(
                                    "Content-Security-Policy",
                                    "default-src 'none'; script-src " + origin + "; connect-src " + origin + " "
                                            + origin.replaceFirst("^http", "ws")
                                            + "; style-src 'none'; img-src 'none'");
                }
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
            return new HostSite(server);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The site's origin, to allow on a tenant. */
    public String origin() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The page embedding the tenant's widget from the platform. */
    public String page(String tenant, URI platform, boolean strictContentSecurityPolicy) {
        return origin() + "/?tenant=" + tenant + "&platform=" + platform
                + (strictContentSecurityPolicy ? "&csp=1" : "");
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private static Map<String, String> query(String query) {
        Map<String, String> values = new HashMap<>();
        for (String pair : query == null ? new String[0] : query.split("&")) {
            String[] parts = pair.split("=", 2);
            values.put(parts[0], parts.length > 1 ? parts[1] : "");
        }
        return values;
    }
}
