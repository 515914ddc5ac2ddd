package io.switchboard.tenant;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Callers whose credentials this replica checked a short while ago, so a repeated call costs no
 * database round trip (and, for passwords, no bcrypt). Credentials are keyed by a digest, never
 * kept in clear. Forgetting a subject (a key revoked, an account changed) drops it at once, and a
 * check that started before the change cannot put the stale answer back.
 */
final class RememberedCallers {

    /** A remembered check: whose credential it was, and who calls with it. */
    record Remembered(UUID subject, Caller caller) {}

    /** Enough for the callers a replica serves at once; the least used are forgotten first. */
    private static final int REMEMBERED = 100_000;

    private final long rememberNanos;
    private final Cache<String, Remembered> byCredential;
    private final Map<UUID, Long> forgottenAtNanos = new ConcurrentHashMap<>();

    RememberedCallers(Duration remember) {
        this.rememberNanos = remember.toNanos();
        this.byCredential = Caffeine.newBuilder()
                .expireAfterWrite(remember)
                .maximumSize(REMEMBERED)
                .build();
    }

    Optional<Remembered> recall(String credentialDigest) {
        return Optional.ofNullable(byCredential.getIfPresent(credentialDigest));
    }

    /** Remembers a check that started at {@code checkStartedNanos}, unless the subject changed since. */
    void remember(String credentialDigest, UUID subject, Caller caller, long checkStartedNanos) {
        Long forgottenAt = forgottenAtNanos.get(subject);
        if (forgottenAt != null && forgottenAt - checkStartedNanos >= 0) {
            return;
        }
        byCredential.put(credentialDigest, new Remembered(subject, caller));
    }

    void forget(UUID subject) {
        long now = System.nanoTime();
        forgottenAtNanos.put(subject, now);
        // A check that started before a change this old has long finished.
        forgottenAtNanos.values().removeIf(at -> now - at > rememberNanos);
        byCredential
                .asMap()
                .values()
                .removeIf(remembered -> remembered.subject().equals(subject));
    }
}
