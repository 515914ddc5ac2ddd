package io.switchboard.widget;

import io.switchboard.conversation.ContactDetails;
import io.switchboard.platform.ProblemException;
import io.switchboard.platform.ProblemType;
import io.switchboard.tenant.TenantSettings;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.microprofile.config.Config;

/**
 * Identity the tenant vouches for, as Chatwoot does: the tenant's server computes
 * HMAC-SHA256(user id) with the tenant's widget secret, and the widget passes the user and that
 * hash. The secret is read from the setting the tenant names (an environment variable), never
 * stored.
 */
@ApplicationScoped
public class IdentityVerifier {

    private final Config config;

    public IdentityVerifier(Config config) {
        this.config = config;
    }

    /** The customer as the platform may trust them: verified, anonymous, or refused. */
    public ContactDetails verify(TenantSettings tenant, ContactDetails user, String userHash) {
        Optional<String> secret = Optional.ofNullable(tenant.identitySecretRef()).flatMap(ref -> config.getOptionalValue(ref, String.class));
        boolean claimed = userHash != null && !userHash.isBlank();
        if (claimed) {
            if (secret.isEmpty() || user == null || user.id() == null || user.id().isBlank()
                    || !MessageDigest.isEqual(hmac(secret.get(), user.id()).getBytes(StandardCharsets.UTF_8),
                            userHash.strip().toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.UTF_8))) {
                throw new ProblemException(ProblemType.IDENTITY_NOT_VERIFIED, "The user's identity proof does not match");
            }
            return new ContactDetails(user.id(), user.name(), user.email(), true);
        }
        if (tenant.requireVerifiedIdentity()) {
            throw new ProblemException(ProblemType.IDENTITY_NOT_VERIFIED, "This site lets only signed-in users chat; identity proof missing");
        }
        // An unproven id is ignored: nobody may claim to be someone else's customer.
        return user == null ? null : new ContactDetails(null, user.name(), user.email(), false);
    }

    public static String hmac(String secret, String userId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(userId.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
