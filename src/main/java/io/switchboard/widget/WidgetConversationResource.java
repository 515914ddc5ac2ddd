package io.switchboard.widget;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.common.annotation.RunOnVirtualThread;
import io.switchboard.action.ActionConfirmations;
import io.switchboard.assistant.AssistantService;
import io.switchboard.assistant.TurnResult;
import io.switchboard.conversation.ContactDetails;
import io.switchboard.conversation.ConversationService;
import io.switchboard.conversation.ConversationTokens;
import io.switchboard.conversation.ConversationView;
import io.switchboard.conversation.Transcripts;
import io.switchboard.platform.BackgroundWork;
import io.switchboard.platform.LogContext;
import io.switchboard.platform.ProblemException;
import io.switchboard.tenant.TenantSettings;
import io.vertx.core.http.HttpServerRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;
import org.jboss.logging.Logger;

/** The end customer's REST API: start a conversation, send a message (JSON or streamed), read it back. */
@Path("/api/v1/widget/{tenant}/conversations")
@Produces(MediaType.APPLICATION_JSON)
@ForWidget
public class WidgetConversationResource {

    private static final Logger LOG = Logger.getLogger(WidgetConversationResource.class);

    private final CurrentWidget current;
    private final ConversationService conversations;
    private final Transcripts transcripts;
    private final AssistantService assistant;
    private final ObjectMapper json;
    private final BackgroundWork workers;
    private final IdentityVerifier identity;
    private final RateLimits limits;
    private final HttpServerRequest request;
    private final ActionConfirmations confirmations;

    public WidgetConversationResource(
            CurrentWidget current,
            ConversationService conversations,
            Transcripts transcripts,
            AssistantService assistant,
            ObjectMapper json,
            BackgroundWork workers,
            IdentityVerifier identity,
            RateLimits limits,
            HttpServerRequest request,
            ActionConfirmations confirmations) {
        this.confirmations = confirmations;
        this.current = current;
        this.conversations = conversations;
        this.transcripts = transcripts;
        this.assistant = assistant;
        this.json = json;
        this.workers = workers;
        this.identity = identity;
        this.limits = limits;
        this.request = request;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response start(@Valid WidgetRequests.StartConversation body) {
        TenantSettings tenant = current.tenant();
        ContactDetails contact = identity.verify(
                tenant,
                body == null ? null : body.user(),
                body == null ? null : body.userHash(),
                body == null ? null : body.userJwt());
        limits.conversationStart(tenant.id(), contact, clientAddress());
        ConversationService.Started started = conversations.start(contact);
        try (LogContext log = LogContext.of(tenant.slug(), started.id())) {
            return Response.status(Response.Status.CREATED)
                    .entity(new WidgetRequests.ConversationStarted(
                            started.id(), started.number(), started.token(), started.state(), tenant.greeting()))
                    .build();
        }
    }

    @GET
    @Path("{id}")
    public CustomerConversation read() {
        UUID conversationId = current.conversation().id();
        ConversationView view =
                transcripts.view(conversationId).orElseThrow(() -> ProblemException.notFound("Conversation"));
        return CustomerConversation.of(
                view, confirmations.waitingIn(current.tenant().id(), conversationId));
    }

    @POST
    @Path("{id}/messages")
    @Consumes(MediaType.APPLICATION_JSON)
    // On a virtual thread, not a worker: a message waiting for its group's transaction (or for the
    // model) parks without holding an OS thread (docs/benchmarks-archive.md, session 13: weak evidence of less CPU).
    @RunOnVirtualThread
    public TurnResult post(
            @Valid @NotNull(message = "a JSON body with 'text' is required") WidgetRequests.CustomerMessage body) {
        return customerAction((tenant, conversationId) ->
                assistant.handleCustomerMessage(tenant, conversationId, body.text(), fragment -> {}));
    }

    /** The customer leaves an email for the team, typically when it is out of hours. */
    @POST
    @Path("{id}/email")
    @Consumes(MediaType.APPLICATION_JSON)
    public TurnResult leaveEmail(
            @Valid @NotNull(message = "a JSON body with 'email' is required") WidgetRequests.LeaveEmail body) {
        return customerAction((tenant, conversationId) ->
                assistant.leaveEmail(tenant, conversationId, body.email().strip()));
    }

    /** The customer marks a bot answer helpful or not; enough unhelpful ones in a row bring a person in. */
    @POST
    @Path("{id}/messages/{messageId}/feedback")
    @Consumes(MediaType.APPLICATION_JSON)
    public TurnResult feedback(
            @PathParam("messageId") UUID messageId,
            @Valid @NotNull(message = "a JSON body with 'helpful' is required") WidgetRequests.AnswerFeedback body) {
        return customerAction(
                (tenant, conversationId) -> assistant.rateAnswer(tenant, conversationId, messageId, body.helpful()));
    }

    /**
     * The customer agrees to a write the bot offered: the call is made (once; a second decision is
     * a conflict) and the bot answers with what came of it, as it answers a message.
     */
    @POST
    @Path("{id}/actions/{pendingId}/confirm")
    @RunOnVirtualThread
    public TurnResult confirm(@PathParam("pendingId") UUID pendingId) {
        return customerAction((tenant, conversationId) ->
                assistant.decideAction(tenant, conversationId, pendingId, true, fragment -> {}));
    }

    /** The customer declines a write the bot offered: nothing is called, and the bot acknowledges it. */
    @POST
    @Path("{id}/actions/{pendingId}/decline")
    @RunOnVirtualThread
    public TurnResult decline(@PathParam("pendingId") UUID pendingId) {
        return customerAction((tenant, conversationId) ->
                assistant.decideAction(tenant, conversationId, pendingId, false, fragment -> {}));
    }

    /** Something the customer does in their conversation (opened by its token): within the rate limit, logged with its ids. */
    private TurnResult customerAction(BiFunction<TenantSettings, UUID, TurnResult> action) {
        TenantSettings tenant = current.tenant();
        ConversationTokens.OpenConversation conversation = current.conversation();
        UUID conversationId = conversation.id();
        limits.message(tenant.id(), conversation, clientAddress());
        try (LogContext log = LogContext.of(tenant.slug(), conversationId)) {
            return action.apply(tenant, conversationId);
        }
    }

    /** The customer's address: the connection's, or the one a trusted proxy forwarded. */
    private String clientAddress() {
        return request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
    }

    /** The same turn, streamed: {@code token} events while the answer is written, then one {@code reply} event. */
    @POST
    @Path("{id}/messages")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void stream(
            @Valid @NotNull(message = "a JSON body with 'text' is required") WidgetRequests.CustomerMessage body,
            @Context SseEventSink sink,
            @Context Sse sse) {
        TenantSettings tenant = current.tenant();
        ConversationTokens.OpenConversation conversation = current.conversation();
        UUID conversationId = conversation.id();
        limits.message(tenant.id(), conversation, clientAddress());
        // The response starts once this method returns; the turn then streams from a worker thread.
        workers.run(() -> {
            try (LogContext log = LogContext.of(tenant.slug(), conversationId)) {
                TurnResult result = assistant.handleCustomerMessage(
                        tenant,
                        conversationId,
                        body.text(),
                        fragment -> send(sink, sse, "token", Map.of("text", fragment)));
                send(sink, sse, "reply", result);
            } catch (ProblemException problem) {
                send(sink, sse, "error", problem.problem());
            } finally {
                sink.close();
            }
        });
    }

    /** A customer who went away does not stop the turn: the reply is still stored for them. */
    private void send(SseEventSink sink, Sse sse, String name, Object data) {
        if (sink.isClosed()) {
            return;
        }
        try {
            sink.send(sse.newEventBuilder()
                            .name(name)
                            .data(json.writeValueAsString(data))
                            .build())
                    .toCompletableFuture()
                    .join();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Our own event types always serialise", e);
        } catch (RuntimeException clientGone) {
            LOG.debug("Streaming client disconnected");
        }
    }
}
