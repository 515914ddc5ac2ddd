package io.switchboard.testing;

import io.switchboard.admin.TenantDefinition;
import io.switchboard.admin.TenantProvisioning;
import io.switchboard.handoff.EscalationRules;
import io.switchboard.knowledge.ArticleDefinition;
import io.switchboard.knowledge.ArticleIngestion;
import io.switchboard.model.ModelPolicy;
import io.switchboard.model.ModelRef;
import io.switchboard.platform.TenantScope;
import io.switchboard.tenant.TenantService;
import io.switchboard.tenant.TenantSettings;
import io.switchboard.tenant.WidgetLook;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/** Creates a fresh tenant per test through the same services tenants-config uses. */
@ApplicationScoped
public class TestTenants {

    public static final String PERSONA = "You are Pip, the helpful assistant of a test shop.";
    /** Every test tenant escalates on this word. */
    public static final String KEYWORD = "chargeback";

    private final TenantService tenants;
    private final TenantProvisioning provisioning;
    private final ArticleIngestion ingestion;

    public TestTenants(TenantService tenants, TenantProvisioning provisioning, ArticleIngestion ingestion) {
        this.tenants = tenants;
        this.provisioning = provisioning;
        this.ingestion = ingestion;
    }

    /** A tenant whose widget may be embedded on this origin, in green on the left. */
    public TenantSettings embeddableOn(String origin, ModelPolicy policy, ArticleDefinition... articles) {
        TenantSettings tenant = embeddableOn(origin, policy, new WidgetLook("Ask Pip", "#0b6e4f", "left"));
        setArticles(tenant, articles);
        return tenant;
    }

    /** A tenant embeddable on this origin that lets only users verified with the secret in the named setting chat. */
    public TenantSettings embeddableForVerifiedUsersOn(String origin, String secretSetting) {
        TenantDefinition definition = definition(ModelPolicy.of(new ModelRef("stub", "echo")), null);
        return provisioning.apply(new TenantDefinition(
                definition.slug(),
                definition.name(),
                List.of(origin),
                definition.assistant(),
                definition.model(),
                null,
                definition.escalation(),
                new TenantDefinition.Widget(secretSetting, true, null),
                null));
    }

    /** A tenant whose widget may be embedded on this origin, with this look. */
    public TenantSettings embeddableOn(String origin, ModelPolicy policy, WidgetLook look) {
        TenantDefinition definition = definition(policy, null);
        return provisioning.apply(new TenantDefinition(
                definition.slug(),
                definition.name(),
                List.of(origin),
                definition.assistant(),
                policy,
                null,
                definition.escalation(),
                new TenantDefinition.Widget(null, false, look),
                null));
    }

    /** A tenant whose widget users are verified with the secret in the named setting. */
    public TenantSettings withVerifiedIdentity(String secretSetting, boolean required) {
        return withVerifiedIdentity(secretSetting, required, ModelPolicy.of(new ModelRef("stub", "echo")));
    }

    /** A tenant answered by this policy whose widget users are verified with the secret in the named setting. */
    public TenantSettings withVerifiedIdentity(String secretSetting, boolean required, ModelPolicy policy) {
        TenantDefinition definition = definition(policy, null);
        return provisioning.apply(new TenantDefinition(
                definition.slug(),
                definition.name(),
                definition.allowedOrigins(),
                definition.assistant(),
                definition.model(),
                null,
                definition.escalation(),
                new TenantDefinition.Widget(secretSetting, required, null),
                null));
    }

    /** A tenant whose primary model is the stub model of that name. */
    public TenantSettings withStubModel(String model, ModelRef... fallbacks) {
        return create(new ModelPolicy(new ModelRef("stub", model), List.of(fallbacks), null, null, null));
    }

    public TenantSettings create(ModelPolicy policy) {
        return provisioning.apply(definition(policy, null));
    }

    /** A tenant answered by the stub's echo model, with these escalation rules. */
    public TenantSettings withEscalation(EscalationRules rules) {
        TenantDefinition definition = definition(ModelPolicy.of(new ModelRef("stub", "echo")), null);
        return provisioning.apply(new TenantDefinition(
                definition.slug(),
                definition.name(),
                definition.allowedOrigins(),
                definition.assistant(),
                definition.model(),
                null,
                rules,
                null,
                null));
    }

    /** A tenant the operator limits to these catalogue endpoints. */
    public TenantSettings limitedTo(ModelPolicy policy, String... endpoints) {
        return provisioning.apply(definition(policy, List.of(endpoints)));
    }

    /** A tenant answered by the built-in retrieval answerer from these articles. */
    public TenantSettings withArticles(ModelPolicy policy, ArticleDefinition... articles) {
        TenantSettings tenant = create(policy);
        setArticles(tenant, articles);
        return tenant;
    }

    /**
     * A home-sharing marketplace's small help centre (refunds, check-in, host payouts) answered by
     * the built-in answerer: it has nothing about pets, so questions about dogs go unanswered.
     */
    public TenantSettings homeSharingHelpCentre() {
        return withArticles(
                retrieval(),
                article(
                        "refunds",
                        "Refunds",
                        "When a booking is cancelled, the refund goes back to the card you paid with within 5 to 10"
                                + " business days. The cancellation policy of the listing says how much is refunded."),
                article(
                        "check-in",
                        "Checking in",
                        "Your host sends the check-in instructions, the address and the door code two days before"
                                + " arrival. Check-in starts at 3 pm unless the listing says otherwise."),
                article(
                        "payouts",
                        "Host payouts",
                        "Hosts are paid 24 hours after the guest checks in, by bank transfer to the payout method in"
                                + " their account settings."));
    }

    /** Replaces the tenant's articles, as re-applying its tenants-config would. */
    public void setArticles(TenantSettings tenant, ArticleDefinition... articles) {
        TenantScope.run(tenant.id(), () -> ingestion.importArticles(List.of(articles)));
    }

    public TenantSettings find(String slug) {
        return tenants.findBySlug(slug).orElseThrow();
    }

    public static ModelPolicy retrieval() {
        return ModelPolicy.of(new ModelRef("builtin", "retrieval"));
    }

    /** Two articles about unrelated things: a question about one must never be answered from the other. */
    public static final ArticleDefinition KAYAK = article(
            "kayak-returns",
            "Returning a kayak",
            "## How to return a kayak\nBring the kayak back to the boathouse before 6 pm. Rinse it with fresh water and hand the paddle to the staff.");

    public static final ArticleDefinition BAKERY = article(
            "bakery-hours",
            "Bakery opening hours",
            "## When we are open\nThe bakery opens at 7 am and closes at 3 pm, Tuesday to Sunday. Fresh croissants come out of the oven at 8 am.");

    public static ArticleDefinition article(String key, String title, String body) {
        return new ArticleDefinition(key, title, body, "https://help.example/" + key, List.of(), "en");
    }

    private static TenantDefinition definition(ModelPolicy policy, List<String> allowedEndpoints) {
        String slug = "t-" + UUID.randomUUID().toString().substring(0, 8);
        return new TenantDefinition(
                slug,
                "Test shop " + slug,
                List.of("https://shop.example"),
                new TenantDefinition.Assistant(PERSONA, "Answer briefly.", "Hello from " + slug),
                policy,
                allowedEndpoints,
                new EscalationRules(List.of(KEYWORD)),
                null,
                null);
    }
}
