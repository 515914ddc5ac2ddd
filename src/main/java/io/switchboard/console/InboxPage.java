package io.switchboard.console;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.switchboard.conversation.AgentActions;
import io.switchboard.conversation.ConversationService;
import io.switchboard.conversation.ConversationState;
import io.switchboard.conversation.ConversationSummary;
import io.switchboard.conversation.Transcript;
import io.switchboard.conversation.TranscriptMessage;
import io.switchboard.conversation.Transcripts;
import io.switchboard.handoff.AgentPresence;
import io.switchboard.platform.ProblemException;
import io.switchboard.tenant.CurrentTenant;
import io.switchboard.tenant.ForTenant;
import io.switchboard.tenant.Role;
import io.switchboard.tenant.TenantSettings;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestStreamElementType;

/**
 * The agent inbox: conversations waiting for a person (longest wait first, with the reason),
 * the agent's own, and a conversation's transcript with take over, reply, internal note,
 * release and close. Pages update live from an event stream that also marks the agent online.
 * Every action goes through the same ConversationService as the admin API.
 */
@Path("/console/t/{tenant}/inbox")
@Produces(MediaType.TEXT_HTML)
@ForTenant({Role.AGENT, Role.TENANT_ADMIN})
public class InboxPage {

    private static final int LIMIT = 100;

    /** A conversation as a row of the inbox. */
    public record Row(
            UUID id,
            long number,
            String channel,
            ConversationState state,
            String reason,
            String assignee,
            String waited) {

        static Row of(ConversationSummary summary, Instant now) {
            Instant since = summary.escalatedAt() != null ? summary.escalatedAt() : summary.updatedAt();
            return new Row(
                    summary.id(),
                    summary.number(),
                    summary.channel().type(),
                    summary.state(),
                    summary.escalationReason(),
                    summary.assignee(),
                    readable(Duration.between(since, now)));
        }
    }

    /** What the agent may do with the conversation now. */
    public record Actions(boolean open, boolean withPerson, boolean mine) {

        static Actions of(ConversationSummary conversation, String agent) {
            boolean withPerson = conversation.state() == ConversationState.HUMAN;
            return new Actions(
                    conversation.state() != ConversationState.CLOSED,
                    withPerson,
                    withPerson && agent.equals(conversation.assignee()));
        }
    }

    /** The inbox's three lists. */
    public record Lists(List<Row> waiting, List<Row> mine, List<Row> colleagues) {}

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance inbox(TenantSettings tenant, String username, Lists lists);

        static native TemplateInstance inbox$lists(TenantSettings tenant, Lists lists);

        static native TemplateInstance conversation(
                TenantSettings tenant, String username, Transcript transcript, Actions actions, String problem);

        static native TemplateInstance conversation$transcript(List<TranscriptMessage> messages);
    }

    private final CurrentTenant current;
    private final Transcripts transcripts;
    private final AgentActions agentActions;
    private final SecurityIdentity identity;
    private final InboxEvents events;
    private final AgentPresence presence;

    public InboxPage(
            CurrentTenant current,
            Transcripts transcripts,
            AgentActions agentActions,
            SecurityIdentity identity,
            InboxEvents events,
            AgentPresence presence) {
        this.current = current;
        this.transcripts = transcripts;
        this.agentActions = agentActions;
        this.identity = identity;
        this.events = events;
        this.presence = presence;
    }

    @GET
    public TemplateInstance inbox() {
        return Templates.inbox(current.get(), agent(), inboxLists());
    }

    @GET
    @Path("lists")
    public TemplateInstance lists() {
        return Templates.inbox$lists(current.get(), inboxLists());
    }

    @GET
    @Path("{id}")
    public TemplateInstance conversation(@PathParam("id") UUID id, @QueryParam("problem") String problem) {
        Transcript transcript = transcript(id);
        return Templates.conversation(
                current.get(), agent(), transcript, Actions.of(transcript.conversation(), agent()), problem);
    }

    @GET
    @Path("{id}/transcript")
    public TemplateInstance transcriptFragment(@PathParam("id") UUID id) {
        return Templates.conversation$transcript(transcript(id).messages());
    }

    @POST
    @Path("{id}/assign")
    public Response assign(@PathParam("id") UUID id) {
        return act(id, () -> agentActions.assign(id, agent(), AgentActions.TEAM_MEMBER));
    }

    @POST
    @Path("{id}/reply")
    public Response reply(@PathParam("id") UUID id, @RestForm @NotBlank @Size(max = 4000) String text) {
        boolean administrator = identity.hasRole(Role.TENANT_ADMIN.id()) || identity.hasRole(Role.PLATFORM_ADMIN.id());
        return act(id, () -> agentActions.agentReply(id, agent(), administrator, text));
    }

    @POST
    @Path("{id}/note")
    public Response note(@PathParam("id") UUID id, @RestForm @NotBlank @Size(max = 4000) String text) {
        return act(id, () -> agentActions.addNote(id, agent(), text));
    }

    @POST
    @Path("{id}/release")
    public Response release(@PathParam("id") UUID id) {
        return act(id, () -> agentActions.release(id));
    }

    @POST
    @Path("{id}/close")
    public Response close(@PathParam("id") UUID id) {
        return act(id, () -> agentActions.close(id));
    }

    /**
     * Server-sent events: one per change to a conversation of the tenant (its id), and a
     * heartbeat that keeps the agent marked online for as long as the inbox is open.
     */
    @GET
    @Path("events")
    @Blocking
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.TEXT_PLAIN)
    public Multi<String> events() {
        TenantSettings tenant = current.get();
        String agent = agent();
        Multi<String> changes = events.of(tenant.id()).map(event -> event.key());
        Multi<String> heartbeats = Multi.createFrom()
                .ticks()
                .startingAfter(Duration.ofMillis(1))
                .every(AgentPresence.HEARTBEAT)
                .onItem()
                .transformToUniAndConcatenate(tick -> Uni.createFrom()
                        .item(() -> {
                            presence.seen(tenant.id(), agent);
                            return "heartbeat";
                        })
                        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool()));
        return Multi.createBy()
                .merging()
                .streams(changes, heartbeats)
                .onTermination()
                .invoke(() -> Infrastructure.getDefaultWorkerPool().execute(() -> presence.gone(tenant.id(), agent)));
    }

    private Response act(UUID id, Supplier<ConversationService.Appended> action) {
        UriBuilder page = UriBuilder.fromPath("/console/t/{tenant}/inbox/{id}");
        try {
            action.get();
        } catch (ProblemException refused) {
            page.queryParam("problem", refused.problem().detail());
        }
        return Response.seeOther(page.build(current.get().slug(), id)).build();
    }

    private Lists inboxLists() {
        Transcripts.Inbox inbox = transcripts.inbox(agent(), LIMIT);
        Instant now = Instant.now();
        return new Lists(rows(inbox.waiting(), now), rows(inbox.mine(), now), rows(inbox.colleagues(), now));
    }

    private Transcript transcript(UUID id) {
        return transcripts.transcript(id).orElseThrow(() -> ProblemException.notFound("Conversation"));
    }

    private String agent() {
        return identity.getPrincipal().getName();
    }

    private static List<Row> rows(List<ConversationSummary> summaries, Instant now) {
        return summaries.stream().map(summary -> Row.of(summary, now)).toList();
    }

    private static String readable(Duration waited) {
        long minutes = waited.toMinutes();
        if (minutes < 1) {
            return "just now";
        }
        return minutes < 60 ? minutes + " min" : minutes / 60 + " h " + minutes % 60 + " min";
    }
}
