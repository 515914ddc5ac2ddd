package io.switchboard.conversation;

import io.switchboard.events.EventType;
import io.switchboard.events.Outbox;
import io.switchboard.model.ModelPolicies;
import io.switchboard.platform.CustomerTexts;
import io.switchboard.platform.ProblemException;
import io.switchboard.platform.Secrets;
import io.switchboard.platform.TenantScope;
import io.switchboard.tenant.TenantService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * A conversation's life on the customer's and the bot's side: it starts, the bot answers or hands
 * it to a person, the customer rates answers and leaves an email. Customers' messages come in
 * through {@link CustomerIntake}, people's actions through {@link AgentActions}; reading them back
 * is {@link Transcripts}. Every method runs for the tenant in {@link TenantScope}, each that
 * touches the database in one short transaction, so a message is either fully stored or not at all.
 */
@ApplicationScoped
public class ConversationService {

    /** What the customer gets when starting: the token is shown only here. */
    public record Started(UUID id, long number, String token, ConversationState state) {}

    /** A stored message and the state the conversation is in after it. */
    public record Appended(MessageView message, ConversationState state) {}

    private final ConversationRepository conversations;
    private final MessageRepository messages;
    private final ContactRepository contacts;
    private final TenantService tenants;
    private final ModelPolicies policies;
    private final Outbox outbox;
    private final ConversationLedger ledger;

    public ConversationService(
            ConversationRepository conversations,
            MessageRepository messages,
            ContactRepository contacts,
            TenantService tenants,
            ModelPolicies policies,
            Outbox outbox,
            ConversationLedger ledger) {
        this.conversations = conversations;
        this.messages = messages;
        this.contacts = contacts;
        this.tenants = tenants;
        this.policies = policies;
        this.outbox = outbox;
        this.ledger = ledger;
    }

    /**
     * Starts a conversation on the tenant's model policy in force. Its number
     * is drawn first, in a transaction of its own (see {@link TenantService#nextConversationNumber}).
     */
    public Started start(ContactDetails details) {
        UUID tenantId = TenantScope.require();
        // The conversation keeps the policy it starts with, and is drawn for the canary now or never.
        ModelPolicies.Current policy = policies.current(tenantId);
        return open(
                tenantId,
                tenants.nextConversationNumber(tenantId),
                details,
                policy.version(),
                policy.policy().drawsCanary());
    }

    @Transactional
    Started open(UUID tenantId, long number, ContactDetails details, int modelPolicyVersion, boolean canary) {
        Instant now = Instant.now();
        Contact contact = details != null && details.verified()
                ? contacts.findByExternalId(details.id()).orElse(null)
                : null;
        if (contact == null) {
            contact = new Contact();
            contact.id = UUID.randomUUID();
            contact.createdAt = now;
            if (details != null && details.verified()) {
                contact.externalId = details.id();
                contact.verified = true;
            }
            contacts.persist(contact);
        }
        if (details != null) {
            contact.displayName = details.name() != null ? details.name() : contact.displayName;
            contact.email = details.email() != null ? details.email() : contact.email;
        }

        String token = Secrets.newSecret("sbc_");
        Conversation conversation = new Conversation();
        conversation.id = UUID.randomUUID();
        conversation.number = number;
        conversation.contactId = contact.id;
        conversation.state = ConversationState.BOT;
        conversation.modelPolicyVersion = modelPolicyVersion;
        conversation.canary = canary;
        conversation.tokenHash = Secrets.sha256(token);
        conversation.createdAt = now;
        conversation.updatedAt = now;
        conversations.persist(conversation);
        outbox.record(
                EventType.CONVERSATION_STARTED,
                tenantId,
                conversation.id.toString(),
                new ConversationEvents.Started(conversation.id, conversation.number, contact.id, modelPolicyVersion));
        return new Started(conversation.id, conversation.number, token, conversation.state);
    }

    @Transactional
    public Appended appendBotReply(UUID conversationId, BotReply reply) {
        Conversation conversation = ledger.locked(conversationId);
        if (conversation.state != ConversationState.BOT) {
            // A person took over while the model was answering: the bot's answer is dropped, never shown as said.
            return new Appended(null, conversation.state);
        }
        Message message = ledger.append(
                conversation, MessageRole.BOT, reply.answer().reply().text(), bot -> {
                    bot.modelEndpoint = reply.answer().model().endpoint();
                    bot.modelName = reply.answer().model().model();
                    bot.provider = reply.answer().provider();
                    bot.configVersion = reply.configVersion();
                    bot.modelPolicyVersion = reply.modelPolicyVersion();
                    bot.inputTokens = reply.answer().usage().inputTokens();
                    bot.outputTokens = reply.answer().usage().outputTokens();
                    bot.tokensEstimated = reply.answer().usage().estimated();
                    bot.costUsd = reply.answer().usage().costUsd();
                    bot.ttftMillis = (int) reply.answer().reply().timeToFirstTokenMillis();
                    bot.latencyMillis = (int) reply.answer().reply().latencyMillis();
                    bot.citations = reply.answer().reply().citations();
                });
        conversation.botTurns++;
        conversation.botTokens += reply.answer().usage().totalTokens();
        if (reply.escalationReason() != null) {
            ledger.escalate(conversation, reply.escalationReason());
        }
        return ledger.recorded(conversation, message, ConversationEvents.Origin.TURN);
    }

    /**
     * Tells the customer a person will follow up, in the conversation's language, and queues the
     * conversation for one. A conversation already waiting for or owned by a person is left as it
     * is (no message).
     */
    @Transactional
    public Appended handOff(UUID conversationId, CustomerTexts.Localized notice, String reason) {
        Conversation conversation = ledger.locked(conversationId);
        if (conversation.state != ConversationState.BOT) {
            return new Appended(null, conversation.state);
        }
        Message message = ledger.append(conversation, MessageRole.SYSTEM, notice.in(conversation.language));
        ledger.escalate(conversation, reason);
        return ledger.recorded(conversation, message, ConversationEvents.Origin.TURN);
    }

    /**
     * The bot tells the customer something without answering (a limit was reached), in the
     * conversation's language; the conversation stays with the bot.
     */
    @Transactional
    public Appended notice(UUID conversationId, CustomerTexts.Localized text) {
        Conversation conversation = ledger.locked(conversationId);
        if (conversation.state != ConversationState.BOT) {
            return new Appended(null, conversation.state);
        }
        return ledger.recorded(
                conversation,
                ledger.append(conversation, MessageRole.SYSTEM, text.in(conversation.language)),
                ConversationEvents.Origin.TURN);
    }

    /**
     * Records the customer's verdict on one of the bot's answers in this conversation; returns how
     * many of the bot's latest answers in a row are now marked unhelpful.
     */
    @Transactional
    public int markAnswer(UUID conversationId, UUID messageId, boolean helpful) {
        Conversation conversation = ledger.locked(conversationId);
        Message answer = messages.findByIdOptional(messageId)
                .filter(message -> message.conversationId.equals(conversationId) && message.role == MessageRole.BOT)
                .orElseThrow(() -> ProblemException.notFound("Bot answer"));
        String verdict = helpful ? "helpful" : "unhelpful";
        if (!verdict.equals(answer.feedback)) {
            // Rating an answer again the same way (a click twice, a rephrase after "not helpful") is not news.
            answer.feedback = verdict;
            // A changed verdict changes what the conversation tells of the answers (insights analyse it again).
            conversation.updatedAt = Instant.now();
            outbox.record(
                    EventType.ANSWER_RATED,
                    UUID.fromString(conversation.tenantId),
                    conversationId.toString(),
                    new ConversationEvents.AnswerRated(conversationId, messageId, helpful));
        }
        int inARow = 0;
        for (Message bot : messages.latestBotAnswers(conversationId, 10)) {
            if (!"unhelpful".equals(bot.feedback)) {
                break;
            }
            inARow++;
        }
        return inARow;
    }

    /** The customer leaves an email for the team to reply to (when nobody is in to answer now). */
    @Transactional
    public Appended leaveEmail(UUID conversationId, String email) {
        Conversation conversation = ledger.locked(conversationId);
        Contact contact = contacts.findByIdOptional(conversation.contactId)
                .orElseThrow(() -> ProblemException.notFound("Contact"));
        contact.email = email;
        outbox.record(
                EventType.EMAIL_LEFT,
                UUID.fromString(conversation.tenantId),
                conversationId.toString(),
                new ConversationEvents.EmailLeft(conversationId, contact.id, email));
        return ledger.recorded(
                conversation,
                ledger.append(
                        conversation,
                        MessageRole.SYSTEM,
                        CustomerTexts.text("email_left", conversation.language, "email", email)),
                ConversationEvents.Origin.TURN);
    }

    @Transactional
    public ConversationState state(UUID conversationId) {
        return conversations
                .findInTenant(conversationId)
                .map(conversation -> conversation.state)
                .orElseThrow(() -> ProblemException.notFound("Conversation"));
    }

    /**
     * The tenant's own user id of a contact its server vouched for (see {@code IdentityVerifier}),
     * empty for an anonymous one: who an action acts for, never what a model or browser claims.
     */
    @Transactional
    public Optional<String> verifiedCustomerId(UUID contactId) {
        return contacts.findByIdOptional(contactId)
                .filter(contact -> contact.verified && contact.externalId != null)
                .map(contact -> contact.externalId);
    }

    /** Marks the conversation for review (the first reason stays). */
    @Transactional
    public void flag(UUID conversationId, String reason) {
        Conversation conversation = ledger.locked(conversationId);
        if (conversation.flaggedReason == null) {
            conversation.flaggedReason = reason;
            conversation.flaggedAt = Instant.now();
        }
    }
}
