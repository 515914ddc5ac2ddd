package io.switchboard.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class GroupCommitTest {

    /** Every batch the writer was given, in order, and whether it was written. */
    private final List<List<String>> batches = new CopyOnWriteArrayList<>();

    private final List<Integer> written = new CopyOnWriteArrayList<>();
    /** Holds the first batch's transaction open until released, so that other callers queue meanwhile. */
    private final CountDownLatch firstBatchMayEnd = new CountDownLatch(1);

    private GroupCommit<String, String, String> groupCommit(Function<String, GroupCommit.Outcome<String>> writeItem) {
        return new GroupCommit<>(
                3,
                batch -> {
                    batches.add(batch);
                    if (batches.size() == 1) {
                        awaitRelease();
                    }
                    if (batch.size() > 1 && batch.contains("breaks the batch")) {
                        throw new IllegalStateException("The transaction failed");
                    }
                    if (batch.equals(List.of("breaks the batch"))) {
                        throw new IllegalStateException("This item cannot be written");
                    }
                    return batch.stream().map(writeItem).toList();
                },
                written::add);
    }

    @Test
    void aLoneCallerIsWrittenAtOnceInABatchOfItsOwn() {
        firstBatchMayEnd.countDown();
        GroupCommit<String, String, String> commit = groupCommit(item -> GroupCommit.Outcome.of("stored " + item));

        assertThat(commit.submit("tenant", "hello")).isEqualTo("stored hello");
        assertThat(batches).containsExactly(List.of("hello"));
        assertThat(written).containsExactly(1);
    }

    @Test
    void callersArrivingDuringAWriteAreWrittenTogetherAfterIt() throws Exception {
        GroupCommit<String, String, String> commit = groupCommit(item -> GroupCommit.Outcome.of("stored " + item));
        try (ExecutorService callers = Executors.newCachedThreadPool()) {
            List<Future<String>> results = queuedBehindAWrite(commit, callers, "a", "b", "c", "d", "e");

            List<String> stored = new ArrayList<>();
            for (Future<String> result : results) {
                stored.add(result.get());
            }
            assertThat(stored)
                    .containsExactly("stored first", "stored a", "stored b", "stored c", "stored d", "stored e");
        }
        // Five waiting callers, at most three per batch: two batches after the first.
        assertThat(batches).containsExactly(List.of("first"), List.of("a", "b", "c"), List.of("d", "e"));
        assertThat(written).containsExactly(1, 3, 2);
    }

    @Test
    void groupsAreWrittenApart() {
        firstBatchMayEnd.countDown();
        GroupCommit<String, String, String> commit = groupCommit(item -> GroupCommit.Outcome.of("stored " + item));

        commit.submit("tenant A", "one");
        commit.submit("tenant B", "two");

        assertThat(batches).containsExactly(List.of("one"), List.of("two"));
    }

    @Test
    void anItemsOwnFailureFailsOnlyThatCaller() throws Exception {
        GroupCommit<String, String, String> commit = groupCommit(item -> item.equals("closed")
                ? GroupCommit.Outcome.failed(new IllegalArgumentException("This conversation is closed"))
                : GroupCommit.Outcome.of("stored " + item));
        try (ExecutorService callers = Executors.newCachedThreadPool()) {
            List<Future<String>> results = queuedBehindAWrite(commit, callers, "before", "closed", "after");

            assertThat(results.get(0).get()).isEqualTo("stored first");
            assertThat(results.get(1).get()).isEqualTo("stored before");
            assertThatThrownBy(results.get(2)::get)
                    .hasCauseInstanceOf(IllegalArgumentException.class)
                    .hasRootCauseMessage("This conversation is closed");
            assertThat(results.get(3).get()).isEqualTo("stored after");
        }
        assertThat(batches).containsExactly(List.of("first"), List.of("before", "closed", "after"));
    }

    @Test
    void aBatchThatFailsIsWrittenAgainItemByItemSoOnlyTheFaultyItemFails() throws Exception {
        GroupCommit<String, String, String> commit = groupCommit(item -> GroupCommit.Outcome.of("stored " + item));
        try (ExecutorService callers = Executors.newCachedThreadPool()) {
            List<Future<String>> results = queuedBehindAWrite(commit, callers, "before", "breaks the batch", "after");

            assertThat(results.get(0).get()).isEqualTo("stored first");
            assertThat(results.get(1).get()).isEqualTo("stored before");
            assertThatThrownBy(results.get(2)::get).hasRootCauseMessage("This item cannot be written");
            assertThat(results.get(3).get()).isEqualTo("stored after");
        }
        assertThat(batches)
                .containsExactly(
                        List.of("first"),
                        List.of("before", "breaks the batch", "after"),
                        List.of("before"),
                        List.of("breaks the batch"),
                        List.of("after"));
        assertThat(written).containsExactly(1, 1, 1);
    }

    /**
     * Submits "first", whose write is held open, then the items one after another, each once the
     * one before is queued; then lets the first write end. Returns the callers' results in that order.
     */
    private List<Future<String>> queuedBehindAWrite(
            GroupCommit<String, String, String> commit, ExecutorService callers, String... items) {
        List<Future<String>> results = new ArrayList<>();
        results.add(callers.submit(() -> commit.submit("tenant", "first")));
        await().until(() -> batches.size() == 1);
        for (String item : items) {
            results.add(callers.submit(() -> commit.submit("tenant", item)));
            awaitQueued(results.size() - 1);
        }
        firstBatchMayEnd.countDown();
        return results;
    }

    private void awaitRelease() {
        try {
            firstBatchMayEnd.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Waits until {@code count} callers have queued and wait for their turn (platform threads, so their stacks can be seen). */
    private static void awaitQueued(int count) {
        await().atMost(Duration.ofSeconds(10))
                .until(() -> Thread.getAllStackTraces().values().stream()
                                .filter(stack -> List.of(stack).stream()
                                        .anyMatch(frame -> frame.getClassName().equals(GroupCommit.class.getName())))
                                .filter(stack -> List.of(stack).stream()
                                        .anyMatch(frame ->
                                                frame.getClassName().equals(CompletableFuture.class.getName())))
                                .count()
                        >= count);
    }
}
