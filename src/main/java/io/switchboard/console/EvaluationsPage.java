package io.switchboard.console;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import io.switchboard.evaluation.Evaluation;
import io.switchboard.evaluation.EvaluationRequest;
import io.switchboard.evaluation.EvaluationService;
import io.switchboard.model.ModelChoices;
import io.switchboard.model.ModelPolicies;
import io.switchboard.model.ModelRef;
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
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Replay evaluations in the console: start one on a candidate model (and optionally a judge), follow
 * its progress, and see the finished ones ranked side by side, with the same service as the API.
 */
@Path("/console/t/{tenant}/evaluations")
@Produces(MediaType.TEXT_HTML)
@ForTenant(Role.TENANT_ADMIN)
public class EvaluationsPage {

    private static final int RANKED = 10;

    /** The start form's values as text. */
    public record Form(String candidate, String judge, String days, String size) {

        static final Form DEFAULTS = new Form("", "", "30", "50");

        static Form of(MultivaluedMap<String, String> fields) {
            return new Form(
                    FormFields.text(fields, "candidate"),
                    FormFields.text(fields, "judge"),
                    FormFields.text(fields, "days"),
                    FormFields.text(fields, "size"));
        }
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance evaluations(
                TenantSettings tenant,
                String username,
                List<ModelChoices.Choice> choices,
                Form form,
                Map<String, String> errors,
                boolean started,
                List<Evaluation> evaluations,
                List<Evaluation> ranking);
    }

    private final CurrentTenant current;
    private final EvaluationService evaluations;
    private final ModelChoices choices;
    private final Validator validator;
    private final SecurityIdentity identity;
    private final ModelPolicies policies;

    public EvaluationsPage(
            CurrentTenant current,
            EvaluationService evaluations,
            ModelChoices choices,
            Validator validator,
            SecurityIdentity identity,
            ModelPolicies policies) {
        this.policies = policies;
        this.current = current;
        this.evaluations = evaluations;
        this.choices = choices;
        this.validator = validator;
        this.identity = identity;
    }

    @GET
    public TemplateInstance list(@QueryParam("started") boolean started) {
        return page(current.get(), Form.DEFAULTS, Map.of(), started);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response start(MultivaluedMap<String, String> fields) {
        TenantSettings tenant = current.get();
        Form form = Form.of(fields);
        Map<String, String> errors = new LinkedHashMap<>();
        EvaluationRequest request = requestFrom(form, errors);
        if (request != null) {
            FormErrors.of(validator.validate(request), path -> path).forEach(errors::putIfAbsent);
        }
        if (errors.isEmpty()) {
            try {
                String actor = identity.getPrincipal().getName();
                evaluations.start(tenant.id(), request, actor);
                evaluations.runSoon();
                return Response.seeOther(UriBuilder.fromPath("/console/t/{tenant}/evaluations")
                                .queryParam("started", true)
                                .build(tenant.slug()))
                        .build();
            } catch (ProblemException refused) {
                FormErrors.add(errors, refused, "form");
            }
        }
        return Response.status(422).entity(page(tenant, form, errors, false)).build();
    }

    private TemplateInstance page(TenantSettings tenant, Form form, Map<String, String> errors, boolean started) {
        List<Evaluation> all = evaluations.list(tenant.id());
        List<Evaluation> ranking =
                EvaluationService.bestFirst(all).stream().limit(RANKED).toList();
        return Templates.evaluations(
                tenant,
                identity.getPrincipal().getName(),
                choices.forTenant(policies.current(tenant.id()).allowedEndpoints()),
                form,
                errors,
                started,
                all,
                ranking);
    }

    /** The request the form describes; what cannot even be read goes to errors (and gives null). */
    private static EvaluationRequest requestFrom(Form form, Map<String, String> errors) {
        ModelRef candidate = FormFields.model(form.candidate(), "candidate", errors);
        ModelRef judge = form.judge().isEmpty() ? null : FormFields.model(form.judge(), "judge", errors);
        Integer days = number(form.days(), "sample.from", errors);
        Integer size = number(form.size(), "sample.size", errors);
        if (days != null && (days < 1 || days > 366)) {
            errors.put("sample.from", "must be from 1 to 366 days");
        }
        if (!errors.isEmpty()) {
            return null;
        }
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        return new EvaluationRequest(
                candidate, judge, new EvaluationRequest.Sample(today.minusDays(days - 1), today, null, size));
    }

    private static Integer number(String value, String field, Map<String, String> errors) {
        try {
            return Integer.valueOf(value);
        } catch (NumberFormatException notANumber) {
            errors.put(field, "must be a whole number");
            return null;
        }
    }
}
