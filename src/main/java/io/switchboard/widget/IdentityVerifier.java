package io.switchboard.widget;

import io.switchboard.conversation.ContactDetails;
import io.switchboard.platform.ProblemException;
import io.switchboard.platform.ProblemType;
import io.switchboard.platform.Secrets;
import io.switchboard.tenant.TenantSettings;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;

/**
 * Identity the tenant vouches for, with the tenant's widget secret: as Chatwoot does, its server
 * computes HMAC-SHA256(user id) and the widget passes the user and that hash; or, as Intercom
 * does, it signs a short-lived HS256 JWT for the user ({@link SignedUserToken}). The secret is
 * read from the setting the tenant names (an environment variable), never stored.
 */
@ApplicationScoped
public class IdentityVerifier {

    private final Config config;

    public IdentityVerifier(Config config) {
        this.config = config;
    }

    /** The customer as the platform may trust them: verified, anonymous, or refused. */
    public ContactDetails verify(TenantSettings tenant, ContactDetails user, String userHash, String userJwt) {
        Optional<String> secret = Optional.ofNullable(tenant.identitySecretRef())
                .flatMap(ref -> config.getOptionalValue(ref, String.class));
        if (userJwt != null && !userJwt.isBlank()) {
            return secret.flatMap(key -> SignedUserToken.verify(userJwt, jwtKey(key), Instant.now()))
                    .orElseThrow(() -> new ProblemException(
                            ProblemType.IDENTITY_NOT_VERIFIED,
                            "The user's token is not signed with this site's secret, has expired or lives too long"));
        }
        boolean claimed = userHash != null && !userHash.isBlank();
        if (claimed) {
            if (secret.isEmpty()
                    || user == null
                    || user.id() == null
                    || user.id().isBlank()
                    || !MessageDigest.isEqual(
                            hmac(secret.get(), user.id()).getBytes(StandardCharsets.UTF_8),
                            userHash.strip().toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.UTF_8))) {
                throw new ProblemException(
                        ProblemType.IDENTITY_NOT_VERIFIED, "The user's identity proof does not match");
            }
            // The hash signs the id only: a name or email beside it is the browser's word, and a verified
            // contact's details must be the tenant's (an agent may send a transcript to that email).
            return new ContactDetails(user.id(), null, null, true);
        }
        if (tenant.requireVerifiedIdentity()) {
            throw new ProblemException(
                    ProblemType.IDENTITY_NOT_VERIFIED,
                    "This site lets only signed-in users chat; identity proof missing");
        }
        // An unproven id is ignored: nobody may claim to be someone else's customer.
        return user == null ? null : new ContactDetails(null, user.name(), user.email(), false);
    }

    public static String hmac(String secret, String userId) {
        return Secrets.hmacSha256(secret, userId);
    }

    /**
     * The key user JWTs are signed with: derived from the widget secret, never the secret itself.
     * Otherwise a user who picks an id shaped like a JWT's signed part ("header.claims") gets the
     * tenant's page to compute its userHash, which is that JWT's signature, for any user they name.
     */
    public static String jwtKey(String secret) {
        return Secrets.hmacSha256(secret, JWT_KEY_PURPOSE);
    }

    private static final String JWT_KEY_PURPOSE = "switchboard-widget-jwt";
}
