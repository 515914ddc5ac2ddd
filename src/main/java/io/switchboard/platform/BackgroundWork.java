package io.switchboard.platform;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Runs blocking work that outlives the request that started it (a streamed turn after the SSE
 * response has begun). Virtual threads: the work mostly waits on the model and the database.
 * Nothing request-scoped is carried over; the work brings its own tenant scope.
 */
@ApplicationScoped
public class BackgroundWork {

    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    public void run(Runnable work) {
        executor.execute(work);
    }

    @PreDestroy
    void shutdown() {
        executor.close();
    }
}
