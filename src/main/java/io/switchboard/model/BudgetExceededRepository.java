package io.switchboard.model;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.UUID;

/** The months in which a tenant's budget was crossed: one row each, so the crossing is announced once. */
@ApplicationScoped
class BudgetExceededRepository {

    private final EntityManager entities;

    BudgetExceededRepository(EntityManager entities) {
        this.entities = entities;
    }

    /** Notes the crossing in the caller's transaction; false when a replica noted this month's already. */
    boolean recordFirst(UUID tenantId, LocalDate month, BigDecimal budgetUsd, String onExceeded) {
        int inserted = entities.createNativeQuery("""
                insert into budget_exceeded (tenant_id, month, budget_usd, on_exceeded) values (?1, ?2, ?3, ?4)
                on conflict do nothing""")
                .setParameter(1, tenantId)
                .setParameter(2, month)
                .setParameter(3, budgetUsd)
                .setParameter(4, onExceeded)
                .executeUpdate();
        return inserted == 1;
    }
}
