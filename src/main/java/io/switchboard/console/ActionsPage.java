package io.switchboard.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import io.switchboard.action.ActionDefinition;
import io.switchboard.action.ActionDefinitions;
import io.switchboard.action.ActionService;
import io.switchboard.action.ActionTestRequest;
import io.switchboard.action.ActionTestResult;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.resteasy.reactive.RestForm;

/**
 * The tenant admin's actions: list, add, edit, enable or disable and delete them, import them
 * from an OpenAPI document (paste or upload, preview, choose operations) and test one with sample
 * arguments to see the exact request and the answer. Everything goes through the services the
 * admin API uses, so the console accepts exactly what the API accepts.
 */
@Path("/console/t/{tenant}/actions")
@Produces(MediaType.TEXT_HTML)
@ForTenant(Role.TENANT_ADMIN)
public class ActionsPage {

    /** An action form's values as text; {@code confirm} is "", "true" or "false" (the method's default). */
    public record ActionForm(
            String name,
            String description,
            String method,
            String url,
            String parameters,
            boolean requiresVerifiedCustomer,
            String confirm,
            String timeout,
            boolean enabled) {

        static ActionForm empty() {
            return new ActionForm(
                    "",
                    "",
                    "GET",
                    "",
                    "{\n  \"type\": \"object\",\n  \"properties\": {}\n}",
                    true,
                    "",
                    Integer.toString(ActionDefinition.DEFAULT_TIMEOUT_MS),
                    true);
        }

        static ActionForm of(ActionDefinitions.ActionView action, ObjectMapper json) {
            return new ActionForm(
                    action.name(),
                    action.description(),
                    action.method(),
                    action.url(),
                    pretty(json, action.parameters()),
                    action.requiresVerifiedCustomer(),
                    Boolean.toString(action.confirm()),
                    Integer.toString(action.timeout()),
                    action.enabled());
        }

        static ActionForm of(MultivaluedMap<String, String> fields) {
            return new ActionForm(
                    FormFields.text(fields, "name"),
                    FormFields.text(fields, "description"),
                    FormFields.text(fields, "method"),
                    FormFields.text(fields, "url"),
                    FormFields.text(fields, "parameters"),
                    fields.containsKey("requiresVerifiedCustomer"),
                    FormFields.text(fields, "confirm"),
                    FormFields.text(fields, "timeout"),
                    fields.containsKey("enabled"));
        }
    }

    /** A test's form (the arguments as JSON text) and what it did, when it ran. */
    public record Trial(String arguments, String customerId, ActionTestResult result) {

        static Trial empty() {
            return new Trial("{}", "", null);
        }
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance actions(
                TenantSettings tenant,
                String username,
                List<ActionDefinitions.ActionView> actions,
                String notice,
                List<ActionDefinitions.ActionView> secrets,
                Map<String, String> errors);

        static native TemplateInstance action(
                TenantSettings tenant,
                String username,
                UUID id,
                ActionForm form,
                Map<String, String> errors,
                Trial trial);
    }

    private final CurrentTenant current;
    private final ActionDefinitions actions;
    private final ActionService calls;
    private final Validator validator;
    private final SecurityIdentity identity;
    private final ObjectMapper json;

    public ActionsPage(
            CurrentTenant current,
            ActionDefinitions actions,
            ActionService calls,
            Validator validator,
            SecurityIdentity identity,
            ObjectMapper json) {
        this.current = current;
        this.actions = actions;
        this.calls = calls;
        this.validator = validator;
        this.identity = identity;
        this.json = json;
    }

    @GET
    public TemplateInstance list(@QueryParam("notice") String notice) {
        return listPage(notice, List.of(), Map.of());
    }

    @GET
    @Path("new")
    public TemplateInstance newAction() {
        return Templates.action(current.get(), username(), null, ActionForm.empty(), Map.of(), null);
    }

    /** The list with the new action's signing secret, shown only here (never put in a redirect's URL). */
    @POST
    @Path("new")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response create(MultivaluedMap<String, String> fields) {
        ActionForm form = ActionForm.of(fields);
        Map<String, String> errors = new LinkedHashMap<>();
        ActionDefinition definition = definition(form, errors);
        if (errors.isEmpty()) {
            try {
                ActionDefinitions.ActionView created = actions.create(definition);
                return Response.ok(listPage("Added “" + created.name() + "”.", List.of(created), Map.of()))
                        .build();
            } catch (ProblemException refused) {
                FormErrors.add(errors, refused, "form");
            }
        }
        return Response.status(422)
                .entity(Templates.action(current.get(), username(), null, form, errors, null))
                .build();
    }

    @GET
    @Path("{id}")
    public TemplateInstance edit(@PathParam("id") UUID id) {
        return Templates.action(
                current.get(), username(), id, ActionForm.of(actions.get(id), json), Map.of(), Trial.empty());
    }

    @POST
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response update(@PathParam("id") UUID id, MultivaluedMap<String, String> fields) {
        actions.get(id);
        ActionForm form = ActionForm.of(fields);
        Map<String, String> errors = new LinkedHashMap<>();
        ActionDefinition definition = definition(form, errors);
        if (errors.isEmpty()) {
            try {
                ActionDefinitions.ActionView saved = actions.replace(id, definition, null);
                return backToList("Saved “" + saved.name() + "”.");
            } catch (ProblemException refused) {
                FormErrors.add(errors, refused, "form");
            }
        }
        return Response.status(422)
                .entity(Templates.action(current.get(), username(), id, form, errors, Trial.empty()))
                .build();
    }

    /** Turns the action on or off, everything else unchanged. */
    @POST
    @Path("{id}/enabled")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response enable(@PathParam("id") UUID id, @RestForm("enabled") boolean enabled) {
        ActionDefinitions.ActionView action = actions.get(id);
        actions.replace(
                id,
                new ActionDefinition(
                        action.name(),
                        action.description(),
                        action.method(),
                        action.url(),
                        action.parameters(),
                        action.requiresVerifiedCustomer(),
                        action.confirm(),
                        action.timeout(),
                        enabled),
                action.version());
        return backToList((enabled ? "Enabled “" : "Disabled “") + action.name() + "”.");
    }

    @POST
    @Path("{id}/delete")
    public Response delete(@PathParam("id") UUID id) {
        ActionDefinitions.ActionView action = actions.get(id);
        actions.delete(id);
        return backToList("Deleted “" + action.name() + "” and its calls.");
    }

    /** Calls the action once with the sample arguments and shows the exact request and the answer. */
    @POST
    @Path("{id}/test")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response test(@PathParam("id") UUID id, MultivaluedMap<String, String> fields) {
        ActionForm form = ActionForm.of(actions.get(id), json);
        String arguments = FormFields.text(fields, "arguments");
        String customerId = FormFields.text(fields, "customerId");
        Map<String, String> errors = new LinkedHashMap<>();
        JsonNode parsed = json(arguments.isEmpty() ? "{}" : arguments, "arguments", errors);
        ActionTestRequest request = new ActionTestRequest(parsed, customerId.isEmpty() ? null : customerId);
        errors.putAll(FormErrors.of(validator.validate(request), path -> path));
        ActionTestResult result = null;
        if (errors.isEmpty()) {
            try {
                result = calls.test(id, request);
            } catch (ProblemException refused) {
                FormErrors.add(errors, refused, "arguments");
            }
        }
        return Response.status(errors.isEmpty() ? 200 : 422)
                .entity(Templates.action(
                        current.get(), username(), id, form, errors, new Trial(arguments, customerId, result)))
                .build();
    }

    private TemplateInstance listPage(
            String notice, List<ActionDefinitions.ActionView> secrets, Map<String, String> errors) {
        return Templates.actions(current.get(), username(), actions.list(), notice, secrets, errors);
    }

    /** The form as the API's definition, or the fields' problems in {@code errors}. */
    private ActionDefinition definition(ActionForm form, Map<String, String> errors) {
        JsonNode parameters = form.parameters().isEmpty() ? null : json(form.parameters(), "parameters", errors);
        Integer timeout = null;
        if (!form.timeout().isEmpty()) {
            try {
                timeout = Integer.valueOf(form.timeout());
            } catch (NumberFormatException e) {
                errors.put("timeout", "must be a whole number of milliseconds");
            }
        }
        ActionDefinition definition = new ActionDefinition(
                form.name(),
                form.description(),
                form.method(),
                form.url(),
                parameters,
                form.requiresVerifiedCustomer(),
                form.confirm().isEmpty() ? null : Boolean.valueOf(form.confirm()),
                timeout,
                form.enabled());
        FormErrors.of(validator.validate(definition), path -> path).forEach(errors::putIfAbsent);
        return definition;
    }

    private JsonNode json(String text, String field, Map<String, String> errors) {
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            errors.put(field, "is not JSON: " + e.getOriginalMessage());
            return null;
        }
    }

    private static String pretty(ObjectMapper json, JsonNode node) {
        try {
            return json.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            return node.toString();
        }
    }

    private Response backToList(String notice) {
        return Response.seeOther(UriBuilder.fromPath("/console/t/{tenant}/actions")
                        .queryParam("notice", notice)
                        .build(current.get().slug()))
                .build();
    }

    private String username() {
        return identity.getPrincipal().getName();
    }
}
