package io.switchboard.admin;

import io.switchboard.conversation.ContactErasure;
import io.switchboard.tenant.ForTenant;
import io.switchboard.tenant.Role;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;

/** A tenant's end customers: erasing one and everything they said (right to erasure), audited. */
@Path("/api/v1/tenants/{tenant}/contacts")
@Produces(MediaType.APPLICATION_JSON)
@ForTenant(Role.TENANT_ADMIN)
public class ContactResource {

    private final ContactErasure erasure;

    public ContactResource(ContactErasure erasure) {
        this.erasure = erasure;
    }

    /** Answers what was erased: the contact, how many conversations and messages. */
    @DELETE
    @Path("{id}")
    public ContactErasure.Erased erase(@PathParam("id") UUID id) {
        return erasure.eraseContact(id);
    }
}
