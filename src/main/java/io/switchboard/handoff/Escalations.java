package io.switchboard.handoff;

import io.switchboard.conversation.ConversationService;
import io.switchboard.platform.CustomerTexts;
import io.switchboard.tenant.TenantSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * Hands conversations to a person: the notice the customer reads (when nobody can answer now,
 * when the team is back) and the move to the queue, for every {@link EscalationReason}.
 */
@ApplicationScoped
public class Escalations {

    private static final DateTimeFormatter BACK_AT =
            DateTimeFormatter.ofPattern("EEEE d MMMM 'at' HH:mm", Locale.ENGLISH);
    /** In other languages, the locale's own way of writing a day and a time. */
    private static final DateTimeFormatter BACK_AT_LOCALIZED =
            DateTimeFormatter.ofLocalizedDateTime(FormatStyle.FULL, FormatStyle.SHORT);

    private final ConversationService conversations;
    private final Availability availability;
    private final HandoffConfig config;
    private final Instance<ChannelNotices> channelNotices;

    public Escalations(
            ConversationService conversations,
            Availability availability,
            HandoffConfig config,
            Instance<ChannelNotices> channelNotices) {
        this.conversations = conversations;
        this.availability = availability;
        this.config = config;
        this.channelNotices = channelNotices;
    }

    /**
     * Tells the customer a person will follow up, or when the team is back if nobody can answer
     * now, in the conversation's language, and queues the conversation for a person. A
     * conversation already with a person is left as it is. Runs in the tenant's scope.
     */
    public ConversationService.Appended handOff(TenantSettings tenant, UUID conversationId, EscalationReason reason) {
        Optional<Availability.Away> away = away(tenant);
        Optional<ZonedDateTime> back = away.flatMap(Availability.Away::back);
        Optional<String> channelReply = back.isPresent() ? outOfHoursReply(conversationId) : Optional.empty();
        CustomerTexts.Localized notice = known -> {
            String language = tenant.customerLanguage(known);
            return channelReply
                    .map(reply -> reply.replace("{back}", backAt(back.orElseThrow(), language)))
                    .orElseGet(() -> noticeIn(language, reason, away));
        };
        return conversations.handOff(conversationId, notice, reason.id());
    }

    /** The reply the conversation's channel gives outside business hours, if it has its own. */
    private Optional<String> outOfHoursReply(UUID conversationId) {
        if (channelNotices.isUnsatisfied()) {
            return Optional.empty();
        }
        return conversations
                .origin(conversationId)
                .flatMap(origin ->
                        channelNotices.get().outOfHoursReply(origin.channel().id()));
    }

    private String noticeIn(String language, EscalationReason reason, Optional<Availability.Away> away) {
        return away.map(nobody -> nobody.back()
                        .map(back -> CustomerTexts.configured(config.awayNotice(), language)
                                .replace("{back}", backAt(back, language)))
                        .orElseGet(() -> CustomerTexts.configured(config.noAgentNotice(), language)))
                .orElseGet(() -> CustomerTexts.configured(
                        reason.botFailed() ? config.handoffNotice() : config.connectingNotice(), language));
    }

    private static String backAt(ZonedDateTime back, String language) {
        DateTimeFormatter format = language == null || language.equals(CustomerTexts.FALLBACK_LANGUAGE)
                ? BACK_AT
                : BACK_AT_LOCALIZED.withLocale(Locale.forLanguageTag(language));
        return back.format(format) + " (" + back.getZone() + ")";
    }

    /** Whether nobody can answer the tenant's customers now: outside business hours, or no agent online when that counts. */
    public Optional<Availability.Away> away(TenantSettings tenant) {
        return availability.away(tenant.id(), EscalationRules.of(tenant), Instant.now());
    }
}
