package io.switchboard.admin;

import static io.switchboard.testing.AdminClient.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.model.ModelPolicy;
import io.switchboard.model.ModelRef;
import io.switchboard.tenant.TenantSettings;
import io.switchboard.testing.AdminClient;
import io.switchboard.testing.StoredMessages;
import io.switchboard.testing.TestTenants;
import io.switchboard.testing.WidgetClient;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** Exporting a transcript (JSON, CSV) and erasing a contact with everything they said, both audited. */
@QuarkusTest
class TranscriptExportTest {

    private static final String CONVERSATION = "/api/v1/tenants/{tenant}/conversations/{id}";

    @Inject
    TestTenants tenants;

    @Inject
    StoredMessages stored;

    @ConfigProperty(name = "switchboard.tenant.bootstrap.api-key")
    String platformKey;

    @Test
    void aTranscriptExportsAsJsonOrSafeCsv() {
        TenantSettings tenant = tenants.create(ModelPolicy.of(new ModelRef("stub", "echo")));
        String admin = AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin");
        WidgetClient.Conversation conversation = WidgetClient.start(tenant.slug());
        WidgetClient.send(conversation, "=HYPERLINK(\"http://evil.example\",\"click\"), and \"quotes\"")
                .statusCode(200);
        WidgetClient.send(conversation, "\r=1+1").statusCode(200);

        as(admin)
                .accept("application/json")
                .get(CONVERSATION + "/export", tenant.slug(), conversation.id())
                .then()
                .statusCode(200)
                .header("Content-Disposition", containsString("attachment"))
                .body("messages.role", hasItem("bot"));
        String csv = as(admin)
                .accept("text/csv")
                .get(CONVERSATION + "/export", tenant.slug(), conversation.id())
                .then()
                .statusCode(200)
                .contentType(containsString("text/csv"))
                .extract()
                .asString();
        String[] lines = csv.split("\r\n");
        assertThat(lines[0]).startsWith("conversation,seq,created_at,role,author,text");
        assertThat(lines[1])
                .contains(",customer,,\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\"), and \"\"quotes\"\"\"");
        assertThat(csv).as("a carriage return does not hide a formula").contains(",customer,,\"'\r=1+1\"");
        assertThat(lines).hasSizeGreaterThanOrEqualTo(3);
        as(admin)
                .get("/api/v1/tenants/{tenant}/audit-log", tenant.slug())
                .then()
                .body("items.findAll { it.action == 'conversation.exported' }.size()", equalTo(2));
        String agent = AdminClient.newKey(platformKey, tenant.slug(), "agent");
        as(agent)
                .get(CONVERSATION + "/export", tenant.slug(), conversation.id())
                .then()
                .statusCode(403);
    }

    @Test
    void erasingAContactRemovesTheirConversationsMessagesAndEvents() {
        TenantSettings tenant = tenants.create(ModelPolicy.of(new ModelRef("stub", "echo")));
        String admin = AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin");
        WidgetClient.Conversation conversation = WidgetClient.start(tenant.slug());
        WidgetClient.send(conversation, "My card number is 4111 1111 1111 1111").statusCode(200);
        WidgetClient.Conversation someoneElse = WidgetClient.start(tenant.slug());
        WidgetClient.send(someoneElse, "Unrelated question").statusCode(200);
        String contact = as(admin)
                .get(CONVERSATION, tenant.slug(), conversation.id())
                .then()
                .statusCode(200)
                .extract()
                .path("conversation.contactId");

        as(admin)
                .delete("/api/v1/tenants/{tenant}/contacts/{id}", tenant.slug(), contact)
                .then()
                .statusCode(200)
                .body("conversations", equalTo(1))
                .body("messages", equalTo(2));
        as(admin).get(CONVERSATION, tenant.slug(), conversation.id()).then().statusCode(404);
        assertThat(stored.of(conversation.id())).isEmpty();
        assertThat(stored.eventsOf(conversation.id())).isEmpty();
        assertThat(stored.of(someoneElse.id())).hasSize(2);
        // The customer's token opened the conversation a moment ago; it opens nothing now, and stores nothing.
        WidgetClient.send(conversation, "Are you still there?").statusCode(404);
        assertThat(stored.of(conversation.id())).isEmpty();
        WidgetClient.send(someoneElse, "Another question").statusCode(200);
        as(admin)
                .delete("/api/v1/tenants/{tenant}/contacts/{id}", tenant.slug(), contact)
                .then()
                .statusCode(404);
        as(admin)
                .get("/api/v1/tenants/{tenant}/audit-log", tenant.slug())
                .then()
                .body("items.find { it.action == 'contact.erased' }.target", equalTo(contact))
                .body("items.find { it.action == 'contact.erased' }.detail.messages", equalTo(2));
    }
}
