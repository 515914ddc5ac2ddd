package io.switchboard.admin;

import io.switchboard.conversation.ConversationService;
import io.switchboard.tenant.Role;
import io.switchboard.tenant.TenantAccess;
import io.switchboard.platform.TenantScope;
import io.switchboard.tenant.TenantSettings;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;

/** A tenant's end customers: erasing one and everything they said (right to erasure), audited. */
@Path("/api/v1/tenants/{tenant}/contacts")
@Produces(MediaType.APPLICATION_JSON)
public class ContactResource {

    private final TenantAccess access;
    private final ConversationService conversations;

    public ContactResource(TenantAccess access, ConversationService conversations) {
        this.access = access;
        this.conversations = conversations;
    }

    /** Answers what was erased: the contact, how many conversations and messages. */
    @DELETE
    @Path("{id}")
    public ConversationService.Erased erase(@PathParam("tenant") String slug, @PathParam("id") UUID id) {
        TenantSettings tenant = access.require(slug, Role.TENANT_ADMIN);
        return TenantScope.call(tenant.id(), () -> conversations.eraseContact(id));
    }
}
