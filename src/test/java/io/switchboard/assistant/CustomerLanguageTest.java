package io.switchboard.assistant;

import static io.switchboard.testing.TestTenants.KAYAK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.handoff.HandoffConfig;
import io.switchboard.platform.CustomerTexts;
import io.switchboard.tenant.TenantSettings;
import io.switchboard.testing.StoredMessages;
import io.switchboard.testing.StubRequests;
import io.switchboard.testing.TestTenants;
import io.switchboard.testing.WidgetClient;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The customer reads the platform's notices in the language they write in: the conversation
 * keeps the language of their last message long enough to tell it, a greeting too short to tell
 * keeps it, and a first greeting gets the tenant's language (English by default).
 */
@QuarkusTest
class CustomerLanguageTest {

    @Inject
    TestTenants tenants;

    @Inject
    StoredMessages stored;

    @Inject
    HandoffConfig handoff;

    @ConfigProperty(name = "switchboard.model.endpoints.stub.base-url")
    String stubBaseUrl;

    @ParameterizedTest
    @CsvSource({
        "de, Was ist eigentlich die Hauptstadt von Australien?, Ich bin mir nicht sicher",
        "es, ¿Cuál es la capital de Australia por favor?, No estoy seguro"
    })
    void theRetrievalAnswererIsNotSureInTheCustomersLanguage(String language, String question, String opening) {
        TenantSettings tenant = tenants.withArticles(TestTenants.retrieval(), KAYAK);

        String text = WidgetClient.send(WidgetClient.start(tenant.slug()), question)
                .statusCode(200)
                .body("reply.role", equalTo("bot"))
                .body("state", equalTo("PENDING_HUMAN"))
                .extract()
                .path("reply.text");
        assertThat(text).startsWith(opening).isEqualTo(CustomerTexts.text("not_sure", language));
    }

    @ParameterizedTest
    @CsvSource({
        "de, Ich habe eine Frage zu meinem chargeback bitte, Ich verbinde dich",
        "es, Tengo una pregunta sobre mi chargeback por favor, Te estoy poniendo en contacto"
    })
    void aHandOffIsAnnouncedInTheCustomersLanguage(String language, String message, String opening) {
        TenantSettings tenant = tenants.withStubModel("echo");
        WidgetClient.Conversation conversation = WidgetClient.start(tenant.slug());

        String text = WidgetClient.send(conversation, message)
                .statusCode(200)
                .body("reply.role", equalTo("system"))
                .body("state", equalTo("PENDING_HUMAN"))
                .extract()
                .path("reply.text");
        assertThat(text).startsWith(opening).isEqualTo(CustomerTexts.text("connecting", language));
        assertThat(stored.conversation(conversation.id())).containsEntry("language", language);
    }

    @ParameterizedTest
    @CsvSource({
        "de, Meine Buchung ist einfach verschwunden. Was kann ich tun?, Entschuldigung",
        "es, Mi reserva ha desaparecido. ¿Qué puedo hacer ahora?, Lo siento"
    })
    void aFailingModelsNoticeIsInTheCustomersLanguage(String language, String message, String opening) {
        TenantSettings tenant = tenants.withStubModel("error-500");

        String text = WidgetClient.send(WidgetClient.start(tenant.slug()), message)
                .statusCode(200)
                .body("reply.role", equalTo("system"))
                .body("state", equalTo("PENDING_HUMAN"))
                .extract()
                .path("reply.text");
        assertThat(text).startsWith(opening).isEqualTo(CustomerTexts.text("handoff", language));
    }

    @Test
    void aFirstGreetingTooShortToTellGetsTheTenantsLanguage() {
        TenantSettings tenant = tenants.withStubModel("error-500");
        WidgetClient.Conversation conversation = WidgetClient.start(tenant.slug());

        WidgetClient.send(conversation, "Hello?").statusCode(200).body("reply.text", equalTo(handoff.handoffNotice()));
        assertThat(stored.conversation(conversation.id())).containsEntry("language", null);
    }

    @Test
    void aShortMessageAfterALongFrenchOneKeepsFrench() {
        TenantSettings tenant = tenants.withStubModel("echo");
        WidgetClient.Conversation conversation = WidgetClient.start(tenant.slug());
        WidgetClient.send(conversation, "Bonjour, je voudrais savoir comment annuler ma réservation")
                .statusCode(200)
                .body("state", equalTo("BOT"));

        String greeting = "Hello? " + tenant.slug();
        WidgetClient.send(conversation, greeting).statusCode(200).body("state", equalTo("BOT"));
        JsonNode asked = StubRequests.last(stubBaseUrl, greeting);
        assertThat(asked.path("messages").get(0).path("content").asText())
                .contains("The customer writes in French: answer in French");

        WidgetClient.send(conversation, "chargeback")
                .statusCode(200)
                .body("reply.text", equalTo(CustomerTexts.text("connecting", "fr")))
                .body("state", equalTo("PENDING_HUMAN"));
        assertThat(stored.conversation(conversation.id())).containsEntry("language", "fr");
    }
}
