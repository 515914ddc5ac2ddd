package io.switchboard.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.jboss.logmanager.LogContext;

/**
 * The packaged application as the benchmarks run it: its jar in a child JVM on loopback, on a
 * fresh database of the local PostgreSQL, with one tenant whose file the benchmark writes and the
 * model stub as its only model server. Also the figures' arithmetic, the same for every benchmark.
 */
public final class BenchApp implements AutoCloseable {

    private static final Path LOG = Path.of("target", "bench-app.log");

    static {
        // Outside Quarkus nothing replaces the bootstrap's delayed log handler: it took every debug record of the
        // JDK's HTTP client and server, and kept it for a start that never comes, costing the load generator CPU and
        // heap.
        LogContext.getLogContext().getLogger("").setLevel(Level.WARNING);
    }

    private final PostgresResource postgres = new PostgresResource();
    private final Map<String, String> database;
    private final Path jar;
    private final Map<String, String> environment;
    private PackagedJar app;

    private BenchApp(Path jar, String tenantFile, String stubUrl, String stubModels, Map<String, String> settings)
            throws Exception {
        database = postgres.start();
        Path tenants = Files.createTempDirectory("switchboard-bench-tenants");
        Files.writeString(tenants.resolve("bench.yaml"), tenantFile);
        this.jar = jar;
        environment = PackagedJar.environment(database, tenants, stubUrl, stubModels);
        environment.putAll(settings);
        app = PackagedJar.start(jar, "1g", environment, LOG);
    }

    /**
     * Stops the application and starts it again on the same database; returns once it is ready.
     * The output of the first run is kept beside the new one, in {@code bench-app-before-restart.log}.
     */
    public void restart() throws Exception {
        stopApp();
        Files.move(LOG, LOG.resolveSibling("bench-app-before-restart.log"), StandardCopyOption.REPLACE_EXISTING);
        app = PackagedJar.start(jar, "1g", environment, LOG);
    }

    /** The application's output since it last started. */
    public String log() throws IOException {
        return Files.readString(LOG);
    }

    /** Starts the jar with the tenant file {@code bench.yaml} and extra environment settings; returns once it is ready. */
    public static BenchApp start(
            Path jar, String tenantFile, String stubUrl, String stubModels, Map<String, String> settings)
            throws Exception {
        return new BenchApp(jar, tenantFile, stubUrl, stubModels, settings);
    }

    public String baseUrl() {
        return app.uri().toString();
    }

    /** Where its health and metrics are served. */
    public URI managementUri() {
        return app.management();
    }

    /** A connection to the application's database, as the owner of its tables. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(
                database.get("quarkus.datasource.jdbc.url"), database.get("quarkus.flyway.username"), "");
    }

    /**
     * Vacuums and analyses the application's database, as autovacuum would while the application
     * runs. This machine's PostgreSQL runs with {@code autovacuum = off}: without this, each phase
     * of a long run would work on tables carrying every dead row the phases before it left.
     */
    public void vacuum() throws SQLException {
        try (Connection connection = connect();
                Statement vacuum = connection.createStatement()) {
            vacuum.execute("vacuum (analyze)");
        }
    }

    /** How many rows a table of the application's database holds, to count what it stored. */
    public long rows(String table) throws SQLException {
        try (Connection connection = connect();
                ResultSet count = connection.createStatement().executeQuery("select count(*) from " + table)) {
            count.next();
            return count.getLong(1);
        }
    }

    /** The value of one sample on the application's {@code /q/metrics} page, such as {@code some_counter_total}; 0 when absent. */
    public double metric(String sample) throws IOException, InterruptedException {
        String page = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(app.management().resolve("/q/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        return page.lines()
                .filter(line -> line.startsWith(sample + " "))
                .mapToDouble(line -> Double.parseDouble(line.substring(sample.length() + 1)))
                .findFirst()
                .orElse(0);
    }

    public long pid() {
        return app.process().pid();
    }

    /** CPU time the application's process has used so far. */
    public Duration cpu() {
        return app.process().info().totalCpuDuration().orElse(Duration.ZERO);
    }

    /** CPU time the machine's PostgreSQL processes (the server and its backends) have used so far. */
    public static Duration postgresCpu() {
        return ProcessHandle.allProcesses()
                .filter(process -> process.info()
                        .command()
                        .filter(command -> command.endsWith("/postgres"))
                        .isPresent())
                .map(process -> process.info().totalCpuDuration().orElse(Duration.ZERO))
                .reduce(Duration.ZERO, Duration::plus);
    }

    @Override
    public void close() throws InterruptedException {
        stopApp();
        postgres.stop();
    }

    private void stopApp() throws InterruptedException {
        app.process().destroy();
        app.process().waitFor();
    }

    /** Resident memory of a process (VmRSS), in MB. */
    public static long residentMegabytes(long pid) throws IOException {
        return statusField(pid, "VmRSS:");
    }

    /**
     * Memory of processes and all their descendants, each counted for its proportional share of
     * shared pages (Pss), so memory they share is counted once; in MB.
     */
    public static long proportionalMegabytes(List<ProcessHandle> processes) throws IOException {
        long kilobytes = 0;
        List<ProcessHandle> all = new ArrayList<>(processes);
        processes.forEach(process -> process.descendants().forEach(all::add));
        for (ProcessHandle process : all) {
            Path rollup = Path.of("/proc", String.valueOf(process.pid()), "smaps_rollup");
            if (Files.exists(rollup)) {
                for (String line : Files.readAllLines(rollup)) {
                    if (line.startsWith("Pss:")) {
                        kilobytes += Long.parseLong(line.replaceAll("\\D", ""));
                    }
                }
            }
        }
        return kilobytes / 1024;
    }

    private static long statusField(long pid, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
            if (line.startsWith(field)) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            }
        }
        return -1;
    }

    /** The given percentile of already sorted values. */
    public static long percentile(long[] sorted, int percent) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(percent / 100.0 * sorted.length) - 1)];
    }

    public static double secondsSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    public static String ms(long nanos) {
        return String.format("%.2f ms", nanos / 1e6);
    }
}
