package io.switchboard.platform;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * New customer messages wait while the embedded database's volume is nearly full. PostgreSQL
 * stops altogether when it cannot write its log, so the platform stops taking new work first,
 * with room to spare for what is in flight, and takes it again as soon as space returns. (An
 * external PostgreSQL's disk is not visible from here; its disk-full errors become the same 503.)
 */
@ApplicationScoped
public class StorageSpace {

    private static final Logger LOG = Logger.getLogger(StorageSpace.class);
    private static final long CHECK_EVERY_NANOS = 1_000_000_000L;
    /** What the customer's client is told to wait before trying again. */
    private static final long RETRY_AFTER_SECONDS = 60;

    /** No room for new messages; a 503 with Retry-After. */
    public static final class FullException extends RetryLaterException {

        public FullException() {
            super(
                    ProblemType.SERVICE_UNAVAILABLE,
                    "We can't take new messages right now. Please try again in a few minutes.",
                    RETRY_AFTER_SECONDS);
        }
    }

    private final Optional<FileStore> volume;
    private final long minimumFreeBytes;
    private volatile long checkedAt = System.nanoTime() - CHECK_EVERY_NANOS;
    private volatile boolean full;

    public StorageSpace(EmbeddedConfig config) {
        this.volume = config.dataDirectory().flatMap(StorageSpace::fileStore);
        this.minimumFreeBytes = config.minFreeDisk().asLongValue();
    }

    /** Throws {@link FullException} while the volume has less free space than the configured minimum. */
    public void requireRoomForMessages() {
        if (volume.isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        if (now - checkedAt >= CHECK_EVERY_NANOS) {
            checkedAt = now;
            boolean wasFull = full;
            full = usableBytes() < minimumFreeBytes;
            if (full != wasFull) {
                if (full) {
                    LOG.errorf(
                            "The database's volume has less than %d MB free: new customer messages are refused until space returns",
                            minimumFreeBytes / (1024 * 1024));
                } else {
                    LOG.info("The database's volume has room again: customer messages are taken");
                }
            }
        }
        if (full) {
            throw new FullException();
        }
    }

    private long usableBytes() {
        try {
            return volume.get().getUsableSpace();
        } catch (IOException unreadable) {
            return Long.MAX_VALUE;
        }
    }

    private static Optional<FileStore> fileStore(String directory) {
        try {
            return Optional.of(Files.getFileStore(Path.of(directory)));
        } catch (IOException missing) {
            return Optional.empty();
        }
    }
}
