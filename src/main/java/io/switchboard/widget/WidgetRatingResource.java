package io.switchboard.widget;

import io.switchboard.conversation.ConversationTokens;
import io.switchboard.insight.RatingRequest;
import io.switchboard.insight.RatingService;
import io.switchboard.platform.LogContext;
import io.switchboard.tenant.TenantSettings;
import io.vertx.core.http.HttpServerRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * "How did we do?": the customer rates their conversation once, after a person closed it or the
 * assistant resolved it; the widget reads whether to ask, and the words to ask with in the
 * customer's language.
 */
@Path("/api/v1/widget/{tenant}/conversations/{id}/rating")
@Produces(MediaType.APPLICATION_JSON)
@ForWidget
public class WidgetRatingResource {

    private final CurrentWidget current;
    private final RatingService ratings;
    private final RateLimits limits;
    private final HttpServerRequest request;

    public WidgetRatingResource(
            CurrentWidget current, RatingService ratings, RateLimits limits, HttpServerRequest request) {
        this.current = current;
        this.ratings = ratings;
        this.limits = limits;
        this.request = request;
    }

    @GET
    public RatingService.Survey survey() {
        return ratings.survey(current.conversation().id());
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response rate(@Valid @NotNull(message = "a JSON body with 'score' is required") RatingRequest body) {
        TenantSettings tenant = current.tenant();
        ConversationTokens.OpenConversation conversation = current.conversation();
        limits.message(
                tenant.id(),
                conversation,
                request.remoteAddress() == null ? null : request.remoteAddress().hostAddress());
        try (LogContext log = LogContext.of(tenant.slug(), conversation.id())) {
            return Response.status(Response.Status.CREATED)
                    .entity(ratings.rate(tenant, conversation.id(), body))
                    .build();
        }
    }
}
