package io.switchboard.widget;

import io.switchboard.conversation.ContactDetails;
import io.switchboard.conversation.ConversationState;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.UUID;

/** Bodies of the public widget API. */
public final class WidgetRequests {

    public static final int MAX_MESSAGE_CHARS = 4000;

    private WidgetRequests() {}

    /** {@code userHash} (HMAC of the user id) or {@code userJwt} (an HS256 JWT) proves the user; both are signed with the tenant's widget secret. */
    public record StartConversation(
            @Valid ContactDetails user,
            @Size(max = 512) String userHash,
            @Size(max = 4096) String userJwt) {}

    /** An email the team may reply to. */
    public record LeaveEmail(
            @NotBlank @Email(message = "must be an email address") @Size(max = 254)
            String email) {}

    /** The customer's verdict on one of the bot's answers. */
    public record AnswerFeedback(
            @NotNull(message = "must be true or false") Boolean helpful) {}

    public record ConversationStarted(
            UUID conversationId, long number, String token, ConversationState state, String greeting) {}

    public record CustomerMessage(
            @NotNull(message = "is required")
            @NotBlank(message = "must not be empty")
            @Size(max = MAX_MESSAGE_CHARS, message = "must be at most 4000 characters")
            @Pattern(regexp = "[^\\x00]*", message = "must not contain the NUL character")
            String text) {}
}
