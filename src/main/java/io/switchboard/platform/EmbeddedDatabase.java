package io.switchboard.platform;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * An in-process PostgreSQL whose data directory is kept across restarts. Used by the embedded
 * default and, when no server is reachable, by the tests: the same migrations run on it.
 *
 * <p>PostgreSQL runs as a process of its own, which a hard kill of the platform (an out-of-memory
 * kill, a container runtime's hard stop) does not take down. So a watchdog process stops the
 * server once the platform is gone, and a start that still finds a server on its data directory
 * stops it first rather than failing on its lock file.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    public static final String USER = "postgres";
    public static final String DATABASE = "postgres";
    private static final Logger LOG = Logger.getLogger(EmbeddedDatabase.class);
    private static final String LOCK_FILE = "postmaster.pid";
    private static final long STOP_WITHIN_SECONDS = 60;

    private final EmbeddedPostgres postgres;
    private final Optional<Process> watchdog;

    private EmbeddedDatabase(EmbeddedPostgres postgres, Optional<Process> watchdog) {
        this.postgres = postgres;
        this.watchdog = watchdog;
    }

    /**
     * @param synchronousCommit PostgreSQL's {@code synchronous_commit}: {@code on} waits for each
     *         commit to reach the disk; {@code off} acknowledges before, so an operating-system crash
     *         or power loss can lose the last moments of acknowledged work
     */
    public static EmbeddedDatabase start(Path dataDirectory, String synchronousCommit) throws IOException {
        // Absolute, so the server's command line names the directory the way the next start looks for it.
        dataDirectory = dataDirectory.toAbsolutePath().normalize();
        Files.createDirectories(dataDirectory);
        stopServerLeftRunning(dataDirectory);
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false)
                .setServerConfig("synchronous_commit", synchronousCommit)
                .start();
        LOG.infof(
                "Embedded PostgreSQL started on port %d with data in %s (synchronous_commit=%s)",
                postgres.getPort(), dataDirectory.toAbsolutePath(), synchronousCommit);
        return new EmbeddedDatabase(postgres, pid(lockFile(dataDirectory)).flatMap(EmbeddedDatabase::watchdog));
    }

    public static EmbeddedDatabase start(Path dataDirectory) throws IOException {
        return start(dataDirectory, "on");
    }

    /** Names no user: the application connects as its own role, migrations as {@link #USER}. */
    public String jdbcUrl() {
        return jdbcUrl(postgres.getPort());
    }

    static String jdbcUrl(int port) {
        return "jdbc:postgresql://localhost:" + port + "/" + DATABASE;
    }

    /** The port of a server running on this data directory (a running platform's), if one is. */
    static Optional<Integer> runningServerPort(Path dataDirectory) throws IOException {
        // postmaster.pid: process id, data directory, start time, port, ...
        List<String> lockFile = lockFile(dataDirectory);
        boolean running = pid(lockFile)
                .flatMap(ProcessHandle::of)
                .filter(ProcessHandle::isAlive)
                .filter(process -> isServerOf(process, dataDirectory))
                .isPresent();
        return running && lockFile.size() > 3
                ? Optional.of(Integer.parseInt(lockFile.get(3).strip()))
                : Optional.empty();
    }

    @Override
    public void close() throws IOException {
        watchdog.ifPresent(Process::destroy);
        postgres.close();
    }

    /**
     * A server that outlived its platform still holds the data directory: it is asked for a fast
     * shutdown (its clients are gone, open transactions roll back, a checkpoint is written) and
     * waited for. A lock file naming a live process that is no server of this directory (its id
     * was reused after a reboot) is stale and removed.
     */
    static void stopServerLeftRunning(Path dataDirectory) throws IOException {
        Optional<ProcessHandle> holder =
                pid(lockFile(dataDirectory)).flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive);
        if (holder.isEmpty()) {
            return;
        }
        ProcessHandle server = holder.get();
        if (!isServerOf(server, dataDirectory)) {
            LOG.warnf(
                    "Removing the stale %s of %s: process %d is no PostgreSQL server of it",
                    LOCK_FILE, dataDirectory, server.pid());
            Files.deleteIfExists(dataDirectory.resolve(LOCK_FILE));
            return;
        }
        LOG.warnf(
                "The embedded PostgreSQL (process %d) outlived the platform that started it; shutting it down before starting again",
                server.pid());
        if (!signal("INT", server.pid())) {
            server.destroy();
        }
        try {
            server.onExit().get(STOP_WITHIN_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException stillRunning) {
            // PostgreSQL recovers from its write-ahead log at the next start, as after a power loss.
            LOG.warnf("The embedded PostgreSQL did not stop within %d s; killing it", STOP_WITHIN_SECONDS);
            server.destroyForcibly();
            server.onExit().join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while waiting for the embedded PostgreSQL to stop", e);
        } catch (ExecutionException e) {
            throw new IOException(e);
        }
    }

    /** The lines of the data directory's postmaster.pid; none when there is no such file. */
    private static List<String> lockFile(Path dataDirectory) throws IOException {
        Path lockFile = dataDirectory.resolve(LOCK_FILE);
        return Files.exists(lockFile) ? Files.readAllLines(lockFile, StandardCharsets.UTF_8) : List.of();
    }

    /** The process id a postmaster.pid names on its first line. */
    private static Optional<Long> pid(List<String> lockFile) {
        try {
            return lockFile.isEmpty()
                    ? Optional.empty()
                    : Optional.of(Long.parseLong(lockFile.get(0).strip()));
        } catch (NumberFormatException unreadable) {
            return Optional.empty();
        }
    }

    /** A PostgreSQL server whose command line names this data directory. */
    private static boolean isServerOf(ProcessHandle process, Path dataDirectory) {
        ProcessHandle.Info info = process.info();
        Path directory = dataDirectory.toAbsolutePath().normalize();
        return info.command()
                        .map(command -> command.endsWith(File.separator + "postgres"))
                        .orElse(false)
                && info.arguments()
                        .map(arguments -> List.of(arguments).stream().anyMatch(argument -> names(argument, directory)))
                        .orElse(true);
    }

    private static boolean names(String argument, Path directory) {
        try {
            return Path.of(argument).toAbsolutePath().normalize().equals(directory);
        } catch (java.nio.file.InvalidPathException notAPath) {
            return false;
        }
    }

    private static boolean signal(String signal, long pid) {
        try {
            return new ProcessBuilder("kill", "-" + signal, String.valueOf(pid))
                            .inheritIO()
                            .start()
                            .waitFor()
                    == 0;
        } catch (IOException noKillCommand) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * A shell that waits for this JVM to end and then asks the server for a fast shutdown; on a
     * normal stop it is ended first. None where there is no POSIX shell.
     */
    private static Optional<Process> watchdog(long serverPid) {
        if (!Files.isExecutable(Path.of("/bin/sh"))) {
            return Optional.empty();
        }
        String script = "while kill -0 " + ProcessHandle.current().pid() + " 2>/dev/null; do sleep 1; done; kill -INT "
                + serverPid;
        try {
            Process process = new ProcessBuilder("/bin/sh", "-c", script)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return Optional.of(process);
        } catch (IOException cannotStart) {
            LOG.warn(
                    "Could not start the embedded PostgreSQL's watchdog; after a hard kill the next start stops the server instead",
                    cannotStart);
            return Optional.empty();
        }
    }
}
