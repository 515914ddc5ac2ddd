package io.switchboard.widget;

import io.switchboard.conversation.ConversationTokens;
import io.switchboard.platform.ProblemException;
import io.switchboard.platform.TenantScope;
import io.switchboard.tenant.TenantSettings;
import jakarta.annotation.Priority;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.UriInfo;
import java.util.UUID;

/** Resolves the tenant and conversation of every {@link ForWidget} request once, after Bean Validation of the request. */
@ForWidget
@Interceptor
@Priority(Interceptor.Priority.PLATFORM_AFTER + 900)
class WidgetResolution {

    private final WidgetAccess access;
    private final CurrentWidget current;
    private final UriInfo uri;
    private final HttpHeaders headers;

    WidgetResolution(WidgetAccess access, CurrentWidget current, UriInfo uri, HttpHeaders headers) {
        this.access = access;
        this.current = current;
        this.uri = uri;
        this.headers = headers;
    }

    @AroundInvoke
    Object resolve(InvocationContext invocation) throws Exception {
        TenantSettings tenant = access.tenant(
                uri.getPathParameters().getFirst("tenant"),
                headers.getHeaderString("Origin"),
                headers.getHeaderString(HttpHeaders.HOST));
        String conversationId = uri.getPathParameters().getFirst("id");
        ConversationTokens.OpenConversation conversation = conversationId == null
                ? null
                : access.conversation(
                        tenant,
                        conversationId(conversationId),
                        WidgetAccess.bearer(headers.getHeaderString(HttpHeaders.AUTHORIZATION)));
        current.set(tenant, conversation);
        return TenantScope.callChecked(tenant.id(), invocation::proceed);
    }

    /** A conversation id that is no UUID names no conversation. */
    private static UUID conversationId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound("Conversation");
        }
    }
}
