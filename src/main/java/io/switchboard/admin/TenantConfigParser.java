package io.switchboard.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.switchboard.knowledge.ArticleDefinition;
import io.switchboard.knowledge.ArticleFiles;
import io.switchboard.model.ModelPolicy;
import io.switchboard.platform.Problem;
import io.switchboard.platform.YamlErrors;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads and validates {@code tenants-config/*.yaml} without touching the database, so a bad
 * file is reported in full before anything is applied.
 */
public class TenantConfigParser {

    /** A valid tenant file with its knowledge articles resolved. */
    public record ParsedTenant(Path file, TenantDefinition definition, List<ArticleDefinition> articles) {}

    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    private final Validator validator;
    private final BiFunction<ModelPolicy, List<String>, List<Problem.FieldError>> policyProblems;

    /**
     * @param policyProblems what is wrong with a model policy given the tenant's allowed endpoints
     *                       (unknown endpoint or model, not allowed, against the residency)
     */
    public TenantConfigParser(
            Validator validator, BiFunction<ModelPolicy, List<String>, List<Problem.FieldError>> policyProblems) {
        this.validator = validator;
        this.policyProblems = policyProblems;
    }

    public List<ParsedTenant> parse(Path directory) {
        List<String> problems = new ArrayList<>();
        List<ParsedTenant> tenants = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            throw new TenantConfigException(List.of(directory + ": directory not found"));
        }
        for (Path file : yamlFiles(directory, problems)) {
            parseFile(directory, file, problems).ifPresent(tenants::add);
        }
        Map<String, Path> seen = new HashMap<>();
        for (ParsedTenant tenant : tenants) {
            Path first = seen.putIfAbsent(tenant.definition().slug(), tenant.file());
            if (first != null) {
                problems.add(tenant.file() + ": slug: duplicate slug '"
                        + tenant.definition().slug() + "' (also in " + first + ")");
            }
        }
        if (!problems.isEmpty()) {
            throw new TenantConfigException(problems);
        }
        return tenants;
    }

    private Optional<ParsedTenant> parseFile(Path directory, Path file, List<String> problems) {
        TenantDefinition definition;
        try {
            definition = yaml.readValue(file.toFile(), TenantDefinition.class);
        } catch (JsonProcessingException e) {
            problems.add(file + ": " + YamlErrors.describe(e));
            return Optional.empty();
        } catch (IOException e) {
            problems.add(file + ": cannot be read (" + e.getMessage() + ")");
            return Optional.empty();
        }
        if (definition == null) {
            problems.add(file + ": the file is empty");
            return Optional.empty();
        }
        int before = problems.size();
        for (ConstraintViolation<TenantDefinition> violation : validator.validate(definition)) {
            problems.add(file + ": " + violation.getPropertyPath() + ": " + violation.getMessage());
        }
        String expectedSlug = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
        if (definition.slug() != null && !definition.slug().equals(expectedSlug)) {
            problems.add(file + ": slug: '" + definition.slug() + "' must match the file name '" + expectedSlug + "'");
        }
        if (problems.size() == before && definition.model() != null) {
            for (Problem.FieldError error : policyProblems.apply(definition.model(), definition.allowedEndpoints())) {
                problems.add(file + ": model." + error.field() + ": " + error.message());
            }
        }
        List<ArticleDefinition> articles =
                new ArrayList<>(definition.knowledge().articles());
        String knowledgeDirectory = definition.knowledge().directory();
        if (knowledgeDirectory != null && !knowledgeDirectory.isBlank()) {
            Path articleDirectory = directory.resolve(knowledgeDirectory).normalize();
            if (!articleDirectory.startsWith(directory.normalize()) || !Files.isDirectory(articleDirectory)) {
                problems.add(file + ": knowledge.directory: '" + knowledgeDirectory + "' is not a directory inside "
                        + directory);
            } else {
                articles.addAll(ArticleFiles.read(articleDirectory, problems));
            }
        }
        for (ArticleDefinition article : articles) {
            for (ConstraintViolation<ArticleDefinition> violation : validator.validate(article)) {
                problems.add(file + ": knowledge article '" + article.key() + "': " + violation.getPropertyPath() + ": "
                        + violation.getMessage());
            }
        }
        Map<String, Long> keys = articles.stream()
                .filter(a -> a.key() != null)
                .collect(Collectors.groupingBy(ArticleDefinition::key, Collectors.counting()));
        keys.forEach((key, count) -> {
            if (count > 1) {
                problems.add(file + ": knowledge: duplicate article key '" + key + "'");
            }
        });
        return problems.size() == before ? Optional.of(new ParsedTenant(file, definition, articles)) : Optional.empty();
    }

    private static List<Path> yamlFiles(Path directory, List<String> problems) {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> f.getFileName().toString().matches(".*\\.ya?ml$") && Files.isRegularFile(f))
                    .sorted(Comparator.comparing(Path::toString))
                    .toList();
        } catch (IOException e) {
            problems.add(directory + ": cannot be listed (" + e.getMessage() + ")");
            return List.of();
        }
    }
}
