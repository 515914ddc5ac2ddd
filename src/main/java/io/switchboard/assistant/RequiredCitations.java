package io.switchboard.assistant;

import io.switchboard.tenant.TenantSection;
import io.switchboard.tenant.TenantSettings;

/**
 * Grounded answers only: a tenant that requires citations shows a language model's reply only
 * when it cites one of the knowledge passages it was given, by their [n] numbers as the prompt
 * asks. Otherwise the customer gets the built-in retrieval answer, when the knowledge base
 * answers the question well enough, or a person.
 */
public final class RequiredCitations {

    /** Where a tenant keeps the setting ({@code assistant.requireCitations}); off unless set. */
    public static final TenantSection<Boolean> SECTION = new TenantSection<>("requireCitations", Boolean.class, false);

    private RequiredCitations() {}

    public static boolean of(TenantSettings tenant) {
        return Boolean.TRUE.equals(tenant.section(SECTION));
    }
}
