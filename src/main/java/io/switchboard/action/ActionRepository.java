package io.switchboard.action;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** A tenant's actions; queries go through HQL, so the tenant filter applies. */
@ApplicationScoped
class ActionRepository implements PanacheRepositoryBase<Action, UUID> {

    long countInTenant() {
        return getEntityManager()
                .createQuery("select count(a) from Action a", Long.class)
                .getSingleResult();
    }

    List<Action> byName() {
        return getEntityManager()
                .createQuery("from Action order by name", Action.class)
                .getResultList();
    }

    List<Action> enabled() {
        return getEntityManager()
                .createQuery("from Action where enabled order by name", Action.class)
                .getResultList();
    }

    Optional<Action> named(String name) {
        return getEntityManager()
                .createQuery("from Action where name = :name", Action.class)
                .setParameter("name", name)
                .getResultStream()
                .findFirst();
    }
}
