package io.switchboard.model;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.impl.VertxInternal;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Starts asynchronous model work on an event loop. A model call must never need a worker thread
 * to make progress: the workers of a busy replica may all be waiting for model answers (one per
 * customer turn), and a completion queued behind them would never run. SmallRye Fault
 * Tolerance, for one, delivers a guarded call's completion on the caller's executor, which for a
 * worker thread is the worker pool; started on an event loop, it delivers on that loop.
 */
final class EventLoops {

    private EventLoops() {}

    /** Runs {@code work} on the calling event loop, or on one of Vert.x's when the caller is not on one. */
    static <T> CompletableFuture<T> start(Vertx vertx, Supplier<CompletableFuture<T>> work) {
        if (Context.isOnEventLoopThread()) {
            return work.get();
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        eventLoop(vertx)
                .runOnContext(ignored -> work.get().whenComplete((value, failure) -> {
                    if (failure == null) {
                        result.complete(value);
                    } else {
                        result.completeExceptionally(failure);
                    }
                }));
        return result;
    }

    /** The caller's event-loop context when there is one; otherwise a new context on one of Vert.x's event loops. */
    static Context eventLoop(Vertx vertx) {
        Context current = Vertx.currentContext();
        return current != null && current.isEventLoopContext()
                ? current
                : ((VertxInternal) vertx).createEventLoopContext();
    }
}
