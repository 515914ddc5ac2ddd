package io.switchboard.conversation;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class MessageRepository implements PanacheRepositoryBase<Message, UUID> {

    public List<Message> inConversation(UUID conversationId) {
        return list("conversationId", Sort.ascending("seq"), conversationId);
    }

    /** The last {@code limit} messages, oldest first. */
    public List<Message> latest(UUID conversationId, int limit) {
        List<Message> newestFirst = find("conversationId", Sort.descending("seq"), conversationId).page(0, limit).list();
        return newestFirst.reversed();
    }
}
