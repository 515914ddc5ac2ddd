package io.switchboard.channel;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** A tenant's channels; queries go through HQL, so the tenant filter applies (a load by id would skip it). */
@ApplicationScoped
class ChannelRepository implements PanacheRepositoryBase<Channel, UUID> {

    Optional<Channel> findInTenant(UUID id) {
        return getEntityManager()
                .createQuery("from Channel where id = :id", Channel.class)
                .setParameter("id", id)
                .getResultStream()
                .findFirst();
    }

    List<Channel> oldestFirst() {
        return getEntityManager()
                .createQuery("from Channel order by createdAt, id", Channel.class)
                .getResultList();
    }

    long countInTenant() {
        return getEntityManager()
                .createQuery("select count(c) from Channel c", Long.class)
                .getSingleResult();
    }

    boolean nameTaken(String name, UUID except) {
        return getEntityManager()
                        .createQuery(
                                "select count(c) from Channel c where c.name = :name and c.id <> :except", Long.class)
                        .setParameter("name", name)
                        .setParameter("except", except)
                        .getSingleResult()
                > 0;
    }
}
