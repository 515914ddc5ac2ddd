package io.switchboard.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/** Help files posted to a tenant's knowledge import API, as an admin's script would, awaited until searchable. */
public final class KnowledgeUpload {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A help file by its name and content. */
    public record HelpFile(String name, byte[] content) {}

    private KnowledgeUpload() {}

    /** Imports the files in one request (they must fit the request size limit); returns the passages the ingestion made. */
    public static int importAll(HttpClient http, URI base, String adminKey, String tenant, List<HelpFile> files)
            throws IOException, InterruptedException {
        String boundary = "upload-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (HelpFile file : files) {
            body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"files\"; filename=\""
                            + file.name() + "\"\r\nContent-Type: text/markdown\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            body.write(file.content());
            body.write("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        body.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> accepted = http.send(
                HttpRequest.newBuilder(base.resolve("/api/v1/tenants/" + tenant + "/knowledge/import"))
                        .header("Authorization", "Bearer " + adminKey)
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (accepted.statusCode() != 202) {
            throw new IllegalStateException("import refused: " + accepted.statusCode() + " " + accepted.body());
        }
        while (true) {
            JsonNode status = JSON.readTree(http.send(
                            HttpRequest.newBuilder(base.resolve("/api/v1/tenants/" + tenant + "/knowledge/status"))
                                    .header("Authorization", "Bearer " + adminKey)
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body());
            switch (status.path("state").asText()) {
                case "DONE" -> {
                    return status.path("totalChunks").asInt();
                }
                case "FAILED" -> throw new IllegalStateException("import failed: " + status);
                default -> Thread.sleep(100); // polling interval, not synchronisation: the status is the signal
            }
        }
    }
}
