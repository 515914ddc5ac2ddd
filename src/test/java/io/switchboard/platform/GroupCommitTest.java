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
        return new GroupCommit<>(3, batch -> {
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
        }, written::add);
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
            Future<String> first = callers.submit(() -> commit.submit("tenant", "first"));
            await().until(() -> batches.size() == 1);
            List<Future<String>> later = new ArrayList<>();
            for (String item : List.of("a", "b", "c", "d", "e")) {
                later.add(callers.submit(() -> commit.submit("tenant", item)));
            }
            awaitQueued(later.size());
            firstBatchMayEnd.countDown();

            assertThat(first.get()).isEqualTo("stored first");
            List<String> results = new ArrayList<>();
            for (Future<String> each : later) {
                results.add(each.get());
            }
            assertThat(results).containsExactly("stored a", "stored b", "stored c", "stored d", "stored e");
        }
        // Five waiting callers, at most three per batch: two batches after the first.
        assertThat(written).containsExactly(1, 3, 2);
        assertThat(batches.subList(1, 3).stream().flatMap(List::stream)).containsExactlyInAnyOrder("a", "b", "c", "d", "e");
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
            Future<String> first = callers.submit(() -> commit.submit("tenant", "first"));
            await().until(() -> batches.size() == 1);
            Future<String> before = callers.submit(() -> commit.submit("tenant", "before"));
            awaitQueued(1);
            Future<String> closed = callers.submit(() -> commit.submit("tenant", "closed"));
            awaitQueued(2);
            Future<String> after = callers.submit(() -> commit.submit("tenant", "after"));
            awaitQueued(3);
            firstBatchMayEnd.countDown();

            assertThat(first.get()).isEqualTo("stored first");
            assertThat(before.get()).isEqualTo("stored before");
            assertThat(after.get()).isEqualTo("stored after");
            assertThatThrownBy(closed::get).hasCauseInstanceOf(IllegalArgumentException.class)
                    .hasRootCauseMessage("This conversation is closed");
        }
        assertThat(batches).containsExactly(List.of("first"), List.of("before", "closed", "after"));
    }

    @Test
    void aBatchThatFailsIsWrittenAgainItemByItemSoOnlyTheFaultyItemFails() throws Exception {
        GroupCommit<String, String, String> commit = groupCommit(item -> GroupCommit.Outcome.of("stored " + item));
        try (ExecutorService callers = Executors.newCachedThreadPool()) {
            Future<String> first = callers.submit(() -> commit.submit("tenant", "first"));
            await().until(() -> batches.size() == 1);
            Future<String> before = callers.submit(() -> commit.submit("tenant", "before"));
            awaitQueued(1);
            Future<String> faulty = callers.submit(() -> commit.submit("tenant", "breaks the batch"));
            awaitQueued(2);
            Future<String> after = callers.submit(() -> commit.submit("tenant", "after"));
            awaitQueued(3);
            firstBatchMayEnd.countDown();

            assertThat(first.get()).isEqualTo("stored first");
            assertThat(before.get()).isEqualTo("stored before");
            assertThat(after.get()).isEqualTo("stored after");
            assertThatThrownBy(faulty::get).hasRootCauseMessage("This item cannot be written");
        }
        assertThat(batches).containsExactly(List.of("first"), List.of("before", "breaks the batch", "after"),
                List.of("before"), List.of("breaks the batch"), List.of("after"));
        assertThat(written).containsExactly(1, 1, 1);
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
        await().atMost(Duration.ofSeconds(10)).until(() -> Thread.getAllStackTraces().values().stream()
                .filter(stack -> List.of(stack).stream().anyMatch(frame -> frame.getClassName().equals(GroupCommit.class.getName())))
                .filter(stack -> List.of(stack).stream().anyMatch(frame -> frame.getClassName().equals(CompletableFuture.class.getName())))
                .count() >= count);
    }
}
