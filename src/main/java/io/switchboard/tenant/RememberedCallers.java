package io.switchboard.tenant;

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
    record Remembered(UUID subject, Caller caller, long validUntilNanos) {}

    private final long rememberNanos;
    private final Map<String, Remembered> byCredential = new ConcurrentHashMap<>();
    private final Map<UUID, Long> forgottenAtNanos = new ConcurrentHashMap<>();

    RememberedCallers(Duration remember) {
        this.rememberNanos = remember.toNanos();
    }

    Optional<Remembered> recall(String credentialDigest) {
        Remembered remembered = byCredential.get(credentialDigest);
        if (remembered == null || System.nanoTime() - remembered.validUntilNanos() > 0) {
            return Optional.empty();
        }
        return Optional.of(remembered);
    }

    /** Remembers a check that started at {@code checkStartedNanos}, unless the subject changed since. */
    void remember(String credentialDigest, UUID subject, Caller caller, long checkStartedNanos) {
        Long forgottenAt = forgottenAtNanos.get(subject);
        if (forgottenAt != null && forgottenAt - checkStartedNanos >= 0) {
            return;
        }
        byCredential.put(credentialDigest, new Remembered(subject, caller, checkStartedNanos + rememberNanos));
    }

    void forget(UUID subject) {
        long now = System.nanoTime();
        forgottenAtNanos.put(subject, now);
        // A check that started before a change this old has long finished.
        forgottenAtNanos.values().removeIf(at -> now - at > rememberNanos);
        byCredential.values().removeIf(remembered -> remembered.subject().equals(subject));
    }
}
