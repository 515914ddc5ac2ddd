package io.switchboard.tenant;

import io.github.bucket4j.distributed.BucketProxy;
import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.platform.SharedBuckets;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Password guessing is limited per username and per source address, in buckets every replica
 * shares. A check takes a token from both before bcrypt runs and gives them back when the
 * password was right, so only failures count and parallel guesses cannot run more bcrypt checks
 * than the buckets hold; at most one check per processor runs at once, so a flood of guesses
 * cannot take every thread either.
 */
@ApplicationScoped
public class LoginLimits {

    private static final Logger LOG = Logger.getLogger(LoginLimits.class);

    private final SharedBuckets buckets;
    private final TenantConfig.Login config;
    private final MeterRegistry metrics;
    private final Semaphore checks = new Semaphore(Runtime.getRuntime().availableProcessors(), true);

    public LoginLimits(SharedBuckets buckets, TenantConfig config, MeterRegistry metrics) {
        this.buckets = buckets;
        this.config = config.login();
        this.metrics = metrics;
    }

    /** Runs the password check unless this username or address has failed too often; empty when refused or wrong. */
    public Optional<Caller> check(String username, String sourceAddress, Supplier<Optional<Caller>> passwordCheck) {
        BucketProxy account = buckets.bucket(
                "login-account:" + username.toLowerCase(Locale.ROOT),
                config.failuresPerAccount(),
                config.failureWindow());
        if (!account.tryConsume(1)) {
            return refused("account");
        }
        BucketProxy address = sourceAddress == null
                ? null
                : buckets.bucket("login-address:" + sourceAddress, config.failuresPerAddress(), config.failureWindow());
        if (address != null && !address.tryConsume(1)) {
            account.addTokens(1);
            return refused("address");
        }
        Optional<Caller> caller;
        checks.acquireUninterruptibly();
        try {
            caller = passwordCheck.get();
        } finally {
            checks.release();
        }
        if (caller.isPresent()) {
            account.addTokens(1);
            if (address != null) {
                address.addTokens(1);
            }
        }
        return caller;
    }

    /** Not audited one by one: the failures that led here are, and a flood must not fill the log. */
    private Optional<Caller> refused(String limit) {
        metrics.counter("switchboard.login.refused", "limit", limit).increment();
        LOG.debugf("A login was refused: too many failures for this %s", limit);
        return Optional.empty();
    }
}
