package io.switchboard.console;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import io.switchboard.admin.ArticleImport;
import io.switchboard.admin.ArticleRequest;
import io.switchboard.knowledge.ArticleDefinition;
import io.switchboard.knowledge.ArticleIngestion;
import io.switchboard.knowledge.IngestionStatus;
import io.switchboard.knowledge.KnowledgeService;
import io.switchboard.knowledge.Retrieval;
import io.switchboard.model.Grounding;
import io.switchboard.platform.ProblemException;
import io.switchboard.tenant.CurrentTenant;
import io.switchboard.tenant.ForTenant;
import io.switchboard.tenant.Role;
import io.switchboard.tenant.TenantSettings;
import jakarta.validation.Validator;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/**
 * The tenant admin's knowledge base: list and search articles, write, edit and delete them,
 * approve ones held for review, import markdown, HTML and plain-text files (embedded in the
 * background with a progress bar), and try a question to see which passages would be cited and
 * how confident the match is. Writes go through KnowledgeService and the admin API's own
 * article checks (ArticleRequest), so the console accepts exactly what the API accepts.
 */
@Path("/console/t/{tenant}/knowledge")
@Produces(MediaType.TEXT_HTML)
@ForTenant(Role.TENANT_ADMIN)
public class KnowledgePage {

    private static final int PAGE = 50;
    private static final int TRIED_PASSAGES = 4;

    /** An article form's values as text. */
    public record ArticleForm(String title, String body, String url, String tags, String language) {

        static ArticleForm empty() {
            return new ArticleForm("", "", "", "", "en");
        }

        static ArticleForm of(KnowledgeService.ArticleView article) {
            return new ArticleForm(
                    article.title(),
                    article.body(),
                    article.url() == null ? "" : article.url(),
                    String.join(", ", article.tags()),
                    article.language());
        }

        static ArticleForm of(MultivaluedMap<String, String> fields) {
            return new ArticleForm(
                    FormFields.text(fields, "title"),
                    FormFields.text(fields, "body"),
                    FormFields.text(fields, "url"),
                    FormFields.text(fields, "tags"),
                    FormFields.text(fields, "language"));
        }

        ArticleRequest toRequest() {
            return new ArticleRequest(
                    title,
                    body,
                    url.isBlank() ? null : url,
                    Arrays.stream(tags.split(","))
                            .map(String::strip)
                            .filter(tag -> !tag.isEmpty())
                            .toList(),
                    language.isBlank() ? null : language);
        }
    }

    /** A question tried against the knowledge base: what would be cited, and whether the assistant would answer. */
    public record Trial(
            String question, List<Grounding.Passage> passages, double confidence, double threshold, boolean answers) {}

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance knowledge(
                TenantSettings tenant,
                String username,
                KnowledgeService.ArticlePage articles,
                String query,
                IngestionStatus status,
                List<String> importProblems,
                Trial trial,
                String notice);

        static native TemplateInstance knowledge$progress(TenantSettings tenant, IngestionStatus status);

        static native TemplateInstance article(
                TenantSettings tenant,
                String username,
                UUID id,
                ArticleForm form,
                Map<String, String> errors,
                String reviewReason);

        static native TemplateInstance delete(
                TenantSettings tenant, String username, KnowledgeService.ArticleView article);
    }

    private final CurrentTenant current;
    private final KnowledgeService knowledge;
    private final ArticleIngestion ingestion;
    private final Retrieval retrieval;
    private final Validator validator;
    private final SecurityIdentity identity;
    private final ArticleImport imports;

    public KnowledgePage(
            CurrentTenant current,
            KnowledgeService knowledge,
            ArticleIngestion ingestion,
            Retrieval retrieval,
            Validator validator,
            SecurityIdentity identity,
            ArticleImport imports) {
        this.imports = imports;
        this.current = current;
        this.knowledge = knowledge;
        this.ingestion = ingestion;
        this.retrieval = retrieval;
        this.validator = validator;
        this.identity = identity;
    }

    @GET
    public TemplateInstance list(
            @QueryParam("q") String query,
            @QueryParam("after") String after,
            @QueryParam("question") String question,
            @QueryParam("notice") String notice) {
        return page(query, after, List.of(), question, notice);
    }

    /**
     * The progress bar alone, which htmx polls while an import runs; once it has finished, the
     * whole page reloads (HX-Refresh) to list the new articles.
     */
    @GET
    @Path("progress")
    public Response progress() {
        IngestionStatus status = ingestion.status();
        Response.ResponseBuilder response = Response.ok(Templates.knowledge$progress(current.get(), status));
        return (status.state() == IngestionStatus.State.RUNNING ? response : response.header("HX-Refresh", "true"))
                .build();
    }

    @GET
    @Path("new")
    public TemplateInstance newArticle() {
        return Templates.article(current.get(), username(), null, ArticleForm.empty(), Map.of(), null);
    }

    @POST
    @Path("new")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response create(MultivaluedMap<String, String> fields) {
        return saved(null, ArticleForm.of(fields), request -> knowledge.create(request.toDefinition()));
    }

    @GET
    @Path("{id}")
    public TemplateInstance edit(@PathParam("id") UUID id) {
        KnowledgeService.ArticleView article = knowledge.get(id);
        return Templates.article(
                current.get(), username(), id, ArticleForm.of(article), Map.of(), article.reviewReason());
    }

    @POST
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response update(@PathParam("id") UUID id, MultivaluedMap<String, String> fields) {
        knowledge.get(id);
        return saved(id, ArticleForm.of(fields), request -> knowledge.update(id, request.toDefinition()));
    }

    @POST
    @Path("{id}/approve")
    public Response approve(@PathParam("id") UUID id) {
        KnowledgeService.ArticleView approved = knowledge.approve(id);
        return backToList("Approved “" + approved.title() + "”: answers may use it now.");
    }

    @GET
    @Path("{id}/delete")
    public TemplateInstance confirmDelete(@PathParam("id") UUID id) {
        return Templates.delete(current.get(), username(), knowledge.get(id));
    }

    @POST
    @Path("{id}/delete")
    public Response delete(@PathParam("id") UUID id) {
        KnowledgeService.ArticleView article = knowledge.get(id);
        knowledge.delete(id);
        return backToList("Deleted “" + article.title() + "”.");
    }

    /**
     * Reads every file first and imports nothing when one cannot be an article; otherwise the
     * articles are embedded in the background while the page shows the progress.
     */
    @POST
    @Path("import")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Response importFiles(@RestForm("files") List<FileUpload> files) {
        ArticleImport.Read read = imports.read(files);
        if (!read.problems().isEmpty()) {
            return Response.status(422)
                    .entity(page(null, null, read.problems(), null, null))
                    .build();
        }
        List<ArticleDefinition> articles = read.articles();
        ingestion.addAllInBackground(articles);
        return backToList("Importing " + articles.size() + " article(s)…");
    }

    private TemplateInstance page(
            String query, String after, List<String> importProblems, String question, String notice) {
        TenantSettings tenant = current.get();
        KnowledgeService.ArticlePage articles = knowledge.list(after, PAGE, query);
        Trial trial = null;
        if (question != null && !question.isBlank()) {
            String asked = question.strip();
            Grounding grounding = retrieval.ground(
                    asked.length() > 1000 ? asked.substring(0, 1000) : asked,
                    tenant.minAnswerConfidence(),
                    TRIED_PASSAGES);
            trial = new Trial(
                    asked,
                    grounding.passages(),
                    grounding.confidence(),
                    tenant.minAnswerConfidence(),
                    grounding.sufficient());
        }
        return Templates.knowledge(
                tenant,
                username(),
                articles,
                query == null ? "" : query,
                ingestion.status(),
                importProblems,
                trial,
                notice);
    }

    private Response saved(
            UUID id, ArticleForm form, java.util.function.Function<ArticleRequest, KnowledgeService.ArticleView> save) {
        ArticleRequest request = form.toRequest();
        Map<String, String> errors =
                new LinkedHashMap<>(FormErrors.of(validator.validate(request), KnowledgePage::inputOf));
        if (errors.isEmpty()) {
            try {
                KnowledgeService.ArticleView article = save.apply(request);
                return backToList(
                        article.reviewReason() == null
                                ? "Saved “" + article.title() + "”."
                                : "Saved “" + article.title() + "”, but it is held for review: it "
                                        + article.reviewReason());
            } catch (ProblemException refused) {
                errors.put("form", refused.problem().detail());
            }
        }
        return Response.status(422)
                .entity(Templates.article(current.get(), username(), id, form, errors, null))
                .build();
    }

    private Response backToList(String notice) {
        return Response.seeOther(UriBuilder.fromPath("/console/t/{tenant}/knowledge")
                        .queryParam("notice", notice)
                        .build(current.get().slug()))
                .build();
    }

    /** The body's own rules (size, text only) are the body input's. */
    static String inputOf(String path) {
        return path.startsWith("body") ? "body" : path;
    }

    private String username() {
        return identity.getPrincipal().getName();
    }
}
