package io.switchboard.events;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/** A tenant's webhooks; queries go through HQL, so the tenant filter applies. Lists hold its own subscriptions only. */
@ApplicationScoped
class WebhookRepository implements PanacheRepositoryBase<Webhook, UUID> {

    long countInTenant() {
        return getEntityManager()
                .createQuery("select count(w) from Webhook w where w.owner is null", Long.class)
                .getSingleResult();
    }

    List<Webhook> oldestFirst() {
        return getEntityManager()
                .createQuery("from Webhook where owner is null order by createdAt", Webhook.class)
                .getResultList();
    }
}
