package io.switchboard.platform;

import jakarta.inject.Singleton;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Customer turns and model calls in progress on this replica, counted so that a replica told to
 * stop can let them finish: an answer being streamed is completed and stored, not cut off.
 */
@Singleton
public class InFlightWork {

    /** Work that may throw one checked exception. */
    @FunctionalInterface
    public interface Work<T, E extends Exception> {
        T run() throws E;
    }

    private final Object lock = new Object();
    private int running;

    public <T, E extends Exception> T track(Work<T, E> work) throws E {
        Runnable finished = begin();
        try {
            return work.run();
        } finally {
            finished.run();
        }
    }

    /** Counts work that ends on another thread; the returned action ends it (once, however often it runs). */
    public Runnable begin() {
        synchronized (lock) {
            running++;
        }
        AtomicBoolean ended = new AtomicBoolean();
        return () -> {
            if (ended.compareAndSet(false, true)) {
                synchronized (lock) {
                    running--;
                    lock.notifyAll();
                }
            }
        };
    }

    /** Waits until nothing is in flight or {@code deadlineNanos} (a {@link System#nanoTime()}) passes; returns what still runs. */
    public int awaitIdle(long deadlineNanos) throws InterruptedException {
        synchronized (lock) {
            while (running > 0) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                lock.wait(Math.max(1, left / 1_000_000));
            }
            return running;
        }
    }
}
