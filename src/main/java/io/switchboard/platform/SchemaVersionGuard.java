package io.switchboard.platform;

import io.quarkus.flyway.FlywayConfigurationCustomizer;
import jakarta.inject.Singleton;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Optional;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.flywaydb.core.api.configuration.FluentConfiguration;

/**
 * A Switchboard older than its database refuses to start. A newer version has migrated the
 * schema past what this one knows, and running on it would read and write tables whose meaning
 * changed. Flyway refuses too, but as if migrations had been deleted by mistake, and advises a
 * repair that would drop the newer version's record of them.
 * (Two replicas migrating at once is Flyway's own concern: it holds a PostgreSQL advisory lock.)
 */
@Singleton
public class SchemaVersionGuard implements FlywayConfigurationCustomizer {

    @Override
    public void customize(FluentConfiguration configuration) {
        configuration.callbacks(new NewerSchemaRefusal());
    }

    static final class NewerSchemaRefusal implements Callback {

        @Override
        public boolean supports(Event event, Context context) {
            // Before validation too: the validation that precedes a migration would otherwise refuse first,
            // with advice ("run repair") that would lose the newer version's record of its migrations.
            return event == Event.BEFORE_VALIDATE || event == Event.BEFORE_MIGRATE;
        }

        @Override
        public boolean canHandleInTransaction(Event event, Context context) {
            return true;
        }

        @Override
        public void handle(Event event, Context context) {
            MigrationInfoService info = Flyway.configure()
                    .configuration(context.getConfiguration())
                    .load()
                    .info();
            Optional<MigrationVersion> applied = Arrays.stream(info.applied())
                    .filter(migration -> migration.getState() == MigrationState.FUTURE_SUCCESS
                            || migration.getState() == MigrationState.FUTURE_FAILED)
                    .map(MigrationInfo::getVersion)
                    .max(Comparator.naturalOrder());
            if (applied.isPresent()) {
                String known = Arrays.stream(info.all())
                        .filter(migration -> migration.getState().isResolved())
                        .map(MigrationInfo::getVersion)
                        .max(Comparator.naturalOrder())
                        .map(MigrationVersion::toString)
                        .orElse("none");
                throw new FlywayException("The database has schema version " + applied.get()
                        + ", written by a newer version of Switchboard;"
                        + " this version knows schema versions up to " + known
                        + " and will not run on it. Run the newer version,"
                        + " or restore a backup taken before the upgrade (docs/operations.md).");
            }
        }

        @Override
        public String getCallbackName() {
            return "newer-schema-refusal";
        }
    }
}
