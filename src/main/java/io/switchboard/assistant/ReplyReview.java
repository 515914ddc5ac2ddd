package io.switchboard.assistant;

import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.conversation.ConversationService;
import io.switchboard.conversation.MessageRole;
import io.switchboard.conversation.MessageView;
import io.switchboard.model.Grounding;
import io.switchboard.model.ModelService;
import io.switchboard.platform.CustomerTexts;
import io.switchboard.tenant.TenantSettings;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * What a bot reply may show, decided by the platform rather than the model: the output guard of
 * a turn, and the review of the finished reply (cleaned, or replaced by the safe answer and the
 * conversation flagged), counted in metrics.
 */
@ApplicationScoped
class ReplyReview {

    private static final Logger LOG = Logger.getLogger(ReplyReview.class);

    private final ConversationService conversations;
    private final AssistantConfig config;
    private final MeterRegistry metrics;

    ReplyReview(ConversationService conversations, AssistantConfig config, MeterRegistry metrics) {
        this.conversations = conversations;
        this.config = config;
        this.metrics = metrics;
    }

    /**
     * The guard of this turn: the tenant's canary and prompt, the hosts its replies may link to
     * (its sites, the domains it allowlisted, the articles this answer may cite), and what the
     * bot already said in this conversation, where part of a canary may have gone out.
     */
    static OutputGuard guardFor(TenantSettings tenant, Grounding grounding, List<MessageView> history) {
        Set<String> hosts = new HashSet<>(tenant.allowedLinkDomains());
        tenant.allowedOrigins().forEach(origin -> host(origin).ifPresent(hosts::add));
        grounding.passages().forEach(passage -> host(passage.url()).ifPresent(hosts::add));
        String earlierReplies = history.stream()
                .filter(message -> message.role() == MessageRole.BOT)
                .map(MessageView::text)
                .collect(java.util.stream.Collectors.joining("\n"));
        return new OutputGuard(tenant.canary(), PromptAssembler.instructions(tenant), hosts, earlierReplies);
    }

    private static Optional<String> host(String url) {
        try {
            return url == null
                    ? Optional.empty()
                    : Optional.ofNullable(URI.create(url).getHost()).map(host -> host.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException notAUrl) {
            return Optional.empty();
        }
    }

    /**
     * The reply the customer may see: cleaned, or the safe answer (in the customer's language) in
     * place of a leak (flagged for review).
     */
    ModelService.Answer reviewed(
            TenantSettings tenant,
            UUID conversationId,
            ModelService.Answer answer,
            OutputGuard guard,
            String language) {
        OutputGuard.Review review = guard.review(
                answer.reply().text(),
                CustomerTexts.configured(config.guardedAnswer(), tenant.customerLanguage(language)));
        if (review.blocked().isPresent()) {
            String reason = review.blocked().get();
            conversations.flag(conversationId, "output_" + reason);
            metrics.counter("switchboard.guard.blocked", "tenant", tenant.slug(), "reason", reason)
                    .increment();
            LOG.warnf(
                    "Blocked a reply of %s that leaked the %s; the conversation is flagged for review",
                    answer.model(), reason);
        } else if (review.removed() > 0) {
            metrics.counter("switchboard.guard.removed", "tenant", tenant.slug())
                    .increment(review.removed());
            LOG.infof(
                    "Removed %d link(s), image(s) or tag(s) the tenant does not allow from a reply", review.removed());
        } else {
            return answer;
        }
        return answer.withReply(answer.reply().withText(review.text()));
    }
}
