package io.switchboard.platform;

import java.net.URI;

/** The stable problem types of the public API (RFC 9457 {@code type} URIs). */
public enum ProblemType {
    MALFORMED_REQUEST("malformed-request", 400, "Malformed request"),
    VALIDATION_FAILED("validation-failed", 422, "Validation failed"),
    CHANNEL_TYPE_NOT_SUPPORTED("channel-type-not-supported", 422, "Channel type not supported"),
    /** A model endpoint did not pass its capability probe; {@code errors} says what failed per model. */
    PROBE_FAILED("probe-failed", 422, "Model endpoint failed its probe"),
    UNAUTHORIZED("unauthorized", 401, "Authentication required"),
    IDENTITY_NOT_VERIFIED("identity-not-verified", 401, "Identity not verified"),
    FORBIDDEN("forbidden", 403, "Forbidden"),
    ORIGIN_NOT_ALLOWED("origin-not-allowed", 403, "Origin not allowed"),
    /** A state-changing request with a password or session cookie that did not come from the platform's own pages. */
    CROSS_SITE_REQUEST("cross-site-request", 403, "Cross-site request refused"),
    NOT_FOUND("not-found", 404, "Not found"),
    METHOD_NOT_ALLOWED("method-not-allowed", 405, "Method not allowed"),
    NOT_ACCEPTABLE("not-acceptable", 406, "Not acceptable"),
    CONFLICT("conflict", 409, "Conflict"),
    /** The conversation already has its customer's rating: a rating is given once. */
    ALREADY_RATED("already-rated", 409, "Already rated"),
    /** The conversation is still going and its customer was not asked to rate it yet. */
    RATING_NOT_ASKED("rating-not-asked", 409, "Rating not asked for yet"),
    ACTION_ALREADY_DECIDED("action-already-decided", 409, "Action already confirmed or declined"),
    ACTION_EXPIRED("action-expired", 409, "Action expired"),
    PRECONDITION_FAILED("precondition-failed", 412, "Precondition failed"),
    PAYLOAD_TOO_LARGE("payload-too-large", 413, "Payload too large"),
    UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", 415, "Unsupported media type"),
    RATE_LIMITED("rate-limited", 429, "Too many requests"),
    IDENTITY_PROVIDER_FAILED("identity-provider-failed", 502, "The identity provider failed"),
    /** The platform cannot take this now (its storage is full); Retry-After says when to try again. */
    SERVICE_UNAVAILABLE("service-unavailable", 503, "Service unavailable"),
    INTERNAL_ERROR("internal-error", 500, "Internal error");

    private static final String BASE = "urn:switchboard:problem:";

    private final String slug;
    private final int status;
    private final String title;

    ProblemType(String slug, int status, String title) {
        this.slug = slug;
        this.status = status;
        this.title = title;
    }

    public URI uri() {
        return URI.create(BASE + slug);
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public static ProblemType forStatus(int status) {
        for (ProblemType type : values()) {
            if (type.status == status) {
                return type;
            }
        }
        return status >= 500 ? INTERNAL_ERROR : MALFORMED_REQUEST;
    }
}
