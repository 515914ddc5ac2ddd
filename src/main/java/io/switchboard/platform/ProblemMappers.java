package io.switchboard.platform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.ClientWebApplicationException;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Turns every error leaving the REST layer into problem+json; no stack trace reaches a client. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response problem(ProblemException exception) {
        return respond(exception.problem());
    }

    @ServerExceptionMapper
    public Response retryLater(RetryLaterException exception) {
        return Response.fromResponse(respond(exception.problem()))
                .header("Retry-After", Long.toString(exception.retryAfterSeconds()))
                .build();
    }

    @ServerExceptionMapper
    public Response invalid(ConstraintViolationException exception) {
        List<Problem.FieldError> errors = exception.getConstraintViolations().stream()
                .map(violation -> new Problem.FieldError(fieldOf(violation), violation.getMessage()))
                .sorted(Comparator.comparing(Problem.FieldError::field))
                .toList();
        String detail = errors.stream().map(e -> e.field() + ": " + e.message()).collect(Collectors.joining("; "));
        return respond(Problem.of(ProblemType.VALIDATION_FAILED, detail, errors));
    }

    @ServerExceptionMapper
    public Response malformed(JsonProcessingException exception) {
        String detail = "The request body is not valid JSON for this operation";
        if (exception instanceof JsonMappingException mapping
                && !mapping.getPath().isEmpty()) {
            detail = "Field '" + YamlErrors.path(mapping) + "' has the wrong type or is not known";
        }
        return respond(Problem.of(ProblemType.MALFORMED_REQUEST, detail));
    }

    /** Wrong JSON shapes (an array, an object where text belongs); overrides Quarkus' plain-JSON mapper. */
    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException exception) {
        return malformed(exception);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException exception) {
        if (exception.getCause() instanceof JsonProcessingException json) {
            return malformed(json);
        }
        if (exception.getResponse().hasEntity()) {
            // A resource chose its own error body (the OpenAI-compatible API speaks OpenAI's error format).
            return exception.getResponse();
        }
        int status = exception.getResponse().getStatus();
        ProblemType type = ProblemType.forStatus(status);
        return Response.status(status)
                .type(Problem.MEDIA_TYPE)
                .entity(new Problem(type.uri(), type.title(), status, exception.getMessage(), List.of()))
                .build();
    }

    /** A call this service made to another one failed and nobody handled it: its response stays ours to hide. */
    @ServerExceptionMapper
    public Response upstream(ClientWebApplicationException exception) {
        LOG.errorf(
                "An outgoing call failed with HTTP %d and was not handled",
                exception.getResponse().getStatus());
        return respond(Problem.of(ProblemType.INTERNAL_ERROR, "Something went wrong on our side; it has been logged"));
    }

    @ServerExceptionMapper
    public Response unexpected(Exception exception) {
        if (diskFull(exception)) {
            // An external PostgreSQL out of disk: nothing was stored, and it is nobody's bug.
            LOG.error("The database is out of disk space; the request was refused");
            return retryLater(new StorageSpace.FullException());
        }
        LOG.error("Unexpected error while handling a request", exception);
        return respond(Problem.of(ProblemType.INTERNAL_ERROR, "Something went wrong on our side; it has been logged"));
    }

    /** PostgreSQL's disk_full (SQLSTATE 53100), anywhere in the chain of causes. */
    private static boolean diskFull(Throwable exception) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.sql.SQLException sql && "53100".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    static Response respond(Problem problem) {
        return Response.status(problem.status())
                .type(Problem.MEDIA_TYPE)
                .entity(problem)
                .build();
    }

    /**
     * "post.request.text" becomes "text", "...origins[0].&lt;list element&gt;" becomes "origins[0]":
     * clients know the body's fields, not our method names or the validator's container nodes.
     */
    private static String fieldOf(ConstraintViolation<?> violation) {
        String path = violation.getPropertyPath().toString().replaceAll("\\.<[a-z ]+>", "");
        String[] parts = path.split("\\.");
        int start = parts.length > 2 ? 2 : parts.length - 1;
        return String.join(".", java.util.Arrays.copyOfRange(parts, start, parts.length));
    }
}
