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

    /** The conversation a channel's contact writes in: their open one on the channel, or one {@code started} now. */
    public record Joined(UUID id, boolean started) {}

    /**
     * Where a conversation came from and who it is with: the channel, and the contact as its
     * channel knows them (the tenant's own id of the contact, else the platform's).
     */
    public record Origin(ChannelRef channel, String contactId) {}

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

    /** Starts a conversation in the tenant's widget (see {@link #start(ChannelRef, ContactDetails)}). */
    public Started start(ContactDetails details) {
        return start(ChannelRef.widget(TenantScope.require()), details);
    }

    /**
     * Starts a conversation on the channel, on the tenant's model policy in force. Its number
     * is drawn first, in a transaction of its own (see {@link TenantService#nextConversationNumber}).
     */
    public Started start(ChannelRef channel, ContactDetails details) {
        return start(channel, details, false);
    }

    /**
     * The conversation a verified contact of a channel writes in: the one they have open on the
     * channel, else a new one. Two first messages of a contact at once still make one conversation.
     */
    public Joined join(ChannelRef channel, ContactDetails contact) {
        Optional<UUID> open = openOn(channel, contact.id());
        if (open.isPresent()) {
            return new Joined(open.get(), false);
        }
        Started started = start(channel, contact, true);
        return new Joined(started.id(), started.token() != null);
    }

    @Transactional
    Optional<UUID> openOn(ChannelRef channel, String externalContactId) {
        return contacts.findByExternalId(externalContactId)
                .flatMap(contact -> conversations.openOnChannel(channel.id(), contact.id))
                .map(conversation -> conversation.id);
    }

    private Started start(ChannelRef channel, ContactDetails details, boolean joinOpen) {
        UUID tenantId = TenantScope.require();
        // The conversation keeps the policy it starts with, and is drawn for the canary now or never.
        ModelPolicies.Current policy = policies.current(tenantId);
        return open(
                tenantId,
                tenants.nextConversationNumber(tenantId),
                channel,
                details,
                joinOpen,
                policy.version(),
                policy.policy().drawsCanary());
    }

    /** With {@code joinOpen}, a conversation the contact opened on the channel meanwhile is returned instead (without a token). */
    @Transactional
    Started open(
            UUID tenantId,
            long number,
            ChannelRef channel,
            ContactDetails details,
            boolean joinOpen,
            int modelPolicyVersion,
            boolean canary) {
        Instant now = Instant.now();
        if (joinOpen) {
            conversations.lockChannelContact(channel.id(), details.id());
            Optional<Conversation> open = contacts.findByExternalId(details.id())
                    .flatMap(contact -> conversations.openOnChannel(channel.id(), contact.id));
            if (open.isPresent()) {
                return new Started(open.get().id, open.get().number, null, open.get().state);
            }
        }
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
        conversation.channelId = channel.id();
        conversation.channelType = channel.type();
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
     * many of the bot's latest answers in a row are now marked unhelpful. An answer marked helpful
     * before any hand-off resolves the conversation: the customer is asked to rate it.
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
        if (helpful
                && conversation.state == ConversationState.BOT
                && conversation.escalationReason == null
                && conversation.surveyOfferedAt == null) {
            // An answer that helped before anyone was needed: the assistant resolved it, so ask how it went.
            conversation.surveyOfferedAt = Instant.now();
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

    /** Where the conversation came from and who it is with; empty when it is gone. */
    @Transactional
    public Optional<Origin> origin(UUID conversationId) {
        return conversations
                .findInTenant(conversationId)
                .map(conversation -> new Origin(
                        new ChannelRef(conversation.channelId, conversation.channelType),
                        contacts.findByIdOptional(conversation.contactId)
                                .map(contact -> contact.externalId)
                                .orElse(conversation.contactId.toString())));
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
