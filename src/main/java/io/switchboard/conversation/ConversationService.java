package io.switchboard.conversation;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.events.EventType;
import io.switchboard.events.Outbox;
import io.switchboard.model.ModelPolicies;
import io.switchboard.platform.AuditLog;
import io.switchboard.platform.GroupCommit;
import io.switchboard.platform.ProblemException;
import io.switchboard.platform.ProblemType;
import io.switchboard.platform.Secrets;
import io.switchboard.platform.TenantScope;
import io.switchboard.tenant.TenantService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Conversations and their messages. Every method runs for the tenant in {@link TenantScope};
 * each that touches the database does so in one short transaction, so a message is either fully
 * stored or not at all.
 */
@ApplicationScoped
public class ConversationService {

    /** What the customer gets when starting: the token is shown only here. */
    /** How the customer hears of the person who joins: agents' own names are not shown to customers. */
    public static final String TEAM_MEMBER = "A person from our team";

    public record Started(UUID id, long number, String token, ConversationState state) {}

    /**
     * A stored customer message and what the bot needs to answer it: the latest history, the
     * policy version the conversation runs on, who the contact is, and the model work it has used
     * so far. History and consumption are left empty when a person owns the conversation.
     */
    public record CustomerTurn(
            MessageView message,
            ConversationState state,
            List<MessageView> history,
            int modelPolicyVersion,
            boolean canary,
            UUID contactId,
            Consumption consumed) {}

    /** The bot's answers in a conversation so far and the tokens they used, input and output. */
    public record Consumption(long botTurns, long tokens) {

        static final Consumption NONE = new Consumption(0, 0);
    }

    /** A stored message and the state the conversation is in after it. */
    public record Appended(MessageView message, ConversationState state) {}

    /** A token's digest, within its tenant. */
    private record TokenKey(UUID tenantId, String tokenHash) {}

    /** A customer's message waiting for its transaction, and how much history its turn reads. */
    record CustomerMessage(UUID conversationId, String text, int historyLimit) {}

    /** At most this many customer messages per transaction: Hibernate's statement batch size. */
    private static final int CUSTOMER_MESSAGES_PER_COMMIT = 50;

    /** Enough for the conversations a replica serves at once (about 250 bytes each); idle ones are forgotten. */
    private static final int REMEMBERED_TOKENS = 20_000;

    private final Cache<TokenKey, Opened> openedByToken;
    /** A conversation token opens nothing once its conversation has been idle this long; the widget then starts anew. */
    private final Duration tokenIdleLifetime;

    private final ConversationRepository conversations;
    private final MessageRepository messages;
    private final ContactRepository contacts;
    private final TenantService tenants;
    private final ModelPolicies policies;
    private final Outbox outbox;
    private final AuditLog audit;
    /** Per tenant: a batch of its customers' messages is stored in one transaction. */
    private final GroupCommit<UUID, CustomerMessage, CustomerTurn> customerMessages;

    public ConversationService(
            ConversationRepository conversations,
            MessageRepository messages,
            ContactRepository contacts,
            TenantService tenants,
            ModelPolicies policies,
            Outbox outbox,
            AuditLog audit,
            MeterRegistry metrics,
            @ConfigProperty(name = "switchboard.conversations.token-idle-lifetime") Duration tokenIdleLifetime) {
        this.audit = audit;
        this.tokenIdleLifetime = tokenIdleLifetime;
        this.openedByToken = Caffeine.newBuilder()
                .maximumSize(REMEMBERED_TOKENS)
                .expireAfterAccess(Duration.ofHours(1))
                .build();
        DistributionSummary perCommit = DistributionSummary.builder("switchboard.customer.messages.per.commit")
                .description("Customer messages stored by one transaction")
                .register(metrics);
        this.customerMessages =
                new GroupCommit<>(CUSTOMER_MESSAGES_PER_COMMIT, this::appendCustomerMessages, perCommit::record);
        this.conversations = conversations;
        this.messages = messages;
        this.contacts = contacts;
        this.tenants = tenants;
        this.policies = policies;
        this.outbox = outbox;
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

    /** A conversation a customer's token opens, and the customer (contact) it belongs to. */
    public record OpenConversation(UUID id, UUID contactId) {}

    /** The conversation the token opens, if it is this one; anything else looks like "not found". */
    public Optional<OpenConversation> authorize(UUID conversationId, String token) {
        return conversationForToken(token).filter(opened -> opened.id().equals(conversationId));
    }

    /** A conversation a token opened, and when it was last known to be active. */
    private record Opened(OpenConversation conversation, Instant activeAt) {}

    /**
     * The conversation of the tenant in scope that the token opens, unless it has been idle for
     * longer than a token lives. A token never changes, so this replica remembers the answer: a
     * customer's next message costs no read (nor transaction) to authorize; once what it remembers
     * is as old as a token may be idle, it reads the conversation again. Tokens that open nothing
     * are not remembered.
     */
    public Optional<OpenConversation> conversationForToken(String token) {
        if (token == null || token.isBlank()) {
            return Optional.empty();
        }
        TokenKey key = new TokenKey(TenantScope.require(), Secrets.sha256(token));
        Instant activeSince = Instant.now().minus(tokenIdleLifetime);
        Opened known = openedByToken.getIfPresent(key);
        if (known != null && known.activeAt().isAfter(activeSince)) {
            return Optional.of(known.conversation());
        }
        Optional<Opened> found = findByTokenHash(key.tokenHash())
                .filter(opened -> opened.activeAt().isAfter(activeSince));
        found.ifPresentOrElse(opened -> openedByToken.put(key, opened), () -> openedByToken.invalidate(key));
        return found.map(Opened::conversation);
    }

    @Transactional
    Optional<Opened> findByTokenHash(String tokenHash) {
        return conversations
                .findByTokenHash(tokenHash)
                .map(conversation -> new Opened(
                        new OpenConversation(conversation.id, conversation.contactId), conversation.updatedAt));
    }

    /**
     * Stores a customer's message. Concurrent messages of the tenant are stored together in one
     * transaction ({@link GroupCommit}), so at busy times they share its fixed cost; alone, a
     * message is stored at once. An unknown or closed conversation fails its own message only.
     */
    public CustomerTurn appendCustomerMessage(UUID conversationId, String text, int historyLimit) {
        return customerMessages.submit(TenantScope.require(), new CustomerMessage(conversationId, text, historyLimit));
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
                stored[i] = append(open[i], MessageRole.CUSTOMER, batch.get(i).text());
            }
        }
        Appended[] recorded = new Appended[batch.size()];
        for (int i = 0; i < batch.size(); i++) {
            if (open[i] != null) {
                recorded[i] = recorded(open[i], stored[i], ConversationEvents.Origin.TURN);
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
                    Consumption.NONE);
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
                new Consumption(conversation.botTurns, conversation.botTokens));
    }

    @Transactional
    public Appended appendBotReply(UUID conversationId, BotReply reply) {
        Conversation conversation = locked(conversationId);
        if (conversation.state != ConversationState.BOT) {
            // A person took over while the model was answering: the bot's answer is dropped, never shown as said.
            return new Appended(null, conversation.state);
        }
        Message message =
                append(conversation, MessageRole.BOT, reply.answer().reply().text(), bot -> {
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
            escalate(conversation, reply.escalationReason());
        }
        return recorded(conversation, message, ConversationEvents.Origin.TURN);
    }

    /**
     * Tells the customer a person will follow up and queues the conversation for one. A
     * conversation already waiting for or owned by a person is left as it is (no message).
     */
    @Transactional
    public Appended handOff(UUID conversationId, String notice, String reason) {
        Conversation conversation = locked(conversationId);
        if (conversation.state != ConversationState.BOT) {
            return new Appended(null, conversation.state);
        }
        Message message = append(conversation, MessageRole.SYSTEM, notice);
        escalate(conversation, reason);
        return recorded(conversation, message, ConversationEvents.Origin.TURN);
    }

    /** The bot tells the customer something without answering (a limit was reached); the conversation stays with the bot. */
    @Transactional
    public Appended notice(UUID conversationId, String text) {
        Conversation conversation = locked(conversationId);
        if (conversation.state != ConversationState.BOT) {
            return new Appended(null, conversation.state);
        }
        return recorded(conversation, append(conversation, MessageRole.SYSTEM, text), ConversationEvents.Origin.TURN);
    }

    /** A person takes the conversation over: from now on the bot stays silent. */
    @Transactional
    public Appended assign(UUID conversationId, String agent, String agentName) {
        Conversation conversation = locked(conversationId);
        if (conversation.state == ConversationState.CLOSED) {
            throw new ProblemException(ProblemType.CONFLICT, "The conversation is closed");
        }
        if (conversation.state == ConversationState.HUMAN && !agent.equals(conversation.assignee)) {
            throw new ProblemException(ProblemType.CONFLICT, "Another person already owns this conversation");
        }
        conversation.state = ConversationState.HUMAN;
        conversation.assignee = agent;
        stateChanged(conversation, EventType.CONVERSATION_ASSIGNED);
        return announce(conversation, agentName + " joined the conversation.");
    }

    /** A person's reply: only the owner may answer, or an administrator. */
    @Transactional
    public Appended agentReply(UUID conversationId, String agent, boolean administrator, String text) {
        Conversation conversation = locked(conversationId);
        if (conversation.state != ConversationState.HUMAN) {
            throw new ProblemException(ProblemType.CONFLICT, "Take the conversation over (assign) before replying");
        }
        if (!agent.equals(conversation.assignee) && !administrator) {
            throw new ProblemException(ProblemType.FORBIDDEN, "Only the person who owns the conversation may reply");
        }
        Message message = append(conversation, MessageRole.AGENT, text, reply -> reply.author = agent);
        return recorded(conversation, message, ConversationEvents.Origin.AGENT);
    }

    /**
     * Records the customer's verdict on one of the bot's answers in this conversation; returns how
     * many of the bot's latest answers in a row are now marked unhelpful.
     */
    @Transactional
    public int markAnswer(UUID conversationId, UUID messageId, boolean helpful) {
        Conversation conversation = locked(conversationId);
        Message answer = messages.findByIdOptional(messageId)
                .filter(message -> message.conversationId.equals(conversationId) && message.role == MessageRole.BOT)
                .orElseThrow(() -> ProblemException.notFound("Bot answer"));
        String verdict = helpful ? "helpful" : "unhelpful";
        if (!verdict.equals(answer.feedback)) {
            // Rating an answer again the same way (a click twice, a rephrase after "not helpful") is not news.
            answer.feedback = verdict;
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
        Conversation conversation = locked(conversationId);
        Contact contact = contacts.findByIdOptional(conversation.contactId)
                .orElseThrow(() -> ProblemException.notFound("Contact"));
        contact.email = email;
        outbox.record(
                EventType.EMAIL_LEFT,
                UUID.fromString(conversation.tenantId),
                conversationId.toString(),
                new ConversationEvents.EmailLeft(conversationId, contact.id, email));
        return recorded(
                conversation,
                append(conversation, MessageRole.SYSTEM, "Thanks! We'll reply to " + email + "."),
                ConversationEvents.Origin.TURN);
    }

    @Transactional
    public ConversationState state(UUID conversationId) {
        return conversations
                .findInTenant(conversationId)
                .map(conversation -> conversation.state)
                .orElseThrow(() -> ProblemException.notFound("Conversation"));
    }

    /** An internal note: any agent may add one in any state; the customer and the model never see it. */
    @Transactional
    public Appended addNote(UUID conversationId, String agent, String text) {
        Conversation conversation = locked(conversationId);
        Message note = append(conversation, MessageRole.NOTE, text, written -> written.author = agent);
        return recorded(conversation, note, ConversationEvents.Origin.AGENT);
    }

    /** Hands the conversation back to the bot. */
    @Transactional
    public Appended release(UUID conversationId) {
        Conversation conversation = locked(conversationId);
        if (conversation.state != ConversationState.HUMAN && conversation.state != ConversationState.PENDING_HUMAN) {
            throw new ProblemException(
                    ProblemType.CONFLICT,
                    "Only a conversation waiting for or owned by a person can go back to the assistant");
        }
        conversation.state = ConversationState.BOT;
        conversation.assignee = null;
        stateChanged(conversation, EventType.CONVERSATION_RELEASED);
        return announce(conversation, "You're chatting with the assistant again.");
    }

    @Transactional
    public Appended close(UUID conversationId) {
        Conversation conversation = locked(conversationId);
        if (conversation.state == ConversationState.CLOSED) {
            throw new ProblemException(ProblemType.CONFLICT, "The conversation is already closed");
        }
        conversation.state = ConversationState.CLOSED;
        stateChanged(conversation, EventType.CONVERSATION_CLOSED);
        return announce(conversation, "This conversation has been closed.");
    }

    /** Usage of the tenant in scope from the first to the last day given (UTC), both included. */
    @Transactional
    public UsageReport usage(LocalDate from, LocalDate to) {
        Instant start = UtcDays.startOf(from);
        Instant end = UtcDays.endOf(to);
        List<UsageReport.ModelUsage> models = messages.usageByModel(start, end);
        Outcomes outcomes = conversations.outcomes(start, end);
        BigDecimal cost = models.stream().map(UsageReport.ModelUsage::costUsd).reduce(BigDecimal.ZERO, BigDecimal::add);
        return new UsageReport(
                from,
                to,
                outcomes.conversations(),
                outcomes.escalated(),
                outcomes.resolved(),
                models.stream().mapToLong(UsageReport.ModelUsage::inputTokens).sum(),
                models.stream().mapToLong(UsageReport.ModelUsage::outputTokens).sum(),
                cost,
                outcomes.costPerResolved(cost),
                models.stream().anyMatch(UsageReport.ModelUsage::includesEstimatedTokens),
                models,
                List.of(),
                cost);
    }

    /** The tenant's conversations that match the filter, newest first. */
    @Transactional
    public List<ConversationSummary> search(ConversationFilter filter, int limit) {
        return conversations.search(filter, limit).stream()
                .map(ConversationSummary::of)
                .toList();
    }

    /** An agent's inbox: conversations waiting for a person (longest wait first), theirs, and their colleagues'. */
    public record Inbox(
            List<ConversationSummary> waiting, List<ConversationSummary> mine, List<ConversationSummary> colleagues) {}

    @Transactional
    public Inbox inbox(String agent, int limit) {
        List<ConversationSummary> handled = conversations.latest(ConversationState.HUMAN, limit).stream()
                .map(ConversationSummary::of)
                .toList();
        return new Inbox(
                conversations.waiting(limit).stream()
                        .map(ConversationSummary::of)
                        .toList(),
                handled.stream()
                        .filter(summary -> agent.equals(summary.assignee()))
                        .toList(),
                handled.stream()
                        .filter(summary -> !agent.equals(summary.assignee()))
                        .toList());
    }

    /** Marks the conversation for review (the first reason stays). */
    @Transactional
    public void flag(UUID conversationId, String reason) {
        Conversation conversation = locked(conversationId);
        if (conversation.flaggedReason == null) {
            conversation.flaggedReason = reason;
            conversation.flaggedAt = Instant.now();
        }
    }

    /** The transcript for an export: recorded in the audit log, since it carries what a customer said. */
    @Transactional
    public Optional<Transcript> export(UUID conversationId) {
        Optional<Transcript> transcript = transcript(conversationId);
        transcript.ifPresent(found -> audit.record(
                TenantScope.require(),
                AuditLog.Action.CONVERSATION_EXPORTED,
                conversationId.toString(),
                Map.of("messages", found.messages().size())));
        return transcript;
    }

    /** What erasing a contact removed. */
    public record Erased(UUID contactId, int conversations, long messages) {}

    /**
     * The right to erasure: the contact, their conversations and every message in them, and the
     * events and webhook deliveries that still carry those messages. Audited with counts only.
     */
    @Transactional
    public Erased eraseContact(UUID contactId) {
        Contact contact = contacts.findByIdOptional(contactId)
                .filter(found -> found.tenantId.equals(TenantScope.require().toString()))
                .orElseThrow(() -> ProblemException.notFound("Contact"));
        List<Conversation> theirs = conversations.list("contactId", contactId);
        String[] keys =
                theirs.stream().map(conversation -> conversation.id.toString()).toArray(String[]::new);
        long messageCount = theirs.stream()
                .mapToLong(conversation -> conversation.messageCount)
                .sum();
        var entities = conversations.getEntityManager();
        entities.createNativeQuery("delete from webhook_delivery where payload ->> 'key' = any(cast(?1 as text[]))")
                .setParameter(1, keys)
                .executeUpdate();
        entities.createNativeQuery("delete from outbox_event where event_key = any(cast(?1 as text[]))")
                .setParameter(1, keys)
                .executeUpdate();
        contacts.delete(contact);
        openedByToken.invalidateAll(theirs.stream()
                .map(conversation -> new TokenKey(TenantScope.require(), conversation.tokenHash))
                .toList());
        audit.record(
                TenantScope.require(),
                AuditLog.Action.CONTACT_ERASED,
                contactId.toString(),
                Map.of("conversations", theirs.size(), "messages", messageCount));
        return new Erased(contactId, theirs.size(), messageCount);
    }

    /** A past conversation as a replay sees it: how it ended, and the messages the customer saw, in order. */
    public record Past(ConversationSummary summary, List<MessageView> messages) {}

    /**
     * A sample of the tenant's conversations started on these UTC days (both included) in these
     * states: the same conversations each time it is asked the same, so candidates compare fairly.
     */
    @Transactional
    public List<Past> sample(LocalDate from, LocalDate to, java.util.Collection<ConversationState> states, int size) {
        return conversations.sample(UtcDays.startOf(from), UtcDays.endOf(to), states, size).stream()
                .map(conversation -> new Past(
                        ConversationSummary.of(conversation),
                        messages.visibleToCustomer(conversation.id).stream()
                                .map(MessageView::of)
                                .toList()))
                .toList();
    }

    /** Customer messages the tenant received since then: the volume a model's cost per turn is projected over. */
    @Transactional
    public long customerMessagesSince(Instant since) {
        return messages.count("role = ?1 and createdAt >= ?2", MessageRole.CUSTOMER, since);
    }

    /** The whole transcript with provenance, for agents and admins. */
    @Transactional
    public Optional<Transcript> transcript(UUID conversationId) {
        return conversations
                .findInTenant(conversationId)
                .map(conversation -> new Transcript(
                        ConversationSummary.of(conversation),
                        messages.inConversation(conversationId).stream()
                                .map(TranscriptMessage::of)
                                .toList()));
    }

    /** A system message about a person's action, which the customer hears of through the live channels. */
    private Appended announce(Conversation conversation, String text) {
        return recorded(conversation, append(conversation, MessageRole.SYSTEM, text), ConversationEvents.Origin.AGENT);
    }

    /** Records the message-created event in this transaction: published only if the message is stored. */
    private Appended recorded(Conversation conversation, Message message, ConversationEvents.Origin origin) {
        MessageView view = MessageView.of(message);
        outbox.record(
                EventType.MESSAGE_CREATED,
                UUID.fromString(conversation.tenantId),
                conversation.id.toString(),
                new ConversationEvents.MessageCreated(conversation.id, view, conversation.state, origin));
        return new Appended(view, conversation.state);
    }

    private void stateChanged(Conversation conversation, EventType type) {
        outbox.record(
                type,
                UUID.fromString(conversation.tenantId),
                conversation.id.toString(),
                new ConversationEvents.StateChanged(
                        conversation.id, conversation.state, conversation.escalationReason, conversation.assignee));
    }

    private void escalate(Conversation conversation, String reason) {
        if (conversation.state == ConversationState.BOT) {
            conversation.state = ConversationState.PENDING_HUMAN;
            conversation.escalationReason = reason;
            conversation.escalatedAt = Instant.now();
            stateChanged(conversation, EventType.CONVERSATION_ESCALATED);
        }
    }

    @Transactional
    public Optional<ConversationView> view(UUID conversationId) {
        return conversations
                .findInTenant(conversationId)
                .map(conversation -> new ConversationView(
                        conversation.id,
                        conversation.number,
                        conversation.state,
                        conversation.createdAt,
                        messages.visibleToCustomer(conversationId).stream()
                                .map(MessageView::of)
                                .toList()));
    }

    private Conversation locked(UUID conversationId) {
        Conversation conversation =
                conversations.lockInTenant(List.of(conversationId)).get(conversationId);
        if (conversation == null) {
            throw ProblemException.notFound("Conversation");
        }
        return conversation;
    }

    private Message append(Conversation conversation, MessageRole role, String text) {
        return append(conversation, role, text, message -> {});
    }

    /** {@code details} completes the message before it is persisted, so it is inserted whole rather than inserted and then updated. */
    private Message append(Conversation conversation, MessageRole role, String text, Consumer<Message> details) {
        Instant now = Instant.now();
        Message message = new Message();
        message.id = UUID.randomUUID();
        message.conversationId = conversation.id;
        message.seq = ++conversation.messageCount;
        message.role = role;
        message.text = text;
        message.createdAt = now;
        details.accept(message);
        messages.persist(message);
        conversation.updatedAt = now;
        return message;
    }
}
