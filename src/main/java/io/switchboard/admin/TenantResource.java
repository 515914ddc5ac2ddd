package io.switchboard.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.assistant.ConsumptionLimits;
import io.switchboard.assistant.RequiredCitations;
import io.switchboard.handoff.EscalationRules;
import io.switchboard.model.ModelPolicies;
import io.switchboard.model.ModelPolicy;
import io.switchboard.tenant.CurrentTenant;
import io.switchboard.tenant.FirstAdmin;
import io.switchboard.tenant.ForPlatformAdmin;
import io.switchboard.tenant.ForTenant;
import io.switchboard.tenant.Role;
import io.switchboard.tenant.TenantService;
import io.switchboard.tenant.TenantSettings;
import io.switchboard.tenant.WidgetLook;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Tenants: the platform admin lists and creates them (with the identity objects they need,
 * see TenantOnboarding); a tenant's admin reads, updates and deletes their own. Deleting erases
 * every row of the tenant; the audit log keeps who did it.
 */
@Path("/api/v1/tenants")
@Produces(MediaType.APPLICATION_JSON)
public class TenantResource {

    private static final String ORIGIN_MESSAGE =
            "must be an origin such as https://shop.example (scheme, host, optional port; no path)";

    public record AssistantView(
            String persona,
            String instructions,
            String greeting,
            List<String> allowedLinkDomains,
            ConsumptionLimits limits,
            boolean requireCitations) {}

    public record WidgetView(WidgetLook look) {}

    public record TenantView(
            UUID id,
            String slug,
            String name,
            List<String> allowedOrigins,
            AssistantView assistant,
            EscalationRules escalation,
            WidgetView widget,
            int configVersion,
            int modelPolicyVersion) {

        static TenantView of(TenantSettings tenant, int modelPolicyVersion) {
            return new TenantView(
                    tenant.id(),
                    tenant.slug(),
                    tenant.name(),
                    tenant.allowedOrigins(),
                    new AssistantView(
                            tenant.persona(),
                            tenant.instructions(),
                            tenant.greeting(),
                            tenant.allowedLinkDomains(),
                            ConsumptionLimits.of(tenant),
                            RequiredCitations.of(tenant)),
                    EscalationRules.of(tenant),
                    new WidgetView(tenant.widgetLook()),
                    tenant.configVersion(),
                    modelPolicyVersion);
        }
    }

    /** The created tenant; {@code firstAdmin} carries the one-time password, shown only here. */
    public record CreatedTenant(TenantView tenant, TenantOnboarding.FirstAdminCreated firstAdmin) {}

    public record FirstAdminRequest(
            @NotBlank
            @Size(min = 3, max = 100)
            @Pattern(regexp = "[A-Za-z0-9._@+-]*", message = "may contain letters, digits and . _ @ + - only")
            String username,

            @NotBlank @Email @Size(max = 254) String email) {}

    public record CreateTenant(
            @NotBlank
            @Pattern(
                    regexp = TenantDefinition.SLUG,
                    message = "must be 1-63 lower-case letters, digits or inner hyphens")
            String slug,

            @NotBlank @Size(max = 200) String name,

            @Size(max = 50)
            List<@NotNull @Pattern(regexp = TenantDefinition.ORIGIN, message = ORIGIN_MESSAGE) String> allowedOrigins,

            @Valid TenantDefinition.Assistant assistant,
            @Valid ModelPolicy model,
            @Valid FirstAdminRequest firstAdmin) {

        TenantDefinition toDefinition() {
            return new TenantDefinition(slug, name.strip(), allowedOrigins, assistant, model, null, null, null, null);
        }
    }

    /** Only what is given changes; the console's assistant page sends the same changes and gets the same checks. */
    public record ChangeTenant(
            @Size(min = 1, max = 200) String name,

            @Size(max = 50)
            List<@NotNull @Pattern(regexp = TenantDefinition.ORIGIN, message = ORIGIN_MESSAGE) String> allowedOrigins,

            @Valid AssistantChanges assistant,
            @Valid EscalationRules escalation,
            @Valid WidgetChanges widget) {

        public TenantService.Changes toChanges() {
            AssistantChanges given =
                    assistant == null ? new AssistantChanges(null, null, null, null, null, null) : assistant;
            List<String> linkDomains = given.allowedLinkDomains() == null
                    ? null
                    : TenantDefinition.Assistant.lowerCase(given.allowedLinkDomains());
            Map<String, JsonNode> sections = new HashMap<>();
            if (given.limits() != null) {
                sections.put(ConsumptionLimits.SECTION.name(), ConsumptionLimits.SECTION.write(given.limits()));
            }
            if (given.requireCitations() != null) {
                sections.put(
                        RequiredCitations.SECTION.name(), RequiredCitations.SECTION.write(given.requireCitations()));
            }
            if (escalation != null) {
                sections.put(EscalationRules.SECTION.name(), EscalationRules.SECTION.write(escalation));
            }
            return new TenantService.Changes(
                    name,
                    allowedOrigins,
                    given.persona(),
                    given.instructions(),
                    given.greeting(),
                    linkDomains,
                    sections,
                    widget == null ? null : widget.look());
        }
    }

    public record WidgetChanges(@Valid WidgetLook look) {}

    public record AssistantChanges(
            @Size(max = 2000) String persona,
            @Size(max = 20000) String instructions,
            @Size(max = 1000) String greeting,

            @Size(max = 50)
            List<@NotNull @Pattern(regexp = TenantDefinition.DOMAIN, message = TenantDefinition.DOMAIN_MESSAGE) String>
                    allowedLinkDomains,

            @Valid ConsumptionLimits limits,
            Boolean requireCitations) {}

    private final CurrentTenant current;
    private final TenantService tenants;
    private final TenantOnboarding onboarding;
    private final ModelPolicies policies;

    public TenantResource(
            CurrentTenant current, TenantService tenants, TenantOnboarding onboarding, ModelPolicies policies) {
        this.current = current;
        this.tenants = tenants;
        this.onboarding = onboarding;
        this.policies = policies;
    }

    private TenantView view(TenantSettings tenant) {
        return TenantView.of(tenant, policies.current(tenant.id()).version());
    }

    @GET
    @ForPlatformAdmin
    public List<TenantView> list() {
        return tenants.list().stream().map(this::view).toList();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @ForPlatformAdmin
    public Response create(
            @Valid @NotNull(message = "a JSON body with 'slug' and 'name' is required") CreateTenant request) {
        Optional<FirstAdmin> firstAdmin =
                Optional.ofNullable(request.firstAdmin()).map(admin -> new FirstAdmin(admin.username(), admin.email()));
        TenantOnboarding.Onboarded onboarded = onboarding.create(request.toDefinition(), firstAdmin);
        return Response.created(
                        URI.create("/api/v1/tenants/" + onboarded.tenant().slug()))
                .entity(new CreatedTenant(
                        view(onboarded.tenant()), onboarded.firstAdmin().orElse(null)))
                .build();
    }

    @GET
    @Path("{tenant}")
    @ForTenant(Role.TENANT_ADMIN)
    public TenantView get() {
        return view(current.get());
    }

    @PATCH
    @Path("{tenant}")
    @Consumes(MediaType.APPLICATION_JSON)
    @ForTenant(Role.TENANT_ADMIN)
    public TenantView update(
            @Valid @NotNull(message = "a JSON body with the fields to change is required") ChangeTenant request) {
        return view(tenants.update(current.get().id(), request.toChanges()));
    }

    @DELETE
    @Path("{tenant}")
    @ForTenant(Role.TENANT_ADMIN)
    public Response delete() {
        onboarding.delete(current.get());
        return Response.noContent().build();
    }
}
