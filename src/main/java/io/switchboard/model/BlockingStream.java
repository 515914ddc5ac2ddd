package io.switchboard.model;

import io.vertx.core.Context;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Function;

/**
 * Waits on an asynchronous model call from a worker thread. The fragments are handed over to the
 * waiting thread and given to its sink there: a sink that blocks (a WebSocket send) never holds
 * the event loop the answer streams on.
 */
final class BlockingStream {

    private static final Object END = new Object();

    private BlockingStream() {}

    /**
     * Runs the call and relays its fragments to {@code sink} on this thread. A sink that fails (the
     * customer went away) gets nothing more, but the answer is still awaited so it can be stored.
     */
    static <T> T await(ModelProvider.TokenSink sink, Function<ModelProvider.TokenSink, CompletableFuture<T>> call)
            throws ModelFailure {
        if (Context.isOnEventLoopThread()) {
            throw new IllegalStateException("A model call must not be awaited on an event loop");
        }
        LinkedBlockingQueue<Object> events = new LinkedBlockingQueue<>();
        CompletableFuture<T> done = call.apply(events::add);
        done.whenComplete((result, failure) -> events.add(END));
        boolean listening = true;
        try {
            for (Object event = events.take(); event != END; event = events.take()) {
                if (listening) {
                    try {
                        sink.accept((String) event);
                    } catch (RuntimeException customerGone) {
                        listening = false;
                    }
                }
            }
            return done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelFailure(ModelFailure.Reason.INTERRUPTED, "Interrupted while waiting for the model");
        } catch (ExecutionException e) {
            throw ModelFailure.from(e.getCause());
        }
    }
}
