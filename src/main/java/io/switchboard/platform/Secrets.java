package io.switchboard.platform;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Bearer secrets (conversation tokens, API keys): 32 random bytes behind a readable prefix.
 * They carry 256 bits of entropy, so a plain SHA-256 is the right thing to store and look up.
 */
public final class Secrets {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {}

    public static String newSecret(String prefix) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Hex HMAC-SHA256 of the message with the secret: how customers' identities and webhook deliveries are signed. */
    public static String hmacSha256(String secret, String message) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | java.security.InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /**
     * The {@code Switchboard-Signature} header of a request the platform sends a tenant (webhook
     * deliveries, action calls): {@code t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">}, as
     * Stripe signs its webhooks, so a receiver can also refuse replays of old requests.
     */
    public static String signatureHeader(String secret, long unixSeconds, String body) {
        return "t=" + unixSeconds + ",v1=" + hmacSha256(secret, unixSeconds + "." + body);
    }

    /** One digest per thread: every API call hashes its key, and looking the algorithm up each time showed in profiles. */
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    });

    public static String sha256(String secret) {
        return HexFormat.of().formatHex(SHA_256.get().digest(secret.getBytes(StandardCharsets.UTF_8)));
    }
}
