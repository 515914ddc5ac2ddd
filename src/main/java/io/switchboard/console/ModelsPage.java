package io.switchboard.console;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import io.switchboard.evaluation.CanaryService;
import io.switchboard.evaluation.CanaryStatus;
import io.switchboard.model.ModelChoices;
import io.switchboard.model.ModelPolicies;
import io.switchboard.model.ModelPolicy;
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
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tenant admin's model choice: the models the operator lets the tenant use, with prices and
 * capability probes; the primary, up to three fallbacks, budget, residency and whether open
 * conversations move to the new policy; and the last switches with who made them. Saving goes
 * through the same TenantService call as {@code PUT /model-policy}, with the version read as the
 * form was shown, so a concurrent change is reported rather than overwritten.
 */
@Path("/console/t/{tenant}/models")
@Produces(MediaType.TEXT_HTML)
@ForTenant(Role.TENANT_ADMIN)
public class ModelsPage {

    private static final int FALLBACKS = 3;
    private static final int HISTORY = 10;

    /** The policy form's values as text: models as "endpoint/model". */
    public record Form(
            String primary,
            List<String> fallbacks,
            String monthlyUsd,
            String onExceeded,
            String residency,
            String openConversations,
            String canary,
            String canaryPercent,
            String version) {

        static Form of(ModelPolicies.PolicyState state) {
            ModelPolicy policy = state.policy();
            List<String> fallbacks = new ArrayList<>(
                    policy.fallbacks().stream().map(ModelRef::toString).toList());
            while (fallbacks.size() < FALLBACKS) {
                fallbacks.add("");
            }
            return new Form(
                    policy.primary().toString(),
                    fallbacks,
                    policy.budget() == null ? "" : policy.budget().monthlyUsd().toPlainString(),
                    policy.budget() == null
                            ? "degrade"
                            : policy.budget().onExceeded().id(),
                    policy.residency().id(),
                    policy.openConversations().id(),
                    policy.canary() == null ? "" : policy.canary().model().toString(),
                    policy.canary() == null
                            ? "10"
                            : String.valueOf(policy.canary().percent()),
                    String.valueOf(state.version()));
        }

        static Form of(MultivaluedMap<String, String> fields) {
            List<String> fallbacks = new ArrayList<>();
            for (int i = 0; i < FALLBACKS; i++) {
                fallbacks.add(FormFields.text(fields, "fallback" + i));
            }
            return new Form(
                    FormFields.text(fields, "primary"),
                    fallbacks,
                    FormFields.text(fields, "monthlyUsd"),
                    FormFields.text(fields, "onExceeded"),
                    FormFields.text(fields, "residency"),
                    FormFields.text(fields, "openConversations"),
                    FormFields.text(fields, "canary"),
                    FormFields.text(fields, "canaryPercent"),
                    FormFields.text(fields, "version"));
        }
    }

    /** The automatic rollback the latest policy version made, for the page's notice. */
    public record Rollback(String model, java.time.Instant at) {}

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance models(
                TenantSettings tenant,
                String username,
                List<ModelChoices.Choice> choices,
                Form form,
                Map<String, String> errors,
                boolean saved,
                List<ModelPolicies.PolicyChange> history,
                CanaryStatus canary,
                Rollback rollback);
    }

    private final CurrentTenant current;
    private final ModelPolicies policies;
    private final ModelChoices choices;
    private final Validator validator;
    private final SecurityIdentity identity;
    private final CanaryService canaries;

    public ModelsPage(
            CurrentTenant current,
            ModelPolicies policies,
            ModelChoices choices,
            Validator validator,
            SecurityIdentity identity,
            CanaryService canaries) {
        this.current = current;
        this.policies = policies;
        this.choices = choices;
        this.validator = validator;
        this.identity = identity;
        this.canaries = canaries;
    }

    @GET
    public TemplateInstance models(@QueryParam("saved") boolean saved) {
        TenantSettings tenant = current.get();
        return page(tenant, Form.of(policies.current(tenant.id()).state()), Map.of(), saved);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response save(MultivaluedMap<String, String> fields) {
        TenantSettings tenant = current.get();
        Form form = Form.of(fields);
        Map<String, String> errors = new LinkedHashMap<>();
        ModelPolicy running = policies.current(tenant.id()).state().policy();
        ModelPolicy policy = policyFrom(form, errors, running.canary());
        if (policy != null) {
            FormErrors.of(validator.validate(policy), path -> path).forEach(errors::putIfAbsent);
        }
        if (errors.isEmpty()) {
            try {
                Integer version = form.version().isEmpty() ? null : Integer.valueOf(form.version());
                policies.update(
                        tenant.id(), policy, version, identity.getPrincipal().getName());
                return Response.seeOther(UriBuilder.fromPath("/console/t/{tenant}/models")
                                .queryParam("saved", true)
                                .build(tenant.slug()))
                        .build();
            } catch (ProblemException refused) {
                FormErrors.add(errors, refused, "form");
            } catch (NumberFormatException staleForm) {
                errors.put("form", "Reload the page: the form lost the policy version it was read at.");
            }
        }
        return Response.status(422).entity(page(tenant, form, errors, false)).build();
    }

    /** The canary becomes the primary, as of the version the page was read at. */
    @POST
    @Path("canary/promote")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response promote(MultivaluedMap<String, String> fields) {
        TenantSettings tenant = current.get();
        String version = FormFields.text(fields, "version");
        try {
            canaries.promote(
                    tenant.id(),
                    version.isEmpty() ? null : Integer.valueOf(version),
                    identity.getPrincipal().getName());
        } catch (ProblemException refused) {
            Map<String, String> errors = new LinkedHashMap<>();
            FormErrors.add(errors, refused, "form");
            Form form = Form.of(policies.current(tenant.id()).state());
            return Response.status(refused.problem().status())
                    .entity(page(tenant, form, errors, false))
                    .build();
        }
        return Response.seeOther(UriBuilder.fromPath("/console/t/{tenant}/models")
                        .queryParam("saved", true)
                        .build(tenant.slug()))
                .build();
    }

    private TemplateInstance page(TenantSettings tenant, Form form, Map<String, String> errors, boolean saved) {
        List<ModelPolicies.PolicyChange> history = policies.history(tenant.id());
        CanaryStatus canary = canaries.status(tenant.id()).orElse(null);
        return Templates.models(
                tenant,
                identity.getPrincipal().getName(),
                choices.forTenant(policies.current(tenant.id()).allowedEndpoints()),
                form,
                errors,
                saved,
                history.stream().limit(HISTORY).toList(),
                canary,
                rollback(history));
    }

    /** When the monitor made the latest version, the canary it took out of the one before. */
    private static Rollback rollback(List<ModelPolicies.PolicyChange> history) {
        if (history.size() < 2
                || !CanaryService.MONITOR.equals(history.get(0).changedBy())
                || history.get(1).policy().canary() == null) {
            return null;
        }
        return new Rollback(
                history.get(1).policy().canary().model().toString(),
                history.get(0).at());
    }

    /**
     * The policy the form describes; what cannot even be read goes to errors (and gives null). A
     * canary kept on the same model keeps its rollback limits.
     */
    private static ModelPolicy policyFrom(Form form, Map<String, String> errors, ModelPolicy.Canary running) {
        ModelRef primary = FormFields.model(form.primary(), "primary", errors);
        List<ModelRef> fallbacks = new ArrayList<>();
        for (int i = 0; i < form.fallbacks().size(); i++) {
            if (!form.fallbacks().get(i).isEmpty()) {
                ModelRef fallback =
                        FormFields.model(form.fallbacks().get(i), "fallbacks[" + fallbacks.size() + "]", errors);
                if (fallback != null) {
                    fallbacks.add(fallback);
                }
            }
        }
        ModelPolicy.Budget budget = null;
        try {
            budget = form.monthlyUsd().isEmpty()
                    ? null
                    : new ModelPolicy.Budget(
                            new BigDecimal(form.monthlyUsd()), ModelPolicy.OnExceeded.of(form.onExceeded()));
        } catch (NumberFormatException notAnAmount) {
            errors.put("budget.monthlyUsd", "must be an amount in US dollars, such as 50 or 12.50");
        } catch (IllegalArgumentException unknown) {
            errors.put("budget.onExceeded", "must be degrade or handoff");
        }
        ModelPolicy.Canary canary = null;
        if (!form.canary().isEmpty()) {
            ModelRef model = FormFields.model(form.canary(), "canary.model", errors);
            try {
                int percent = Integer.parseInt(form.canaryPercent());
                canary = model == null
                        ? null
                        : new ModelPolicy.Canary(
                                model,
                                percent,
                                running != null && running.model().equals(model) ? running.rollbackWhen() : null);
            } catch (NumberFormatException notANumber) {
                errors.put("canary.percent", "must be a whole number from 1 to 50");
            }
        }
        try {
            return primary == null || !errors.isEmpty()
                    ? null
                    : new ModelPolicy(
                            primary,
                            fallbacks,
                            budget,
                            ModelPolicy.Residency.of(form.residency()),
                            ModelPolicy.OpenConversations.of(form.openConversations()),
                            canary);
        } catch (IllegalArgumentException unknown) {
            errors.put("form", "Residency and open conversations must be chosen from their lists.");
            return null;
        }
    }
}
