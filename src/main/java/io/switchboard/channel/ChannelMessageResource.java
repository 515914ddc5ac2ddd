package io.switchboard.channel;

import io.switchboard.conversation.ContactDetails;
import io.switchboard.platform.ProblemException;
import io.switchboard.platform.ProblemType;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.UUID;

/** A tenant's server posts its customers' messages into one of its channels, with the channel's bearer token. */
@Path("/api/v1/channels/{channelId}/messages")
@Produces(MediaType.APPLICATION_JSON)
public class ChannelMessageResource {

    private static final String BEARER = "Bearer ";

    /** The customer as the tenant's server knows them: its own user id, and optionally name and email. */
    public record Contact(
            @NotBlank @Size(max = 200) String id,
            @Size(max = 200) String name,
            @Email @Size(max = 320) String email) {}

    public record PostedMessage(
            @NotNull(message = "is required") @Valid Contact contact,

            @NotNull(message = "is required")
            @NotBlank(message = "must not be empty")
            @Size(max = 4000, message = "must be at most 4000 characters")
            @Pattern(regexp = "[^\\x00]*", message = "must not contain the NUL character")
            String text) {}

    private final ChannelMessages messages;

    public ChannelMessageResource(ChannelMessages messages) {
        this.messages = messages;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response post(
            @PathParam("channelId") UUID channelId,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @Valid @NotNull(message = "a JSON body with 'contact' and 'text' is required") PostedMessage body) {
        if (authorization == null || !authorization.startsWith(BEARER)) {
            throw new ProblemException(ProblemType.UNAUTHORIZED, "A valid channel token is required");
        }
        Contact contact = body.contact();
        ChannelMessages.Accepted accepted = messages.post(
                channelId,
                authorization.substring(BEARER.length()).strip(),
                new ContactDetails(contact.id().strip(), contact.name(), contact.email(), true),
                body.text());
        return Response.accepted(accepted).build();
    }
}
