package io.switchboard.platform;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.flywaydb.core.Flyway;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * The platform's data as one file: every table of the schema as CSV (PostgreSQL's COPY), read in
 * one repeatable-read snapshot while the platform runs, with the schema version and sequence
 * positions. Restoring creates that schema version with the platform's own migrations in an empty
 * database, loads the tables in foreign-key order and sets the sequences; the platform's next
 * start migrates on from there. The same file restores into the embedded PostgreSQL or an
 * external one, which is how a tenant moves from the embedded default to a production database.
 */
public final class DatabaseBackup {

    static final int FORMAT = 1;
    private static final String MANIFEST = "manifest.json";
    private static final String HISTORY = "flyway_schema_history";
    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    /** What a backup holds besides its tables. */
    record Manifest(
            int format,
            String schemaVersion,
            Instant takenAt,
            List<String> tables,
            Map<String, Long> sequences,
            Map<String, Long> rows) {}

    /** What was written or restored. */
    public record Summary(String schemaVersion, int tables, long rows) {}

    private DatabaseBackup() {}

    /** Writes the snapshot to {@code file} (through a temporary file beside it, so a failed backup leaves no half file). */
    public static Summary write(Connection connection, Path file) throws SQLException, IOException {
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            statement.execute("set transaction isolation level repeatable read, read only");
            // The owner is subject to row-level security too (forced); platform work sees every tenant.
            statement.execute("set local switchboard.platform = 'on'");
            String version = schemaVersion(statement);
            List<String> tables = strings(
                    statement, "select tablename from pg_tables where schemaname = 'public' order by tablename");
            Map<String, Long> sequences = new LinkedHashMap<>();
            try (ResultSet sequence = statement.executeQuery(
                    "select sequencename, last_value from pg_sequences where schemaname = 'public' and last_value is not null")) {
                while (sequence.next()) {
                    sequences.put(sequence.getString(1), sequence.getLong(2));
                }
            }
            CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
            Map<String, Long> rows = new LinkedHashMap<>();
            try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(partial))) {
                for (String table : tables) {
                    zip.putNextEntry(new ZipEntry("tables/" + table + ".csv"));
                    rows.put(
                            table,
                            copy.copyOut(
                                    "copy " + quoted(table) + " (" + columns(connection, table)
                                            + ") to stdout (format csv, header true)",
                                    unclosable(zip)));
                    zip.closeEntry();
                }
                zip.putNextEntry(new ZipEntry(MANIFEST));
                zip.write(
                        JSON.writeValueAsBytes(new Manifest(FORMAT, version, Instant.now(), tables, sequences, rows)));
                zip.closeEntry();
            }
            connection.commit();
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return new Summary(
                    version,
                    tables.size(),
                    rows.values().stream().mapToLong(Long::longValue).sum());
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    /**
     * Restores {@code file} into the empty database {@code connection} leads to, which the
     * migrations (run by {@code migrations}, as the tables' owner) bring to the backup's schema version first.
     */
    public static Summary restore(Path file, Connection connection, Flyway migrations)
            throws SQLException, IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry manifestEntry = zip.getEntry(MANIFEST);
            if (manifestEntry == null) {
                throw new IOException(file + " is no Switchboard backup (it has no " + MANIFEST + ")");
            }
            Manifest manifest;
            try (InputStream in = zip.getInputStream(manifestEntry)) {
                manifest = JSON.readValue(in, Manifest.class);
            }
            if (manifest.format() != FORMAT) {
                throw new IOException(
                        file + " is a backup of format " + manifest.format() + "; this version reads format " + FORMAT);
            }
            try (Statement statement = connection.createStatement();
                    ResultSet existing =
                            statement.executeQuery("select count(*) from pg_tables where schemaname = 'public'")) {
                existing.next();
                if (existing.getInt(1) > 0) {
                    throw new IOException("The target database is not empty (it has " + existing.getInt(1)
                            + " tables); restore into an empty database");
                }
            }
            Flyway.configure()
                    .configuration(migrations.getConfiguration())
                    .target(manifest.schemaVersion())
                    .load()
                    .migrate();

            connection.setAutoCommit(false);
            CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
            long rows = 0;
            try (Statement statement = connection.createStatement()) {
                statement.execute("set local switchboard.platform = 'on'");
                statement.execute("delete from " + HISTORY);
                for (String table : inDependencyOrder(connection, manifest.tables())) {
                    try (InputStream csv = zip.getInputStream(zip.getEntry("tables/" + table + ".csv"))) {
                        rows += copy.copyIn(
                                "copy " + quoted(table) + " (" + columns(connection, table)
                                        + ") from stdin (format csv, header true)",
                                csv);
                    }
                }
                try (PreparedStatement setval = connection.prepareStatement("select setval(?, ?, true)")) {
                    for (Map.Entry<String, Long> sequence : manifest.sequences().entrySet()) {
                        setval.setString(1, quoted(sequence.getKey()));
                        setval.setLong(2, sequence.getValue());
                        setval.execute();
                    }
                }
            }
            connection.commit();
            return new Summary(manifest.schemaVersion(), manifest.tables().size(), rows);
        }
    }

    private static String schemaVersion(Statement statement) throws SQLException {
        List<String> versions = strings(
                statement,
                "select version from " + HISTORY
                        + " where success and version is not null order by installed_rank desc limit 1");
        if (versions.isEmpty()) {
            throw new SQLException("This database holds no Switchboard schema (no applied migrations)");
        }
        return versions.get(0);
    }

    /** The columns COPY reads and writes: all but generated ones, in table order. */
    private static String columns(Connection connection, String table) throws SQLException {
        try (PreparedStatement query =
                connection.prepareStatement("select attname from pg_attribute where attrelid = ?::regclass"
                        + " and attnum > 0 and not attisdropped and attgenerated = '' order by attnum")) {
            query.setString(1, quoted(table));
            List<String> names = new ArrayList<>();
            try (ResultSet column = query.executeQuery()) {
                while (column.next()) {
                    names.add(quoted(column.getString(1)));
                }
            }
            return String.join(", ", names);
        }
    }

    /** Referenced tables before the tables that reference them. */
    private static List<String> inDependencyOrder(Connection connection, List<String> tables) throws SQLException {
        Map<String, Set<String>> references = new LinkedHashMap<>();
        tables.forEach(table -> references.put(table, new LinkedHashSet<>()));
        try (Statement statement = connection.createStatement();
                ResultSet foreignKey = statement.executeQuery(
                        "select conrelid::regclass::text, confrelid::regclass::text from pg_constraint"
                                + " where contype = 'f' and connamespace = 'public'::regnamespace and conrelid <> confrelid")) {
            while (foreignKey.next()) {
                String table = unquoted(foreignKey.getString(1));
                if (references.containsKey(table)) {
                    references.get(table).add(unquoted(foreignKey.getString(2)));
                }
            }
        }
        List<String> ordered = new ArrayList<>();
        Set<String> placed = new LinkedHashSet<>();
        while (ordered.size() < tables.size()) {
            int before = ordered.size();
            for (String table : tables) {
                if (!placed.contains(table)
                        && placed.containsAll(references.get(table).stream()
                                .filter(references::containsKey)
                                .toList())) {
                    ordered.add(table);
                    placed.add(table);
                }
            }
            if (ordered.size() == before) {
                throw new SQLException("The tables' foreign keys form a cycle; cannot order them for restoring");
            }
        }
        return ordered;
    }

    private static List<String> strings(Statement statement, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (ResultSet result = statement.executeQuery(sql)) {
            while (result.next()) {
                values.add(result.getString(1));
            }
        }
        return values;
    }

    private static String quoted(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    private static String unquoted(String regclass) {
        return regclass.startsWith("\"")
                ? regclass.substring(1, regclass.length() - 1).replace("\"\"", "\"")
                : regclass;
    }

    /** The zip as one table's entry: closing it leaves the zip open for the next table. */
    private static OutputStream unclosable(OutputStream out) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                out.write(b);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                out.write(bytes, offset, length);
            }

            @Override
            public void flush() throws IOException {
                out.flush();
            }
        };
    }
}
