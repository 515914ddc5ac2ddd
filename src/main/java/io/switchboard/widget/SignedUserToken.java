package io.switchboard.widget;

import io.switchboard.conversation.ContactDetails;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.HmacKey;

/**
 * A short-lived JWT the tenant's server signs for its signed-in user, as Intercom's identity
 * verification does: HS256 with the key derived from the tenant's widget secret, {@code sub} the
 * user id, optional {@code name} and {@code email}, and an {@code exp} at most
 * {@link #LONGEST_LIFETIME} away. Only HS256 is accepted (no {@code none}, no algorithm the
 * caller chooses); jose4j checks the signature and the times.
 */
final class SignedUserToken {

    static final Duration LONGEST_LIFETIME = Duration.ofHours(24);
    private static final int CLOCK_SKEW_SECONDS = 30;
    private static final int LONGEST_TEXT = 200;

    private SignedUserToken() {}

    /** The user the token vouches for, or empty when it is malformed, forged, expired or too long-lived. */
    static Optional<ContactDetails> verify(String token, String key, Instant now) {
        try {
            JwtClaims claims = new JwtConsumerBuilder()
                    .setVerificationKey(new HmacKey(key.getBytes(StandardCharsets.UTF_8)))
                    .setJwsAlgorithmConstraints(
                            AlgorithmConstraints.ConstraintType.PERMIT, AlgorithmIdentifiers.HMAC_SHA256)
                    .setRequireExpirationTime()
                    .setMaxFutureValidityInMinutes((int) LONGEST_LIFETIME.toMinutes())
                    .setAllowedClockSkewInSeconds(CLOCK_SKEW_SECONDS)
                    .setRequireSubject()
                    .setSkipDefaultAudienceValidation()
                    .setEvaluationTime(NumericDate.fromSeconds(now.getEpochSecond()))
                    .build()
                    .processToClaims(token.strip());
            String subject = claims.getSubject();
            if (subject.isBlank() || subject.length() > LONGEST_TEXT) {
                return Optional.empty();
            }
            return Optional.of(new ContactDetails(subject, text(claims, "name"), text(claims, "email"), true));
        } catch (InvalidJwtException | MalformedClaimException rejected) {
            return Optional.empty();
        }
    }

    private static String text(JwtClaims claims, String name) {
        if (!(claims.getClaimValue(name) instanceof String value) || value.isBlank()) {
            return null;
        }
        return value.length() > LONGEST_TEXT ? value.substring(0, LONGEST_TEXT) : value;
    }
}
