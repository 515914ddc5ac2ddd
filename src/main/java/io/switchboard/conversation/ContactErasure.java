package io.switchboard.conversation;

import io.switchboard.events.EventErasure;
import io.switchboard.platform.AuditLog;
import io.switchboard.platform.ProblemException;
import io.switchboard.platform.TenantScope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The right to erasure of one customer (contact) of the tenant in scope. */
@ApplicationScoped
public class ContactErasure {

    private final ContactRepository contacts;
    private final ConversationRepository conversations;
    private final ConversationTokens tokens;
    private final EventErasure events;
    private final AuditLog audit;
    private final Event<Erasing> erasing;

    /**
     * Fired in the erasure's transaction before the contact's conversations are deleted, so
     * features that keep something of them (ratings) erase what the customer wrote.
     */
    public record Erasing(UUID contactId, List<UUID> conversationIds) {}

    public ContactErasure(
            ContactRepository contacts,
            ConversationRepository conversations,
            ConversationTokens tokens,
            EventErasure events,
            AuditLog audit,
            Event<Erasing> erasing) {
        this.erasing = erasing;
        this.contacts = contacts;
        this.conversations = conversations;
        this.tokens = tokens;
        this.events = events;
        this.audit = audit;
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
        events.eraseEventsKeyed(List.of(keys));
        erasing.fire(new Erasing(
                contactId, theirs.stream().map(conversation -> conversation.id).toList()));
        contacts.delete(contact);
        tokens.forget(theirs);
        audit.record(
                TenantScope.require(),
                AuditLog.Action.CONTACT_ERASED,
                contactId.toString(),
                Map.of("conversations", theirs.size(), "messages", messageCount));
        return new Erased(contactId, theirs.size(), messageCount);
    }
}
