package io.switchboard.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.platform.ScopedConnections;
import io.switchboard.platform.TenantScope;
import io.switchboard.testing.AdminClient;
import io.switchboard.testing.TestTenants;
import io.switchboard.testing.WidgetClient;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Row-level security as a backstop: raw SQL on a connection of tenant A, with no tenant
 * condition at all, sees and changes nothing of any other tenant, in every table that has a
 * tenant_id (enumerated from the schema, so a new table is covered the day it is added).
 */
@QuarkusTest
class RowLevelSecurityTest {

    /** Tables the suite always fills for other tenants, so their check is never vacuous. */
    private static final List<String> ALWAYS_FILLED = List.of(
            "account",
            "api_key",
            "article",
            "audit_log",
            "contact",
            "conversation",
            "knowledge_chunk",
            "message",
            "model_policy_version",
            "outbox_event",
            "webhook");

    @Inject
    TestTenants tenants;

    @Inject
    ScopedConnections connections;

    @Inject
    AgroalDataSource database;

    @Inject
    EntityManager entities;

    @ConfigProperty(name = "switchboard.tenant.bootstrap.api-key")
    String platformKey;

    @Test
    void aTenantsRawQueriesSeeOnlyItsOwnRowsInEveryTenantTable() throws SQLException {
        TenantSettings a = populated();
        populated();
        List<String> checked = new ArrayList<>();
        try (Connection platform = connections.forPlatform("test inspection");
                Connection tenantA = connections.forTenant(a.id())) {
            List<String> tables = tenantTables(platform);
            assertThat(tables).containsAll(ALWAYS_FILLED);
            for (String table : tables) {
                assertThat(rowSecurity(platform, table))
                        .as("RLS enabled and forced on %s", table)
                        .isEqualTo("true/true");
                String othersRows =
                        "select count(*) from " + table + " where tenant_id is distinct from '" + a.id() + "'";
                assertThat(count(tenantA, othersRows))
                        .as("rows of other tenants %s shows tenant A", table)
                        .isZero();
                if (count(platform, othersRows) > 0) {
                    checked.add(table);
                }
            }
            assertThat(count(tenantA, "select count(*) from conversation")).isPositive();
        }
        assertThat(checked).containsAll(ALWAYS_FILLED);
    }

    @Test
    void aTenantsRawWritesCannotTouchAnotherTenant() throws SQLException {
        TenantSettings a = populated();
        TenantSettings b = populated();
        try (Connection tenantA = connections.forTenant(a.id())) {
            try (PreparedStatement update =
                    tenantA.prepareStatement("update message set text = 'overwritten' where tenant_id = ?")) {
                update.setObject(1, b.id());
                assertThat(update.executeUpdate()).isZero();
            }
            try (PreparedStatement delete = tenantA.prepareStatement("delete from article where tenant_id = ?")) {
                delete.setObject(1, b.id());
                assertThat(delete.executeUpdate()).isZero();
            }
            try (PreparedStatement insert = tenantA.prepareStatement(
                    "insert into webhook (id, tenant_id, url, event_types, secret, created_at) values (?, ?, 'https://evil.example', '[]', 's', now())")) {
                insert.setObject(1, UUID.randomUUID());
                insert.setObject(2, b.id());
                assertThatThrownBy(insert::executeUpdate).hasMessageContaining("row-level security");
            }
        }
        try (Connection platform = connections.forPlatform("test inspection")) {
            assertThat(count(
                            platform,
                            "select count(*) from message where text = 'overwritten' and tenant_id = '" + b.id() + "'"))
                    .isZero();
            assertThat(count(platform, "select count(*) from article where tenant_id = '" + b.id() + "'"))
                    .isPositive();
        }
    }

    @Test
    void workOutsideAnyScopeSeesNoTenantsRowsAndTheAppCannotOwnTheTables() throws SQLException {
        populated();
        try (Connection unscoped = database.getConnection()) {
            assertThat(count(unscoped, "select count(*) from conversation")).isZero();
            assertThat(count(unscoped, "select count(*) from api_key")).isZero();
            try (ResultSet role = unscoped.createStatement()
                    .executeQuery(
                            "select r.rolsuper, r.rolbypassrls, exists (select 1 from pg_tables where tableowner = current_user) from pg_roles r where r.rolname = current_user")) {
                role.next();
                assertThat(List.of(role.getBoolean(1), role.getBoolean(2), role.getBoolean(3)))
                        .containsOnly(false);
            }
        }
    }

    /**
     * A pooled connection keeps the tenant it was last told across transactions, so that telling it
     * again can be skipped; a transaction that rolls back undoes the telling, and the next one of
     * that tenant must still see its own rows and no others.
     */
    @Test
    void aTenantToldInARolledBackTransactionIsToldAgainInTheNext() {
        TenantSettings a = populated();
        TenantSettings b = populated();
        assertThat(visibleConversationsOf(a.id(), a.id())).isPositive();
        assertThatThrownBy(() -> TenantScope.call(
                        b.id(),
                        () -> QuarkusTransaction.requiringNew().call(() -> {
                            assertThat(conversationsOf(b.id())).isPositive();
                            throw new IllegalStateException("rolled back on purpose");
                        })))
                .hasMessageContaining("rolled back on purpose");
        assertThat(visibleConversationsOf(b.id(), b.id())).isPositive();
        assertThat(visibleConversationsOf(b.id(), a.id())).isZero();
    }

    private long visibleConversationsOf(UUID scope, UUID owner) {
        return TenantScope.call(scope, () -> QuarkusTransaction.requiringNew().call(() -> conversationsOf(owner)));
    }

    /** Raw SQL without the tenant filter: only row-level security decides what it sees. */
    private long conversationsOf(UUID owner) {
        return ((Number) entities.createNativeQuery("select count(*) from conversation where tenant_id = ?1")
                        .setParameter(1, owner)
                        .getSingleResult())
                .longValue();
    }

    /** A tenant with a conversation, an article, keys, a member and a webhook. */
    private TenantSettings populated() {
        TenantSettings tenant = tenants.withArticles(
                TestTenants.retrieval(),
                TestTenants.article("refunds", "Refunds", "Refunds reach your card within five days."));
        String admin = AdminClient.newKey(platformKey, tenant.slug(), "tenant-admin");
        AdminClient.as(admin)
                .body(java.util.Map.of(
                        "username",
                        "rls-" + UUID.randomUUID(),
                        "password",
                        "a long enough password",
                        "roles",
                        List.of("agent")))
                .post("/api/v1/tenants/{tenant}/members", tenant.slug())
                .then()
                .statusCode(201);
        AdminClient.as(admin)
                .body(java.util.Map.of(
                        "url", "http://127.0.0.1:9/hook", "eventTypes", List.of("switchboard.model.budget-exceeded")))
                .post("/api/v1/tenants/{tenant}/webhooks", tenant.slug())
                .then()
                .statusCode(201);
        WidgetClient.send(WidgetClient.start(tenant.slug()), "How long do refunds take?")
                .statusCode(200);
        return tenant;
    }

    private static List<String> tenantTables(Connection connection) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (ResultSet rows = connection.createStatement().executeQuery("""
                select c.table_name from information_schema.columns c
                join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
                where c.table_schema = 'public' and c.column_name = 'tenant_id' and t.table_type = 'BASE TABLE'
                order by c.table_name""")) {
            while (rows.next()) {
                tables.add(rows.getString(1));
            }
        }
        return tables;
    }

    private static String rowSecurity(Connection connection, String table) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(
                "select relrowsecurity::text || '/' || relforcerowsecurity::text from pg_class where relname = ? and relnamespace = 'public'::regnamespace")) {
            query.setString(1, table);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getString(1);
            }
        }
    }

    private static long count(Connection connection, String sql) throws SQLException {
        try (ResultSet row = connection.createStatement().executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        }
    }
}
