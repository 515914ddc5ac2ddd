package io.switchboard.console;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import io.switchboard.action.ActionDefinitions;
import io.switchboard.action.ActionImportRequest;
import io.switchboard.action.ActionImports;
import io.switchboard.platform.ProblemException;
import io.switchboard.tenant.CurrentTenant;
import io.switchboard.tenant.ForTenant;
import io.switchboard.tenant.Role;
import io.switchboard.tenant.TenantSettings;
import jakarta.validation.Validator;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/**
 * Importing actions from an OpenAPI 3 document in the console: the document pasted or uploaded
 * on the Actions page, a preview of its operations to choose from, then the chosen ones created,
 * all or none, through the service the admin API uses.
 */
@Path("/console/t/{tenant}/actions/import")
@Produces(MediaType.TEXT_HTML)
@ForTenant(Role.TENANT_ADMIN)
public class ActionImportPage {

    /** A previewed import: the document to send again with the chosen operations. */
    public record ImportForm(String document, String serverUrl, ActionImports.ImportPreview preview) {}

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance preview(
                TenantSettings tenant, String username, ImportForm form, Map<String, String> errors);
    }

    private final CurrentTenant current;
    private final ActionImports imports;
    private final ActionDefinitions actions;
    private final Validator validator;
    private final SecurityIdentity identity;

    public ActionImportPage(
            CurrentTenant current,
            ActionImports imports,
            ActionDefinitions actions,
            Validator validator,
            SecurityIdentity identity) {
        this.current = current;
        this.imports = imports;
        this.actions = actions;
        this.validator = validator;
        this.identity = identity;
    }

    /** Shows what a pasted or uploaded OpenAPI document would give, to choose operations from. */
    @POST
    @Path("preview")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Response preview(
            @RestForm("document") String pasted,
            @RestForm("file") FileUpload file,
            @RestForm("serverUrl") String serverUrl) {
        Map<String, String> errors = new LinkedHashMap<>();
        String document = pasted == null ? "" : pasted;
        if (file != null && file.size() > ActionImportRequest.MAX_DOCUMENT_CHARS) {
            errors.put("document", "must be at most 512 KB");
        } else if (file != null && file.size() > 0) {
            try {
                document = Files.readString(file.uploadedFile());
            } catch (IOException e) {
                errors.put("document", "the file is not UTF-8 text");
            }
        }
        String server = optional(serverUrl);
        FormErrors.of(validator.validate(new ActionImportRequest(document, null, server)), path -> path)
                .forEach(errors::putIfAbsent);
        if (errors.isEmpty()) {
            try {
                return Response.ok(Templates.preview(
                                current.get(),
                                username(),
                                new ImportForm(document, server, imports.previewImport(document, server)),
                                Map.of()))
                        .build();
            } catch (ProblemException refused) {
                FormErrors.add(errors, refused, "document");
            }
        }
        return Response.status(422).entity(listPage(null, List.of(), errors)).build();
    }

    /** Creates the chosen operations' actions and shows their signing secrets, once. */
    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Response importChosen(
            @RestForm("document") String sent,
            @RestForm("serverUrl") String serverUrl,
            @RestForm("operationIds") List<String> operationIds) {
        String server = optional(serverUrl);
        String document = sent == null ? "" : sent;
        List<String> chosen = operationIds == null ? List.of() : operationIds;
        Map<String, String> errors = new LinkedHashMap<>();
        if (chosen.isEmpty()) {
            errors.put("operationIds", "choose at least one operation");
        } else {
            try {
                List<ActionDefinitions.ActionView> created = imports.importOperations(document, server, chosen);
                return Response.ok(listPage("Imported " + created.size() + " action(s).", created, Map.of()))
                        .build();
            } catch (ProblemException refused) {
                refused.problem()
                        .errors()
                        .forEach(error -> errors.merge(
                                "operationIds",
                                error.field() + ": " + error.message(),
                                (one, two) -> one + "; " + two));
                if (refused.problem().errors().isEmpty()) {
                    errors.put("operationIds", refused.problem().detail());
                }
            }
        }
        ActionImports.ImportPreview preview;
        try {
            preview = imports.previewImport(document, server);
        } catch (ProblemException refused) {
            FormErrors.add(errors, refused, "document");
            return Response.status(422)
                    .entity(listPage(null, List.of(), errors))
                    .build();
        }
        return Response.status(refusedStatus(errors))
                .entity(Templates.preview(current.get(), username(), new ImportForm(document, server, preview), errors))
                .build();
    }

    /** A form field's text, or null when it was left empty. */
    private static String optional(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static int refusedStatus(Map<String, String> errors) {
        return errors.getOrDefault("operationIds", "").contains("already has an action") ? 409 : 422;
    }

    /** The Actions page, showing the import form's errors or the new actions' signing secrets. */
    private TemplateInstance listPage(
            String notice, List<ActionDefinitions.ActionView> secrets, Map<String, String> errors) {
        return ActionsPage.Templates.actions(current.get(), username(), actions.list(), notice, secrets, errors);
    }

    private String username() {
        return identity.getPrincipal().getName();
    }
}
