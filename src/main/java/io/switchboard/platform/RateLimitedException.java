package io.switchboard.platform;

/** 429 with Retry-After: the caller should wait that many seconds. */
public class RateLimitedException extends RetryLaterException {

    public RateLimitedException(String detail, long retryAfterSeconds) {
        super(ProblemType.RATE_LIMITED, detail, retryAfterSeconds);
    }
}
