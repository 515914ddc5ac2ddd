package io.switchboard.admin;

import io.switchboard.knowledge.ArticleIngestion;
import io.switchboard.knowledge.IngestionStatus;
import io.switchboard.knowledge.KnowledgeService;
import io.switchboard.knowledge.Retrieval;
import io.switchboard.model.Grounding;
import io.switchboard.platform.Problem;
import io.switchboard.platform.ProblemException;
import io.switchboard.platform.ProblemType;
import io.switchboard.tenant.CurrentTenant;
import io.switchboard.tenant.ForTenant;
import io.switchboard.tenant.Role;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.UUID;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/** A tenant's knowledge base: its help articles and the progress of their ingestion. */
@Path("/api/v1/tenants/{tenant}/knowledge")
@Produces(MediaType.APPLICATION_JSON)
@ForTenant(Role.TENANT_ADMIN)
public class ArticleResource {

    private static final int MAX_QUESTION_CHARS = 1000;
    private static final String BODY_REQUIRED = "a JSON body with 'title' and 'body' is required";

    private final CurrentTenant tenant;
    private final KnowledgeService knowledge;
    private final ArticleIngestion ingestion;
    private final ArticleImport imports;
    private final Retrieval retrieval;

    public ArticleResource(
            CurrentTenant tenant,
            KnowledgeService knowledge,
            ArticleIngestion ingestion,
            ArticleImport imports,
            Retrieval retrieval) {
        this.tenant = tenant;
        this.knowledge = knowledge;
        this.ingestion = ingestion;
        this.imports = imports;
        this.retrieval = retrieval;
    }

    @GET
    @Path("articles")
    @ForTenant({Role.TENANT_ADMIN, Role.AGENT})
    public KnowledgeService.ArticlePage list(
            @QueryParam("after") String after,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(200) int limit,
            @QueryParam("q") @Size(max = 200) String text) {
        return knowledge.list(after, limit, text);
    }

    /**
     * The articles that best answer a question, ranked as the assistant ranks them, and whether the
     * assistant would answer it from the first: what an agent looks up for a customer, and how an
     * admin checks that a question finds its article.
     */
    @GET
    @Path("search")
    @ForTenant({Role.TENANT_ADMIN, Role.AGENT})
    public ArticleSearch search(
            @QueryParam("q") String question, @QueryParam("limit") @DefaultValue("5") @Min(1) @Max(20) int limit) {
        // Checked here, after the tenant's access: another tenant's caller learns nothing, not even a 422.
        if (question == null || question.isBlank() || question.length() > MAX_QUESTION_CHARS) {
            throw new ProblemException(
                    ProblemType.VALIDATION_FAILED,
                    "q must be the question to search for, at most " + MAX_QUESTION_CHARS + " characters",
                    List.of(new Problem.FieldError(
                            "q", "must be the question to search for, at most " + MAX_QUESTION_CHARS + " characters")));
        }
        Grounding grounding = retrieval.ground(question.strip(), tenant.get().minAnswerConfidence(), limit);
        return ArticleSearch.of(grounding);
    }

    @GET
    @Path("articles/{id}")
    @ForTenant({Role.TENANT_ADMIN, Role.AGENT})
    public KnowledgeService.ArticleView get(@PathParam("id") UUID id) {
        return knowledge.get(id);
    }

    @POST
    @Path("articles")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@Valid @NotNull(message = BODY_REQUIRED) ArticleRequest request, @Context UriInfo uri) {
        KnowledgeService.ArticleView created = knowledge.create(request.toDefinition());
        return Response.created(uri.getAbsolutePathBuilder()
                        .path(created.id().toString())
                        .build())
                .entity(created)
                .build();
    }

    @PUT
    @Path("articles/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public KnowledgeService.ArticleView update(
            @PathParam("id") UUID id, @Valid @NotNull(message = BODY_REQUIRED) ArticleRequest request) {
        return knowledge.update(id, request.toDefinition());
    }

    @DELETE
    @Path("articles/{id}")
    public Response delete(@PathParam("id") UUID id) {
        knowledge.delete(id);
        return Response.noContent().build();
    }

    /**
     * Imports markdown, HTML and plain-text files (multipart field {@code files}): all are read and
     * checked first, and any file that cannot be an article refuses the import (422, one field
     * error per file). Otherwise 202: the articles embed in the background; {@code status} follows them.
     */
    @POST
    @Path("import")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Response importFiles(@RestForm("files") List<FileUpload> files, @Context UriInfo uri) {
        ArticleImport.Read read = imports.read(files);
        if (!read.problems().isEmpty()) {
            throw new ProblemException(
                    ProblemType.VALIDATION_FAILED,
                    "Nothing was imported: " + read.problems().get(0),
                    read.problems().stream()
                            .map(problem -> new Problem.FieldError("files", problem))
                            .toList());
        }
        ingestion.addAllInBackground(read.articles());
        IngestionStatus status = ingestion.status();
        return Response.accepted(status)
                .location(uri.getBaseUriBuilder()
                        .path("/api/v1/tenants/{tenant}/knowledge/status")
                        .build(tenant.get().slug()))
                .build();
    }

    /** An admin vouches for an article held for review: answers may use it from now on. */
    @POST
    @Path("articles/{id}/approve")
    public KnowledgeService.ArticleView approve(@PathParam("id") UUID id) {
        return knowledge.approve(id);
    }

    /** Progress of the latest ingestion: passages embedded out of the total, and any errors. */
    @GET
    @Path("status")
    @ForTenant({Role.TENANT_ADMIN, Role.AGENT})
    public IngestionStatus status() {
        return ingestion.status();
    }
}
