package io.switchboard.platform;

import java.util.List;

/** Thrown by services for an outcome the client must see as a problem document. */
public class ProblemException extends RuntimeException {

    private final transient Problem problem;

    public ProblemException(ProblemType type, String detail) {
        this(Problem.of(type, detail));
    }

    public ProblemException(ProblemType type, String detail, List<Problem.FieldError> errors) {
        this(Problem.of(type, detail, errors));
    }

    private ProblemException(Problem problem) {
        super(problem.detail(), null, false, false);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }

    /** One field of the request is wrong: a validation problem naming it. */
    public static ProblemException invalid(String field, String message) {
        return new ProblemException(
                ProblemType.VALIDATION_FAILED, field + ": " + message, List.of(new Problem.FieldError(field, message)));
    }

    /** Several fields are wrong: the first one leads the detail, all of them are listed. */
    public static ProblemException invalid(List<Problem.FieldError> problems) {
        Problem.FieldError first = problems.get(0);
        return new ProblemException(ProblemType.VALIDATION_FAILED, first.field() + ": " + first.message(), problems);
    }

    public static ProblemException notFound(String what) {
        return new ProblemException(ProblemType.NOT_FOUND, what + " not found");
    }
}
