package io.switchboard.conversation;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.UUID;

@ApplicationScoped
public class ContactRepository implements PanacheRepositoryBase<Contact, UUID> {

    /** A verified customer of the tenant, by the tenant's own user id. */
    public Optional<Contact> findByExternalId(String externalId) {
        return find("externalId", externalId).firstResultOptional();
    }
}
