package io.switchboard.widget;

import io.switchboard.conversation.ConversationTokens;
import io.switchboard.platform.ProblemException;
import io.switchboard.platform.ProblemType;
import io.switchboard.platform.TenantScope;
import io.switchboard.tenant.TenantService;
import io.switchboard.tenant.TenantSettings;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.UUID;

/**
 * Who may use a tenant's widget endpoints: browsers on the tenant's allowed origins (or on this
 * platform's own pages), and for a conversation only the holder of its token. Unknown tenants
 * and conversations that the token does not open look the same: not found.
 */
@ApplicationScoped
public class WidgetAccess {

    private final TenantService tenants;
    private final ConversationTokens tokens;

    public WidgetAccess(TenantService tenants, ConversationTokens tokens) {
        this.tenants = tenants;
        this.tokens = tokens;
    }

    public TenantSettings tenant(String slug, String origin, String host) {
        TenantSettings tenant = tenants.findBySlug(slug).orElseThrow(() -> ProblemException.notFound("Tenant"));
        if (origin != null && !tenant.allowedOrigins().contains(origin) && !sameHost(origin, host)) {
            throw new ProblemException(
                    ProblemType.ORIGIN_NOT_ALLOWED, "Origin " + origin + " may not use the widget of this tenant");
        }
        return tenant;
    }

    public ConversationTokens.OpenConversation conversation(TenantSettings tenant, UUID conversationId, String token) {
        if (token == null || token.isBlank()) {
            throw new ProblemException(
                    ProblemType.UNAUTHORIZED, "A conversation token is required (Authorization: Bearer <token>)");
        }
        return TenantScope.call(tenant.id(), () -> tokens.authorize(conversationId, token))
                .orElseThrow(() -> ProblemException.notFound("Conversation"));
    }

    public ConversationTokens.OpenConversation conversationForToken(TenantSettings tenant, String token) {
        return TenantScope.call(tenant.id(), () -> tokens.conversationForToken(token))
                .orElseThrow(() -> ProblemException.notFound("Conversation"));
    }

    static String bearer(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return authorization.substring(7).strip();
    }

    private static boolean sameHost(String origin, String host) {
        try {
            URI uri = URI.create(origin);
            String authority = uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
            return host != null && authority != null && authority.equalsIgnoreCase(host);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
