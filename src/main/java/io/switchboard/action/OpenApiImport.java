package io.switchboard.action;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.core.util.Json31;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.SpecVersion;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.servers.Server;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import io.switchboard.platform.ProblemException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns the operations of a tenant's OpenAPI 3 document into action definitions, with the kept
 * swagger-parser: the name from the operationId, the description from its summary, the URL from
 * the server and the path, and one object schema of the path and query parameters and the JSON
 * request body. A document may only refer to itself: a remote {@code $ref} would make the platform
 * fetch URLs of the tenant's choosing, so one is refused before the parser sees the document.
 */
final class OpenApiImport {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> QUERY_METHODS = Set.of("GET", "DELETE");
    /** The methods {@link ActionDefinition#method()} allows. */
    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");

    /**
     * One operation of the document as the action it would become.
     *
     * @param operationId as the document names it; null when it names none (then {@code name} chooses it)
     * @param notes what the action leaves out (optional query parameters of a write, headers, cookies)
     * @param problems why the action cannot be created as it is; empty when it can
     */
    record Candidate(
            String operationId, String path, ActionDefinition action, List<String> notes, List<String> problems) {

        Candidate withProblem(String problem) {
            List<String> more = new ArrayList<>(problems);
            more.add(problem);
            return new Candidate(operationId, path, action, notes, List.copyOf(more));
        }

        boolean chosenBy(String id) {
            return id.equals(operationId) || (operationId == null && id.equals(action.name()));
        }
    }

    /** The document's title and version, and each of its operations in document order. */
    record Parsed(String title, String version, List<Candidate> candidates) {}

    private OpenApiImport() {}

    /**
     * Parses the document (JSON or YAML) and describes its operations.
     *
     * @param serverUrl the base URL to use instead of the document's first server, or null
     * @throws ProblemException 422 (field {@code document}) when it is not an OpenAPI 3 document this can read
     */
    static Parsed parse(String document, String serverUrl) {
        JsonNode raw;
        try {
            raw = YAML.readTree(document);
        } catch (IOException e) {
            throw invalid("is neither JSON nor YAML (" + firstLine(e.getMessage()) + ")");
        }
        if (raw == null || !raw.isObject() || !raw.path("openapi").asText().startsWith("3.")) {
            throw invalid("must be an OpenAPI 3 document (an object with \"openapi\": \"3.x\")");
        }
        Optional<String> remote = OpenApiSchemas.remoteReference(raw);
        if (remote.isPresent()) {
            throw invalid("may only refer to itself: '$ref: " + remote.get() + "' must start with '#'");
        }
        ParseOptions options = new ParseOptions();
        // Safe only because every reference was just checked to point inside the document.
        options.setResolve(true);
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(document, null, options);
        OpenAPI api = result.getOpenAPI();
        if (api == null || api.getPaths() == null || api.getPaths().isEmpty()) {
            List<String> messages = result.getMessages() == null ? List.of() : result.getMessages();
            throw invalid("is not a valid OpenAPI 3 document"
                    + (messages.isEmpty()
                            ? ""
                            : ": " + String.join("; ", messages.subList(0, Math.min(5, messages.size())))));
        }
        ObjectMapper mapper = api.getSpecVersion() == SpecVersion.V31 ? Json31.mapper() : Json.mapper();
        Map<String, JsonNode> components = new LinkedHashMap<>();
        if (api.getComponents() != null && api.getComponents().getSchemas() != null) {
            api.getComponents()
                    .getSchemas()
                    .forEach((name, schema) -> components.put(name, mapper.valueToTree(schema)));
        }
        String base = serverUrl != null && !serverUrl.isBlank() ? serverUrl.strip() : server(api);
        List<Candidate> candidates = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        api.getPaths()
                .forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
                    Candidate candidate = candidate(base, path, item, method, operation, mapper, components);
                    if (!names.add(candidate.action().name())) {
                        candidate = candidate.withProblem("another operation of the document also becomes '"
                                + candidate.action().name() + "'");
                    }
                    candidates.add(candidate);
                }));
        String title = api.getInfo() == null ? null : api.getInfo().getTitle();
        String version = api.getInfo() == null ? null : api.getInfo().getVersion();
        return new Parsed(title, version, candidates);
    }

    private static Candidate candidate(
            String base,
            String path,
            PathItem item,
            PathItem.HttpMethod httpMethod,
            Operation operation,
            ObjectMapper mapper,
            Map<String, JsonNode> components) {
        String method = httpMethod.name();
        List<String> notes = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        ObjectNode schema = JsonNodeFactory.instance.objectNode();
        schema.put("type", "object");
        ObjectNode properties = schema.putObject("properties");
        Set<String> required = new LinkedHashSet<>();
        StringBuilder url = new StringBuilder(base == null ? "" : base.replaceAll("/+$", ""));
        Map<String, Parameter> parameters = new LinkedHashMap<>();
        for (List<Parameter> list : java.util.Arrays.asList(item.getParameters(), operation.getParameters())) {
            if (list != null) {
                // The operation's own parameters override the path item's of the same name and place.
                list.forEach(parameter -> parameters.put(parameter.getIn() + ":" + parameter.getName(), parameter));
            }
        }
        String filledPath = path;
        List<String> queryPlaceholders = new ArrayList<>();
        for (Parameter parameter : parameters.values()) {
            String in = String.valueOf(parameter.getIn());
            String property = propertyName(parameter.getName());
            boolean mandatory = Boolean.TRUE.equals(parameter.getRequired()) || in.equals("path");
            switch (in) {
                case "path" -> filledPath = filledPath.replace("{" + parameter.getName() + "}", "{" + property + "}");
                case "query" -> {
                    if (!QUERY_METHODS.contains(method)) {
                        if (!mandatory) {
                            notes.add("optional query parameter '" + parameter.getName() + "' left out");
                            continue;
                        }
                        queryPlaceholders.add(ActionClient.encode(parameter.getName()) + "={" + property + "}");
                    }
                }
                default -> {
                    notes.add(in + " parameter '" + parameter.getName() + "' left out");
                    continue;
                }
            }
            ObjectNode parameterSchema = parameter.getSchema() == null
                    ? JsonNodeFactory.instance.objectNode().put("type", "string")
                    : mapper.valueToTree(parameter.getSchema());
            if (parameter.getDescription() != null && !parameterSchema.has("description")) {
                parameterSchema.put("description", parameter.getDescription());
            }
            if (properties.has(property)) {
                problems.add("two parameters are both called '" + property + "'");
            }
            properties.set(property, parameterSchema);
            if (mandatory) {
                required.add(property);
            }
        }
        body(operation, method, mapper, components, properties, required, notes, problems);
        url.append(filledPath);
        if (!queryPlaceholders.isEmpty()) {
            url.append(url.indexOf("?") >= 0 ? "&" : "?").append(String.join("&", queryPlaceholders));
        }
        if (base == null) {
            problems.add("the document names no absolute server URL: give serverUrl");
        }
        if (!METHODS.contains(method)) {
            problems.add(method + " is not a method an action can use");
        }
        if (!required.isEmpty()) {
            ArrayNode list = schema.putArray("required");
            required.forEach(list::add);
        }
        OpenApiSchemas.withDefinitions(schema, components);
        String description = firstNonBlank(operation.getSummary(), operation.getDescription(), method + " " + path);
        ActionDefinition action = new ActionDefinition(
                name(operation.getOperationId(), method, path),
                description.length() > 1000 ? description.substring(0, 999) + "…" : description,
                method,
                url.toString(),
                schema,
                null,
                null,
                null,
                null);
        return new Candidate(operation.getOperationId(), path, action, List.copyOf(notes), List.copyOf(problems));
    }

    /** The JSON request body's properties join the parameters; a body that is not an object cannot. */
    private static void body(
            Operation operation,
            String method,
            ObjectMapper mapper,
            Map<String, JsonNode> components,
            ObjectNode properties,
            Set<String> required,
            List<String> notes,
            List<String> problems) {
        if (operation.getRequestBody() == null || operation.getRequestBody().getContent() == null) {
            return;
        }
        MediaType json = operation.getRequestBody().getContent().entrySet().stream()
                .filter(entry -> entry.getKey().toLowerCase(Locale.ROOT).matches("application/(.+\\+)?json.*"))
                .map(Map.Entry::getValue)
                .findFirst()
                .orElse(null);
        if (json == null || json.getSchema() == null) {
            notes.add("request body left out (not JSON)");
            return;
        }
        if (QUERY_METHODS.contains(method)) {
            notes.add("request body of a " + method + " left out (its arguments go in the query)");
            return;
        }
        JsonNode body = OpenApiSchemas.inlineTopLevel(mapper.valueToTree(json.getSchema()), components);
        if (!body.path("properties").isObject()) {
            problems.add("the JSON request body is not an object with properties, which an action cannot send");
            return;
        }
        boolean bodyRequired = Boolean.TRUE.equals(operation.getRequestBody().getRequired());
        Set<String> bodyRequiredNames = new LinkedHashSet<>();
        body.path("required").forEach(name -> bodyRequiredNames.add(name.asText()));
        body.get("properties").properties().forEach(field -> {
            if (properties.has(field.getKey())) {
                problems.add("the body property '" + field.getKey() + "' has the name of a parameter");
                return;
            }
            properties.set(field.getKey(), field.getValue());
            if (bodyRequired && bodyRequiredNames.contains(field.getKey())) {
                required.add(field.getKey());
            }
        });
    }

    /** The first server's URL with its variables at their defaults; null when there is none or it is relative. */
    private static String server(OpenAPI api) {
        if (api.getServers() == null || api.getServers().isEmpty()) {
            return null;
        }
        Server server = api.getServers().get(0);
        String url = server.getUrl();
        if (server.getVariables() != null) {
            for (var variable : server.getVariables().entrySet()) {
                url = url.replace(
                        "{" + variable.getKey() + "}",
                        String.valueOf(variable.getValue().getDefault()));
            }
        }
        return url != null && url.matches("(?i)https?://.+") ? url : null;
    }

    /** The operationId as a tool name: snake case of a-z, 0-9 and _, at most 64; from the method and path when absent. */
    static String name(String operationId, String method, String path) {
        String source = operationId == null || operationId.isBlank() ? method + "_" + path : operationId;
        String snake = source.replaceAll("([a-z0-9])([A-Z])", "$1_$2")
                .toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9]+", "_")
                .replaceAll("^_+|_+$", "");
        if (snake.isEmpty()) {
            snake = method.toLowerCase(Locale.ROOT);
        }
        return snake.length() > 64 ? snake.substring(0, 64).replaceAll("_+$", "") : snake;
    }

    private static String propertyName(String parameter) {
        String name = parameter.replaceAll("[^A-Za-z0-9_]", "_");
        return name.length() > 64 ? name.substring(0, 64) : name;
    }

    private static String firstNonBlank(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value.strip();
            }
        }
        return "";
    }

    private static String firstLine(String message) {
        return message == null ? "unreadable" : message.lines().findFirst().orElse("unreadable");
    }

    private static ProblemException invalid(String message) {
        return ProblemException.invalid("document", message);
    }
}
