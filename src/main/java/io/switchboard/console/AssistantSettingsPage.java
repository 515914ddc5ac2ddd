package io.switchboard.console;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import io.switchboard.admin.TenantResource;
import io.switchboard.handoff.BusinessHours;
import io.switchboard.handoff.EscalationRules;
import io.switchboard.platform.AuditLog;
import io.switchboard.platform.ProblemException;
import io.switchboard.tenant.CurrentTenant;
import io.switchboard.tenant.ForTenant;
import io.switchboard.tenant.Role;
import io.switchboard.tenant.TenantService;
import io.switchboard.tenant.TenantSettings;
import io.switchboard.tenant.WidgetLook;
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
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The tenant admin's assistant settings: persona, instructions, greeting, allowed sites and
 * link domains, escalation rules and the widget's look, with a live preview of the widget.
 * A save goes through the admin API's own change record and checks (TenantResource.ChangeTenant),
 * so the console and the API accept exactly the same settings; each save is a new configuration
 * version in the audit log, and refused fields are shown next to their input.
 */
@Path("/console/t/{tenant}/assistant")
@Produces(MediaType.TEXT_HTML)
@ForTenant(Role.TENANT_ADMIN)
public class AssistantSettingsPage {

    private static final int HISTORY = 5;

    /** The form's values as text, as loaded or as the admin typed them. */
    public record Form(
            String persona,
            String instructions,
            String greeting,
            String allowedOrigins,
            String allowedLinkDomains,
            String keywords,
            String unhelpfulAnswers,
            String assignment,
            boolean awayWhenNoAgentOnline,
            boolean escalateOnInjection,
            String timezone,
            List<DayHours> hours,
            String widgetTitle,
            String widgetColour,
            String widgetPosition) {

        static Form of(TenantSettings tenant) {
            EscalationRules escalation = EscalationRules.of(tenant);
            WidgetLook look = tenant.widgetLook();
            BusinessHours businessHours = escalation.businessHours();
            List<DayHours> hours = DAYS.stream()
                    .map(day -> new DayHours(
                            day,
                            businessHours == null ? "" : businessHours.open().getOrDefault(day, "")))
                    .toList();
            return new Form(
                    tenant.persona(),
                    tenant.instructions(),
                    tenant.greeting(),
                    String.join("\n", tenant.allowedOrigins()),
                    String.join("\n", tenant.allowedLinkDomains()),
                    String.join(", ", escalation.keywords()),
                    String.valueOf(escalation.unhelpfulAnswers()),
                    escalation.assignment().id(),
                    escalation.awayWhenNoAgentOnline(),
                    escalation.escalateOnInjection(),
                    businessHours == null ? "" : businessHours.timezone(),
                    hours,
                    look.title(),
                    look.colour(),
                    look.position());
        }

        static Form of(MultivaluedMap<String, String> fields) {
            return new Form(
                    FormFields.text(fields, "persona"),
                    FormFields.text(fields, "instructions"),
                    FormFields.text(fields, "greeting"),
                    FormFields.text(fields, "allowedOrigins"),
                    FormFields.text(fields, "allowedLinkDomains"),
                    FormFields.text(fields, "keywords"),
                    FormFields.text(fields, "unhelpfulAnswers"),
                    FormFields.text(fields, "assignment"),
                    fields.containsKey("awayWhenNoAgentOnline"),
                    fields.containsKey("escalateOnInjection"),
                    FormFields.text(fields, "timezone"),
                    DAYS.stream()
                            .map(day -> new DayHours(day, FormFields.text(fields, "hours-" + day)))
                            .toList(),
                    FormFields.text(fields, "widgetTitle"),
                    FormFields.text(fields, "widgetColour"),
                    FormFields.text(fields, "widgetPosition"));
        }

        /** Business hours as the escalation rules take them: none when no day is open and no time zone is given. */
        BusinessHours businessHours() {
            Map<String, String> open = new LinkedHashMap<>();
            hours.stream()
                    .filter(day -> !day.ranges().isEmpty())
                    .forEach(day -> open.put(day.day(), day.ranges().replace(" ", "")));
            return open.isEmpty() && timezone.isEmpty() ? null : new BusinessHours(timezone, open);
        }
    }

    /** One weekday's opening hours as typed, such as "09:00-12:30,13:30-18:00"; empty when closed. */
    public record DayHours(String day, String ranges) {}

    private static final List<String> DAYS = List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun");

    /** A past save: when, by whom, which settings. */
    public record Change(String when, String who, String what) {}

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance settings(
                TenantSettings tenant,
                String username,
                Form form,
                Map<String, String> errors,
                boolean saved,
                List<Change> history);
    }

    private final CurrentTenant current;
    private final TenantService tenants;
    private final AuditLog audit;
    private final Validator validator;
    private final SecurityIdentity identity;

    public AssistantSettingsPage(
            CurrentTenant current,
            TenantService tenants,
            AuditLog audit,
            Validator validator,
            SecurityIdentity identity) {
        this.current = current;
        this.tenants = tenants;
        this.audit = audit;
        this.validator = validator;
        this.identity = identity;
    }

    @GET
    public TemplateInstance settings(@QueryParam("saved") boolean saved) {
        TenantSettings tenant = current.get();
        return page(tenant, Form.of(tenant), Map.of(), saved);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response save(MultivaluedMap<String, String> fields) {
        TenantSettings tenant = current.get();
        Form form = Form.of(fields);
        Map<String, String> errors = new LinkedHashMap<>();
        TenantResource.ChangeTenant change = changeFrom(tenant, form, errors);
        FormErrors.of(validator.validate(change), AssistantSettingsPage::inputOf)
                .forEach(errors::putIfAbsent);
        if (errors.isEmpty()) {
            try {
                tenants.update(tenant.id(), change.toChanges());
                return Response.seeOther(UriBuilder.fromPath("/console/t/{tenant}/assistant")
                                .queryParam("saved", true)
                                .build(tenant.slug()))
                        .build();
            } catch (ProblemException refused) {
                errors.put("form", refused.problem().detail());
            }
        }
        return Response.status(422).entity(page(tenant, form, errors, false)).build();
    }

    private TemplateInstance page(TenantSettings tenant, Form form, Map<String, String> errors, boolean saved) {
        List<Change> history = audit.page(tenant.id(), AuditLog.Action.TENANT_UPDATED, null, HISTORY).items().stream()
                .map(entry -> new Change(
                        ConsoleFormats.minute(entry.occurredAt()) + " UTC",
                        entry.actor(),
                        entry.detail() == null
                                ? ""
                                : String.join(", ", textList(entry.detail().path("changed")))))
                .toList();
        return Templates.settings(tenant, identity.getPrincipal().getName(), form, errors, saved, history);
    }

    private static List<String> textList(com.fasterxml.jackson.databind.JsonNode array) {
        List<String> values = new java.util.ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }

    /** The admin API's change record from the form; what cannot even be read (a number that is not one) goes straight to errors. */
    private static TenantResource.ChangeTenant changeFrom(
            TenantSettings tenant, Form form, Map<String, String> errors) {
        Integer unhelpful = null;
        try {
            unhelpful = Integer.valueOf(form.unhelpfulAnswers());
        } catch (NumberFormatException notANumber) {
            errors.put("escalation.unhelpfulAnswers", "must be a whole number");
        }
        EscalationRules.Assignment assignment = EscalationRules.Assignment.CLAIM;
        try {
            assignment = EscalationRules.Assignment.of(form.assignment());
        } catch (IllegalArgumentException unknown) {
            errors.put("escalation.assignment", "must be claim or round-robin");
        }
        EscalationRules escalation = new EscalationRules(
                list(form.keywords(), "[,\\n]"),
                unhelpful,
                form.businessHours(),
                assignment,
                form.awayWhenNoAgentOnline(),
                form.escalateOnInjection());
        return new TenantResource.ChangeTenant(
                null,
                list(form.allowedOrigins(), "\\s+"),
                new TenantResource.AssistantChanges(
                        form.persona(),
                        form.instructions(),
                        form.greeting(),
                        list(form.allowedLinkDomains(), "\\s+"),
                        null,
                        null),
                escalation,
                new TenantResource.WidgetChanges(new WidgetLook(
                        form.widgetTitle(),
                        form.widgetColour(),
                        form.widgetPosition(),
                        tenant.widgetLook().language())));
    }

    private static List<String> list(String text, String separator) {
        return Arrays.stream(text.split(separator))
                .map(String::strip)
                .filter(item -> !item.isEmpty())
                .toList();
    }

    /** A rule on the widget's whole look is about its colour; the business hours' rules show by the time zone or the days. */
    private static String inputOf(String path) {
        if (Set.of("widget.look.colourReadable", "widget.look").contains(path)) {
            return "widget.look.colour";
        }
        if (path.startsWith("escalation.businessHours.timezone")) {
            return "escalation.businessHours.timezone";
        }
        return path.startsWith("escalation.businessHours") ? "escalation.businessHours.open" : path;
    }
}
