package io.switchboard.platform;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * Background work done in batches on a virtual thread: the next batch at once while batches
 * come back full, otherwise after a pause or as soon as someone {@linkplain #wakeUp() wakes} it.
 * The batch handles its own failures and returns how many items it did.
 */
public final class WorkLoop {

    private final String name;
    private final int fullBatch;
    private final Duration pause;
    private final IntSupplier batch;
    private final Semaphore wakeUp = new Semaphore(0);
    private volatile boolean running;
    private Thread worker;

    public WorkLoop(String name, int fullBatch, Duration pause, IntSupplier batch) {
        this.name = name;
        this.fullBatch = fullBatch;
        this.pause = pause;
        this.batch = batch;
    }

    public void start() {
        running = true;
        worker = Thread.ofVirtual().name(name).start(this::run);
    }

    /** Lets the current batch finish, waiting at most {@code grace}. */
    public void stop(Duration grace) throws InterruptedException {
        running = false;
        wakeUp.release();
        if (worker != null) {
            worker.join(grace.toMillis());
        }
    }

    public void wakeUp() {
        wakeUp.release();
    }

    private void run() {
        while (running) {
            if (batch.getAsInt() < fullBatch) {
                try {
                    wakeUp.tryAcquire(pause.toMillis(), TimeUnit.MILLISECONDS);
                    wakeUp.drainPermits();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
