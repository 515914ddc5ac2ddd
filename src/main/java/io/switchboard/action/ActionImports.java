package io.switchboard.action;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.platform.Problem;
import io.switchboard.platform.ProblemException;
import io.switchboard.platform.ProblemType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Importing a tenant's actions from its OpenAPI 3 document: a preview of every operation as the
 * action it would become, then the chosen ones created through {@link ActionDefinitions}, so an
 * imported action passes exactly the checks of one created by hand.
 */
@ApplicationScoped
public class ActionImports {

    private final ActionDefinitions definitions;

    public ActionImports(ActionDefinitions definitions) {
        this.definitions = definitions;
    }

    /** One operation of an OpenAPI document as the action it would become, and why it could not be one. */
    public record ImportedOperation(
            String operationId,
            String path,
            String name,
            String description,
            String method,
            String url,
            JsonNode parameters,
            boolean confirm,
            List<String> notes,
            List<String> problems) {

        /** The names of the arguments, as the preview lists them. */
        @JsonIgnore
        public List<String> properties() {
            List<String> names = new ArrayList<>();
            parameters.path("properties").fieldNames().forEachRemaining(names::add);
            return names;
        }
    }

    /** What an OpenAPI document would give: its title and version and every operation in document order. */
    public record ImportPreview(String title, String version, List<ImportedOperation> operations) {}

    /**
     * The operations of an OpenAPI 3 document (JSON or YAML) as the actions they would become,
     * each with the problems that would keep it from being imported (an address refused, a name
     * the tenant already uses, a body an action cannot send).
     *
     * @param serverUrl the base URL to use instead of the document's first server, or null
     */
    @Transactional
    public ImportPreview previewImport(String document, String serverUrl) {
        OpenApiImport.Parsed parsed = OpenApiImport.parse(document, serverUrl);
        return new ImportPreview(
                parsed.title(),
                parsed.version(),
                parsed.candidates().stream()
                        .map(this::checked)
                        .map(ActionImports::view)
                        .toList());
    }

    /**
     * Creates an action for each chosen operation of the document, all or none: 409 listing the
     * names the tenant already uses, 422 naming each chosen operation that cannot be imported.
     *
     * @param operationIds operationIds of the document (the generated name for an operation without one)
     */
    @Transactional
    public List<ActionDefinitions.ActionView> importOperations(
            String document, String serverUrl, List<String> operationIds) {
        List<OpenApiImport.Candidate> candidates =
                OpenApiImport.parse(document, serverUrl).candidates();
        List<Problem.FieldError> unknown = new ArrayList<>();
        List<OpenApiImport.Candidate> chosen = new ArrayList<>();
        for (String id : new LinkedHashSet<>(operationIds)) {
            candidates.stream()
                    .filter(candidate -> candidate.chosenBy(id))
                    .findFirst()
                    .ifPresentOrElse(
                            chosen::add,
                            () -> unknown.add(new Problem.FieldError(
                                    "operationIds", "the document has no operation '" + id + "'")));
        }
        if (!unknown.isEmpty()) {
            throw ProblemException.invalid(unknown);
        }
        List<String> taken = chosen.stream()
                .map(candidate -> candidate.action().name())
                .filter(definitions::nameTaken)
                .toList();
        if (!taken.isEmpty()) {
            throw new ProblemException(
                    ProblemType.CONFLICT,
                    "The tenant already has actions named " + String.join(", ", taken),
                    taken.stream()
                            .map(name -> new Problem.FieldError(
                                    "operationIds", "the tenant already has an action named '" + name + "'"))
                            .toList());
        }
        List<Problem.FieldError> problems = new ArrayList<>();
        for (OpenApiImport.Candidate candidate : chosen) {
            String label = candidate.operationId() == null ? candidate.action().name() : candidate.operationId();
            checked(candidate).problems().forEach(problem -> problems.add(new Problem.FieldError(label, problem)));
        }
        if (!problems.isEmpty()) {
            throw ProblemException.invalid(problems);
        }
        return chosen.stream()
                .map(candidate -> definitions.create(candidate.action()))
                .toList();
    }

    /** The candidate with the problems creating it would meet: a taken name, a refused URL or schema. */
    private OpenApiImport.Candidate checked(OpenApiImport.Candidate candidate) {
        OpenApiImport.Candidate checked = candidate;
        if (definitions.nameTaken(candidate.action().name())) {
            checked = checked.withProblem("the tenant already has an action named '"
                    + candidate.action().name() + "'");
        }
        if (candidate.action().url().length() > 2000) {
            return checked.withProblem("url: is longer than 2000 characters");
        }
        if (!candidate.problems().isEmpty()) {
            // The URL of a candidate with problems may not even be one: checking it would only repeat them.
            return checked;
        }
        for (Problem.FieldError problem : definitions.problemsWith(candidate.action())) {
            checked = checked.withProblem(problem.field() + ": " + problem.message());
        }
        return checked;
    }

    private static ImportedOperation view(OpenApiImport.Candidate candidate) {
        ActionDefinition action = candidate.action();
        return new ImportedOperation(
                candidate.operationId(),
                candidate.path(),
                action.name(),
                action.description(),
                action.method(),
                action.url(),
                action.parameters(),
                !action.method().equals("GET"),
                candidate.notes(),
                candidate.problems());
    }
}
