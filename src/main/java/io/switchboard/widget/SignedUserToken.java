package io.switchboard.widget;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.conversation.ContactDetails;
import io.switchboard.platform.Secrets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * A short-lived JWT the tenant's server signs for its signed-in user, as Intercom's identity
 * verification does: HS256 with the tenant's widget secret, {@code sub} the user id, optional
 * {@code name} and {@code email}, and an {@code exp} at most {@link #LONGEST_LIFETIME} away.
 * Only HS256 is accepted (no {@code none}, no algorithm the caller chooses).
 */
final class SignedUserToken {

    static final Duration LONGEST_LIFETIME = Duration.ofHours(24);
    private static final Duration CLOCK_SKEW = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private SignedUserToken() {}

    /** The user the token vouches for, or empty when it is malformed, forged, expired or too long-lived. */
    static Optional<ContactDetails> verify(String token, String secret, Instant now) {
        String[] parts = token.strip().split("\\.", -1);
        if (parts.length != 3) {
            return Optional.empty();
        }
        try {
            JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
            if (!"HS256".equals(header.path("alg").asText())) {
                return Optional.empty();
            }
            byte[] expected = HexFormat.of().parseHex(Secrets.hmacSha256(secret, parts[0] + "." + parts[1]));
            if (!MessageDigest.isEqual(expected, Base64.getUrlDecoder().decode(parts[2]))) {
                return Optional.empty();
            }
            JsonNode claims =
                    JSON.readTree(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
            String subject = claims.path("sub").asText("");
            if (subject.isBlank()
                    || subject.length() > 200
                    || !claims.path("exp").canConvertToLong()) {
                return Optional.empty();
            }
            Instant expires = Instant.ofEpochSecond(claims.path("exp").asLong());
            if (expires.isBefore(now.minus(CLOCK_SKEW))
                    || expires.isAfter(now.plus(LONGEST_LIFETIME).plus(CLOCK_SKEW))) {
                return Optional.empty();
            }
            return Optional.of(new ContactDetails(subject, text(claims, "name"), text(claims, "email"), true));
        } catch (IOException | IllegalArgumentException malformed) {
            return Optional.empty();
        }
    }

    private static String text(JsonNode claims, String name) {
        String value = claims.path(name).asText(null);
        return value == null || value.isBlank() ? null : value.length() > 200 ? value.substring(0, 200) : value;
    }
}
