package io.switchboard.admin;

import io.quarkus.security.identity.SecurityIdentity;
import io.switchboard.action.ActionDefinitions;
import io.switchboard.conversation.AgentActions;
import io.switchboard.conversation.ConversationFilter;
import io.switchboard.conversation.ConversationService;
import io.switchboard.conversation.ConversationState;
import io.switchboard.conversation.ConversationSummary;
import io.switchboard.conversation.MessageView;
import io.switchboard.conversation.Transcript;
import io.switchboard.conversation.TranscriptCsv;
import io.switchboard.conversation.TranscriptMessage;
import io.switchboard.conversation.Transcripts;
import io.switchboard.platform.ProblemException;
import io.switchboard.tenant.ForTenant;
import io.switchboard.tenant.Role;
import io.switchboard.widget.WidgetRequests;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.UUID;

/** The agents' side of conversations: read transcripts, take over, reply, hand back, close. */
@Path("/api/v1/tenants/{tenant}/conversations")
@Produces(MediaType.APPLICATION_JSON)
@ForTenant({Role.AGENT, Role.TENANT_ADMIN})
public class ConversationResource {

    private static final String CSV = "text/csv";

    /** The state and the message the action added. */
    public record ActionResult(ConversationState state, MessageView message) {}

    /**
     * A transcript as agents read it: the messages, the calls the bot made to the tenant's actions,
     * and the writes it offered the customer to confirm, with their decisions.
     */
    public record AgentTranscript(
            ConversationSummary conversation,
            List<TranscriptMessage> messages,
            List<ActionDefinitions.CallView> actionCalls,
            List<ActionDefinitions.PendingView> pendingActions) {}

    private final Transcripts transcripts;
    private final AgentActions agentActions;
    private final SecurityIdentity identity;
    private final ActionDefinitions actions;

    public ConversationResource(
            Transcripts transcripts, AgentActions agentActions, SecurityIdentity identity, ActionDefinitions actions) {
        this.actions = actions;
        this.transcripts = transcripts;
        this.agentActions = agentActions;
        this.identity = identity;
    }

    /**
     * Conversations newest first, filtered by state, model, start day ({@code from}, {@code to},
     * UTC, both included), escalation reason, text in any message, quality grade ({@code good},
     * {@code fair}, {@code poor}) and channel (an id, or a type such as {@code api}); when there
     * are more, a
     * {@code Link: <...>; rel="next"} header holds the next page's URL (cursor {@code before}).
     */
    @GET
    public Response list(
            @QueryParam("state") ConversationState state,
            @QueryParam("model") @Size(max = 300) String model,
            @QueryParam("from") String from,
            @QueryParam("to") String to,
            @QueryParam("reason") @Size(max = 40) String reason,
            @QueryParam("q") @Size(max = 200) String text,
            @QueryParam("grade") @Pattern(regexp = "good|fair|poor", message = "must be good, fair or poor")
                    String grade,
            @QueryParam("channel") @Size(max = 40) String channel,
            @QueryParam("before") @Min(1) Long before,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(200) int limit,
            @Context UriInfo uri) {
        ConversationFilter filter = new ConversationFilter(
                state,
                model,
                QueryDays.day("from", from),
                QueryDays.day("to", to),
                reason,
                text,
                grade,
                channel,
                before);
        List<ConversationSummary> page = transcripts.search(filter, limit + 1);
        Response.ResponseBuilder response =
                Response.ok(page.stream().limit(limit).toList());
        if (page.size() > limit) {
            response.link(
                    uri.getRequestUriBuilder()
                            .replaceQueryParam("before", page.get(limit - 1).number())
                            .build(),
                    "next");
        }
        return response.build();
    }

    @GET
    @Path("{id}")
    public AgentTranscript transcript(@PathParam("id") UUID id) {
        Transcript transcript = transcripts.transcript(id).orElseThrow(() -> ProblemException.notFound("Conversation"));
        return new AgentTranscript(
                transcript.conversation(), transcript.messages(), actions.callsIn(id), actions.pendingIn(id));
    }

    /** The transcript for the tenant's records, as JSON or as CSV (by {@code Accept}); audited. */
    @GET
    @Path("{id}/export")
    @Produces({MediaType.APPLICATION_JSON, CSV})
    @ForTenant(Role.TENANT_ADMIN)
    public Response export(@PathParam("id") UUID id, @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        Transcript transcript = transcripts.export(id).orElseThrow(() -> ProblemException.notFound("Conversation"));
        return download(transcript, accept != null && accept.contains(CSV));
    }

    /** A transcript as a file to save: JSON, or CSV that spreadsheets open safely. */
    public static Response download(Transcript transcript, boolean csv) {
        String name = "conversation-" + transcript.conversation().number();
        if (csv) {
            return Response.ok(TranscriptCsv.of(transcript), CSV)
                    .header("Content-Disposition", "attachment; filename=\"" + name + ".csv\"")
                    .build();
        }
        return Response.ok(transcript, MediaType.APPLICATION_JSON)
                .header("Content-Disposition", "attachment; filename=\"" + name + ".json\"")
                .build();
    }

    @POST
    @Path("{id}/assign")
    public ActionResult assign(@PathParam("id") UUID id) {
        return result(agentActions.assign(id, agent(), AgentActions.TEAM_MEMBER));
    }

    @POST
    @Path("{id}/messages")
    @Consumes(MediaType.APPLICATION_JSON)
    public ActionResult reply(
            @PathParam("id") UUID id,
            @Valid @NotNull(message = "a JSON body with 'text' is required") WidgetRequests.CustomerMessage body) {
        boolean administrator = identity.hasRole(Role.TENANT_ADMIN.id()) || identity.hasRole(Role.PLATFORM_ADMIN.id());
        return result(agentActions.agentReply(id, agent(), administrator, body.text()));
    }

    /** An internal note for the team: stored in the transcript, never shown to the customer or a model. */
    @POST
    @Path("{id}/notes")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response note(
            @PathParam("id") UUID id,
            @Valid @NotNull(message = "a JSON body with 'text' is required") WidgetRequests.CustomerMessage body) {
        ActionResult result = result(agentActions.addNote(id, agent(), body.text()));
        return Response.status(Response.Status.CREATED).entity(result).build();
    }

    @POST
    @Path("{id}/release")
    public ActionResult release(@PathParam("id") UUID id) {
        return result(agentActions.release(id));
    }

    @POST
    @Path("{id}/close")
    public ActionResult close(@PathParam("id") UUID id) {
        return result(agentActions.close(id));
    }

    private String agent() {
        return identity.getPrincipal().getName();
    }

    private static ActionResult result(ConversationService.Appended appended) {
        return new ActionResult(appended.state(), appended.message());
    }
}
