package io.switchboard.conversation;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.switchboard.platform.Secrets;
import io.switchboard.platform.TenantScope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The customer's conversation token: which conversation it opens, remembered per replica so a
 * customer's next message costs no read to authorize, and forgotten once the conversation has
 * been idle for longer than a token lives.
 */
@ApplicationScoped
public class ConversationTokens {

    /** A token's digest, within its tenant. */
    private record TokenKey(UUID tenantId, String tokenHash) {}
    /** Enough for the conversations a replica serves at once (about 250 bytes each); idle ones are forgotten. */
    private static final int REMEMBERED_TOKENS = 20_000;

    private final Cache<TokenKey, Opened> openedByToken = Caffeine.newBuilder()
            .maximumSize(REMEMBERED_TOKENS)
            .expireAfterAccess(Duration.ofHours(1))
            .build();
    /** A conversation token opens nothing once its conversation has been idle this long; the widget then starts anew. */
    private final Duration tokenIdleLifetime;
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

    private final ConversationRepository conversations;

    public ConversationTokens(ConversationRepository conversations, ConversationConfig config) {
        this.conversations = conversations;
        this.tokenIdleLifetime = config.tokenIdleLifetime();
    }

    /** The tokens of erased conversations open nothing from now on, on this replica at once. */
    void forget(List<Conversation> erased) {
        openedByToken.invalidateAll(erased.stream()
                .map(conversation -> new TokenKey(TenantScope.require(), conversation.tokenHash))
                .toList());
    }
}
