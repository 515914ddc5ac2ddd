package io.switchboard.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.events.EventType;
import io.switchboard.platform.GroupCommit;
import io.switchboard.platform.ProblemException;
import io.switchboard.platform.TenantScope;
import io.switchboard.tenant.TenantSettings;
import io.switchboard.testing.StoredMessages;
import io.switchboard.testing.TestTenants;
import io.switchboard.testing.WidgetClient;
import jakarta.inject.Inject;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Customer messages that arrive together are stored in one transaction (group commit): each is
 * stored in its own conversation with its event, and a message that cannot be stored fails alone.
 */
@QuarkusTest
class CustomerMessageBatchTest {

    private static final int HISTORY = 20;

    @Inject
    TestTenants tenants;

    @Inject
    CustomerIntake intake;

    @Inject
    AgentActions agentActions;

    @Inject
    StoredMessages stored;

    @Test
    void oneTransactionStoresEachMessageInItsConversationAndRefusesOnlyTheClosedAndUnknownOnes() {
        TenantSettings tenant = tenants.withStubModel("echo");
        WidgetClient.Conversation open = WidgetClient.start(tenant.slug());
        WidgetClient.Conversation other = WidgetClient.start(tenant.slug());
        WidgetClient.Conversation closed = WidgetClient.start(tenant.slug());
        TenantScope.call(tenant.id(), () -> agentActions.close(UUID.fromString(closed.id())));

        List<GroupCommit.Outcome<CustomerIntake.CustomerTurn>> outcomes = TenantScope.call(
                tenant.id(),
                () -> intake.appendCustomerMessages(List.of(
                        message(open, "Where is my booking?"),
                        message(closed, "Anyone there?"),
                        message(
                                new WidgetClient.Conversation(
                                        tenant.slug(), UUID.randomUUID().toString(), "sbc_none"),
                                "Hello?"),
                        message(other, "Can I pay by card?"),
                        message(open, "It was for Friday"))));

        assertThat(outcomes.get(0).failure()).isNull();
        assertThat(outcomes.get(0).result().message().seq()).isEqualTo(1);
        assertThat(outcomes.get(4).result().message().seq()).isEqualTo(2);
        assertThat(outcomes.get(3).result().message().seq()).isEqualTo(1);
        // Each turn's history ends at the message it answers, although both were stored together.
        assertThat(outcomes.get(0).result().history())
                .extracting(MessageView::text)
                .containsExactly("Where is my booking?");
        assertThat(outcomes.get(4).result().history())
                .extracting(MessageView::text)
                .containsExactly("Where is my booking?", "It was for Friday");
        assertThat(((ProblemException) outcomes.get(1).failure()).problem().status())
                .isEqualTo(409);
        assertThat(((ProblemException) outcomes.get(2).failure()).problem().status())
                .isEqualTo(404);

        assertThat(stored.of(open.id()))
                .extracting(row -> row.get("text"))
                .containsExactly("Where is my booking?", "It was for Friday");
        assertThat(stored.of(other.id())).extracting(row -> row.get("text")).containsExactly("Can I pay by card?");
        assertThat(stored.of(closed.id())).extracting(row -> row.get("text")).doesNotContain("Anyone there?");
        assertThat(stored.conversation(open.id())).containsEntry("message_count", 2);
        assertThat(stored.eventsOf(open.id()))
                .extracting(event -> event.get("type"))
                .filteredOn(EventType.MESSAGE_CREATED.topic()::equals)
                .hasSize(2);
    }

    private static CustomerIntake.CustomerMessage message(WidgetClient.Conversation conversation, String text) {
        return new CustomerIntake.CustomerMessage(UUID.fromString(conversation.id()), text, null, HISTORY);
    }
}
