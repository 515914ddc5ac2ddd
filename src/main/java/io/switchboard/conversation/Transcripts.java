package io.switchboard.conversation;

import io.switchboard.platform.AuditLog;
import io.switchboard.platform.TenantScope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Reading conversations back: transcripts, search, the agents' inbox, exports, samples for replays, usage. */
@ApplicationScoped
public class Transcripts {

    private final ConversationRepository conversations;
    private final MessageRepository messages;
    private final AuditLog audit;

    public Transcripts(ConversationRepository conversations, MessageRepository messages, AuditLog audit) {
        this.conversations = conversations;
        this.messages = messages;
        this.audit = audit;
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
}
