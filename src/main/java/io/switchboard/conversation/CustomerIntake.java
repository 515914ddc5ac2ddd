package io.switchboard.conversation;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.conversation.ConversationService.Appended;
import io.switchboard.platform.GroupCommit;
import io.switchboard.platform.ProblemException;
import io.switchboard.platform.ProblemType;
import io.switchboard.platform.TenantScope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Customers' messages coming in: stored in order, at busy times many of a tenant's in one transaction. */
@ApplicationScoped
public class CustomerIntake {

    /**
     * A stored customer message and what the bot needs to answer it: the latest history, the
     * policy version the conversation runs on, who the contact is, the model work it has used
     * so far, and the customer's language as far as the conversation knows it (null when no
     * message told it yet). History and consumption are left empty when a person owns the conversation.
     */
    public record CustomerTurn(
            MessageView message,
            ConversationState state,
            List<MessageView> history,
            int modelPolicyVersion,
            boolean canary,
            UUID contactId,
            Consumption consumed,
            String language) {}
    /** The bot's answers in a conversation so far and the tokens they used, input and output. */
    public record Consumption(long botTurns, long tokens) {

        static final Consumption NONE = new Consumption(0, 0);
    }
    /**
     * A customer's message waiting for its transaction, the language it tells (null when it is too
     * short to), and how much history its turn reads.
     */
    record CustomerMessage(UUID conversationId, String text, String language, int historyLimit) {}
    /** At most this many customer messages per transaction: Hibernate's statement batch size. */
    private static final int CUSTOMER_MESSAGES_PER_COMMIT = 50;
    /** Per tenant: a batch of its customers' messages is stored in one transaction. */
    private final GroupCommit<UUID, CustomerMessage, CustomerTurn> customerMessages;

    private final ConversationRepository conversations;
    private final MessageRepository messages;
    private final ConversationLedger ledger;

    public CustomerIntake(
            ConversationRepository conversations,
            MessageRepository messages,
            ConversationLedger ledger,
            MeterRegistry metrics) {
        this.conversations = conversations;
        this.messages = messages;
        this.ledger = ledger;
        DistributionSummary perCommit = DistributionSummary.builder("switchboard.customer.messages.per.commit")
                .description("Customer messages stored by one transaction")
                .register(metrics);
        this.customerMessages =
                new GroupCommit<>(CUSTOMER_MESSAGES_PER_COMMIT, this::appendCustomerMessages, perCommit::record);
    }
    /**
     * Stores a customer's message. Concurrent messages of the tenant are stored together in one
     * transaction ({@link GroupCommit}), so at busy times they share its fixed cost; alone, a
     * message is stored at once. An unknown or closed conversation fails its own message only.
     * A {@code language} (the one the message clearly tells, or null) becomes the conversation's.
     */
    public CustomerTurn appendCustomerMessage(UUID conversationId, String text, String language, int historyLimit) {
        return customerMessages.submit(
                TenantScope.require(), new CustomerMessage(conversationId, text, language, historyLimit));
    }
    /**
     * One transaction for the batch. All messages are appended before any event is recorded, and
     * all events before any history is read (a native read flushes what is pending): Hibernate then
     * sends the messages, the events and the conversations' updates as one statement batch each.
     */
    @Transactional
    List<GroupCommit.Outcome<CustomerTurn>> appendCustomerMessages(List<CustomerMessage> batch) {
        Map<UUID, Conversation> locked = conversations.lockInTenant(
                batch.stream().map(CustomerMessage::conversationId).toList());
        // Each message's conversation, or null where it is unknown or closed: that message is refused.
        Conversation[] open = batch.stream()
                .map(message -> locked.get(message.conversationId()))
                .map(conversation ->
                        conversation == null || conversation.state == ConversationState.CLOSED ? null : conversation)
                .toArray(Conversation[]::new);
        Message[] stored = new Message[batch.size()];
        for (int i = 0; i < batch.size(); i++) {
            if (open[i] != null) {
                stored[i] = ledger.append(
                        open[i], MessageRole.CUSTOMER, batch.get(i).text());
                if (batch.get(i).language() != null) {
                    open[i].language = batch.get(i).language();
                }
            }
        }
        Appended[] recorded = new Appended[batch.size()];
        for (int i = 0; i < batch.size(); i++) {
            if (open[i] != null) {
                recorded[i] = ledger.recorded(open[i], stored[i], ConversationEvents.Origin.TURN);
            }
        }
        List<GroupCommit.Outcome<CustomerTurn>> outcomes = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            if (open[i] != null) {
                outcomes.add(GroupCommit.Outcome.of(
                        customerTurn(open[i], recorded[i], batch.get(i).historyLimit())));
            } else if (locked.containsKey(batch.get(i).conversationId())) {
                outcomes.add(GroupCommit.Outcome.failed(
                        new ProblemException(ProblemType.CONFLICT, "This conversation is closed; start a new one")));
            } else {
                outcomes.add(GroupCommit.Outcome.failed(ProblemException.notFound("Conversation")));
            }
        }
        return outcomes;
    }

    private CustomerTurn customerTurn(Conversation conversation, Appended appended, int historyLimit) {
        if (appended.state() != ConversationState.BOT) {
            // A person owns the conversation: the bot stays silent, so the reads a bot turn needs are skipped.
            return new CustomerTurn(
                    appended.message(),
                    appended.state(),
                    List.of(),
                    conversation.modelPolicyVersion,
                    conversation.canary,
                    conversation.contactId,
                    Consumption.NONE,
                    conversation.language);
        }
        List<MessageView> history =
                messages.latest(conversation.id, appended.message().seq(), historyLimit);
        return new CustomerTurn(
                appended.message(),
                appended.state(),
                history,
                conversation.modelPolicyVersion,
                conversation.canary,
                conversation.contactId,
                new Consumption(conversation.botTurns, conversation.botTokens),
                conversation.language);
    }
}
