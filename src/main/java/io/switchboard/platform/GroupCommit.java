package io.switchboard.platform;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.IntConsumer;

/**
 * Group commit: concurrent callers' items of one group (a tenant) are written together, in one
 * transaction, instead of one transaction each. A caller that finds no batch being written writes
 * at once, so nobody waits for a batch to fill; callers arriving meanwhile queue, and the first of
 * them writes everything queued when the batch before is done. A transaction's fixed cost (begin,
 * commit, round trips) is then shared by as many items as arrived during the previous one.
 *
 * <p>An item's own failure (its conversation is closed) is its outcome and does not touch the
 * others. When the batch as a whole fails, each of its items is written again alone, so only the
 * item at fault fails. Every caller gets its outcome only after its transaction ended.
 */
public final class GroupCommit<K, T, R> {

    /** What writing one item gave: its result, or the failure that is its own. */
    public record Outcome<R>(R result, RuntimeException failure) {

        public static <R> Outcome<R> of(R result) {
            return new Outcome<>(result, null);
        }

        public static <R> Outcome<R> failed(RuntimeException failure) {
            return new Outcome<>(null, failure);
        }

        R resultOrThrow() {
            if (failure != null) {
                throw failure;
            }
            return result;
        }
    }

    /**
     * A queued item. {@code woken} completes when its outcome is set or when it is handed the
     * writing of the next batch (its outcome still unset).
     */
    private static final class Pending<T, R> {
        final T item;
        final CompletableFuture<Void> woken = new CompletableFuture<>();
        volatile Outcome<R> outcome;

        Pending(T item) {
            this.item = item;
        }

        void settle(Outcome<R> settled) {
            outcome = settled;
            woken.complete(null);
        }
    }

    private static final class Group<T, R> {
        final Queue<Pending<T, R>> queue = new ConcurrentLinkedQueue<>();
        /** Set while one caller writes a batch of this group; cleared, or handed on, when it is done. */
        final AtomicBoolean writing = new AtomicBoolean();
    }

    private final int maxBatch;
    private final Function<List<T>, List<Outcome<R>>> writeBatch;
    private final IntConsumer batchWritten;
    private final ConcurrentMap<K, Group<T, R>> groups = new ConcurrentHashMap<>();

    /**
     * @param writeBatch writes the items in one transaction and returns their outcomes in the same
     *        order; throws when the transaction failed as a whole
     * @param batchWritten told each batch's size, for metrics
     */
    public GroupCommit(int maxBatch, Function<List<T>, List<Outcome<R>>> writeBatch, IntConsumer batchWritten) {
        this.maxBatch = maxBatch;
        this.writeBatch = writeBatch;
        this.batchWritten = batchWritten;
    }

    /** Writes the item with whatever else of its group is waiting; returns its result or throws its failure. */
    public R submit(K groupKey, T item) {
        Group<T, R> group = groups.computeIfAbsent(groupKey, key -> new Group<>());
        Pending<T, R> mine = new Pending<>(item);
        group.queue.add(mine);
        boolean leading = group.writing.compareAndSet(false, true);
        while (true) {
            if (leading) {
                writeNextBatch(group);
            }
            if (mine.outcome != null) {
                return mine.outcome.resultOrThrow();
            }
            mine.woken.join();
            leading = mine.outcome == null;
        }
    }

    /** Called holding the group's writing flag; hands it on to the next waiting caller, or clears it. */
    private void writeNextBatch(Group<T, R> group) {
        List<Pending<T, R>> batch = new ArrayList<>();
        try {
            for (Pending<T, R> next; batch.size() < maxBatch && (next = group.queue.poll()) != null; ) {
                batch.add(next);
            }
            if (!batch.isEmpty()) {
                write(batch);
            }
        } finally {
            for (Pending<T, R> unsettled : batch) {
                if (unsettled.outcome == null) {
                    unsettled.settle(Outcome.failed(new IllegalStateException("The batch was not written")));
                }
            }
            handOn(group);
        }
    }

    private void write(List<Pending<T, R>> batch) {
        List<Outcome<R>> outcomes;
        try {
            outcomes =
                    writeBatch.apply(batch.stream().map(pending -> pending.item).toList());
        } catch (RuntimeException batchFailed) {
            if (batch.size() == 1) {
                batch.getFirst().settle(Outcome.failed(batchFailed));
                return;
            }
            for (Pending<T, R> pending : batch) {
                write(List.of(pending));
            }
            return;
        }
        batchWritten.accept(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).settle(outcomes.get(i));
        }
    }

    /**
     * Wakes the first waiting caller to write the next batch, or clears the flag. A caller that
     * queued just as the flag was cleared may have missed it: checking the queue again after
     * clearing makes sure one of the two writes.
     */
    private void handOn(Group<T, R> group) {
        while (true) {
            Pending<T, R> next = group.queue.peek();
            if (next != null) {
                next.woken.complete(null);
                return;
            }
            group.writing.set(false);
            if (group.queue.isEmpty() || !group.writing.compareAndSet(false, true)) {
                return;
            }
        }
    }
}
