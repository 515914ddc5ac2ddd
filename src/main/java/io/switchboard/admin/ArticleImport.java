package io.switchboard.admin;

import io.switchboard.knowledge.ArticleDefinition;
import io.switchboard.knowledge.ArticleUpload;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/**
 * Uploaded help files read as articles, for the admin API and the console alike: every file is
 * read and checked as a written article would be (ArticleRequest) before anything is stored, so
 * one file that cannot be an article refuses the whole import.
 */
@ApplicationScoped
public class ArticleImport {

    public static final int MAX_FILES = 200;

    /** The articles, or (when any file failed) what is wrong with each failing file: "name: reason". */
    public record Read(List<ArticleDefinition> articles, List<String> problems) {}

    private final Validator validator;

    public ArticleImport(Validator validator) {
        this.validator = validator;
    }

    public Read read(List<FileUpload> files) {
        List<FileUpload> uploaded = files == null
                ? List.of()
                : files.stream()
                        .filter(file -> file.size() > 0 || !file.fileName().isBlank())
                        .toList();
        if (uploaded.isEmpty()) {
            return new Read(List.of(), List.of("Choose at least one file to import."));
        }
        if (uploaded.size() > MAX_FILES) {
            return new Read(List.of(), List.of("Import at most " + MAX_FILES + " files at once."));
        }
        List<String> problems = new ArrayList<>();
        List<ArticleDefinition> articles = new ArrayList<>();
        for (FileUpload file : uploaded) {
            try {
                ArticleDefinition article =
                        ArticleUpload.read(file.fileName(), Files.readAllBytes(file.uploadedFile()));
                ArticleRequest request = new ArticleRequest(
                        article.title(), article.body(), article.url(), article.tags(), article.language());
                validator.validate(request).stream()
                        .findFirst()
                        .ifPresentOrElse(
                                violation -> problems.add(file.fileName() + ": " + describe(violation)),
                                () -> articles.add(request.toDefinition()));
            } catch (IllegalArgumentException refused) {
                problems.add(file.fileName() + ": " + refused.getMessage());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return problems.isEmpty() ? new Read(articles, List.of()) : new Read(List.of(), problems);
    }

    /** "body must be at most 200 KB of UTF-8 text": the body's own rules read as the body's. */
    private static String describe(ConstraintViolation<?> violation) {
        String path = violation.getPropertyPath().toString();
        return (path.startsWith("body") ? "body" : path) + " " + violation.getMessage();
    }
}
