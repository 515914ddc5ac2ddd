package io.switchboard.model;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaIterator;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.LlamaOutput;
import de.kherud.llama.ModelParameters;
import de.kherud.llama.Pair;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * One GGUF model inside the JVM. llama.cpp runs {@code workers} generations at once, each in its
 * own slot of the context; a turn that finds every worker busy waits for one up to the endpoint's
 * first-token timeout and then fails over like a slow server would. Usage is counted as llama.cpp
 * sees it, so metering and budgets hold as for any other endpoint: the prompt by the model's own
 * tokenizer, the answer by the pieces it streams (one per token; a character whose bytes span
 * several tokens arrives, and counts, once).
 */
final class LocalGgufProvider implements ModelProvider, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LocalGgufProvider.class);
    /** Stops a generation that overruns its timeout from outside the generating thread. */
    private static final ScheduledExecutorService DEADLINES = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "local-gguf-deadlines");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * Runs generations for callers that must not block (the OpenAI-compatible endpoint on its event
     * loop). Platform threads: a generation sits in native code, which would pin a virtual thread's carrier.
     */
    private static final ExecutorService GENERATORS = Executors.newCachedThreadPool(
            Thread.ofPlatform().name("local-gguf-", 0).daemon().factory());

    /**
     * A request without an output limit may fill this share of the worker's context: llama.cpp
     * would otherwise generate until the model stops, however long that takes.
     */
    private static final int DEFAULT_OUTPUT_SHARE = 4;

    private final ModelEndpoint endpoint;
    private final ModelEndpoint.LocalModel local;
    private final Semaphore workers;
    private LlamaModel model;

    private LocalGgufProvider(ModelEndpoint endpoint) {
        this.endpoint = endpoint;
        this.local = endpoint.local().orElseThrow();
        this.workers = new Semaphore(local.workers(), true);
    }

    static LocalGgufProvider load(ModelEndpoint endpoint) {
        LocalGgufProvider provider = new LocalGgufProvider(endpoint);
        try {
            provider.loaded();
        } catch (ModelFailure failure) {
            // Logged in loaded(); the next turn tries again, so a file put in place later is picked up.
        }
        return provider;
    }

    @Override
    public CompletableFuture<ModelReply> stream(ModelRequest request, TokenSink sink) {
        CompletableFuture<ModelReply> done = new CompletableFuture<>();
        GENERATORS.execute(() -> {
            try {
                done.complete(chat(request, sink));
            } catch (ModelFailure | RuntimeException failure) {
                done.completeExceptionally(failure);
            }
        });
        return done;
    }

    /** Generates on the calling thread, which waits for a free worker first. */
    @Override
    public ModelReply chat(ModelRequest request, TokenSink sink) throws ModelFailure {
        long started = System.nanoTime();
        LlamaModel llama = loaded();
        acquireWorker(started);
        try {
            return generate(llama, request, sink, started);
        } finally {
            workers.release();
        }
    }

    private ModelReply generate(LlamaModel llama, ModelRequest request, TokenSink sink, long started)
            throws ModelFailure {
        String prompt = llama.applyTemplate(chatParameters(request));
        int outputLimit = request.maxOutputTokens() != null
                ? request.maxOutputTokens()
                : local.contextSize() / DEFAULT_OUTPUT_SHARE;
        InferenceParameters parameters =
                new InferenceParameters(prompt).setCachePrompt(true).setNPredict(outputLimit);
        local.seed().ifPresent(parameters::setSeed);
        StringBuilder text = new StringBuilder();
        int outputTokens = 0;
        long firstToken = 0;
        AtomicBoolean timedOut = new AtomicBoolean();
        LlamaIterator generation = llama.generate(parameters).iterator();
        Runnable stop = () -> {
            timedOut.set(true);
            generation.cancel();
        };
        ScheduledFuture<?> deadline = DEADLINES.schedule(
                stop, remainingNanos(started, endpoint.firstTokenTimeout().toNanos()), TimeUnit.NANOSECONDS);
        try {
            while (generation.hasNext()) {
                LlamaOutput output = generation.next();
                if (timedOut.get()) {
                    break;
                }
                if (output.text.isEmpty()) {
                    continue;
                }
                if (text.isEmpty()) {
                    firstToken = System.nanoTime();
                    // The first token arrived in time: from now on only the whole answer's limit applies.
                    deadline.cancel(false);
                    deadline = DEADLINES.schedule(
                            stop,
                            remainingNanos(started, endpoint.totalTimeout().toNanos()),
                            TimeUnit.NANOSECONDS);
                }
                text.append(output.text);
                outputTokens++;
                sink.accept(output.text);
            }
        } catch (RuntimeException generationFailed) {
            throw new ModelFailure(
                    ModelFailure.Reason.STREAM_CUT,
                    "The local model failed mid-answer: "
                            + generationFailed.getClass().getSimpleName(),
                    generationFailed);
        } finally {
            deadline.cancel(false);
        }
        if (timedOut.get()) {
            throw text.isEmpty()
                    ? new ModelFailure(
                            ModelFailure.Reason.FIRST_TOKEN_TIMEOUT,
                            "No token from the local model within " + endpoint.firstTokenTimeout())
                    : new ModelFailure(
                            ModelFailure.Reason.TOTAL_TIMEOUT,
                            "The local model did not finish within " + endpoint.totalTimeout());
        }
        if (text.isEmpty()) {
            throw new ModelFailure(ModelFailure.Reason.EMPTY_ANSWER, "The local model returned no text");
        }
        int inputTokens = llama.encode(prompt).length;
        boolean cutShort = outputTokens >= outputLimit;
        long done = System.nanoTime();
        return new ModelReply(
                text.toString(),
                inputTokens,
                outputTokens,
                (firstToken - started) / 1_000_000,
                (done - started) / 1_000_000,
                List.of(),
                true,
                cutShort);
    }

    /** The conversation in the model's own chat template (every GGUF of an instruction-tuned model carries one). */
    private static InferenceParameters chatParameters(ModelRequest request) {
        StringBuilder system = new StringBuilder();
        List<Pair<String, String>> turns = new ArrayList<>();
        for (ModelRequest.Turn turn : request.messages()) {
            if (turn.role() == ModelRequest.Role.SYSTEM) {
                system.append(system.isEmpty() ? "" : "\n\n").append(turn.text());
            } else {
                turns.add(new Pair<>(turn.role().name().toLowerCase(Locale.ROOT), turn.text()));
            }
        }
        return new InferenceParameters("").setMessages(system.toString(), turns).setUseChatTemplate(true);
    }

    private void acquireWorker(long started) throws ModelFailure {
        try {
            if (!workers.tryAcquire(
                    remainingNanos(started, endpoint.firstTokenTimeout().toNanos()), TimeUnit.NANOSECONDS)) {
                throw new ModelFailure(
                        ModelFailure.Reason.FIRST_TOKEN_TIMEOUT,
                        "All " + local.workers() + " workers of the local model stayed busy for "
                                + endpoint.firstTokenTimeout());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelFailure(
                    ModelFailure.Reason.INTERRUPTED, "Interrupted while waiting for a worker of the local model");
        }
    }

    private static long remainingNanos(long started, long limitNanos) {
        return Math.max(0, limitNanos - (System.nanoTime() - started));
    }

    private synchronized LlamaModel loaded() throws ModelFailure {
        if (model != null) {
            return model;
        }
        if (!Files.isReadable(local.file())) {
            LOG.errorf("endpoint=%s model file %s is missing or unreadable", endpoint.id(), local.file());
            throw new ModelFailure(
                    ModelFailure.Reason.NOT_CONFIGURED, "The model file of endpoint " + endpoint.id() + " is missing");
        }
        long started = System.nanoTime();
        try {
            model = new LlamaModel(new ModelParameters()
                    .setModel(local.file().toString())
                    .setParallel(local.workers())
                    // llama.cpp splits the context between its slots: each worker gets the configured size.
                    .setCtxSize(local.contextSize() * local.workers())
                    .setThreads(local.threads())
                    .setGpuLayers(0)
                    // Its server loop logs every request to stderr, text included; loading errors still surface as
                    // exceptions.
                    .disableLog());
        } catch (RuntimeException unloadable) {
            LOG.errorf(
                    "endpoint=%s model file %s could not be loaded: %s",
                    endpoint.id(), local.file(), unloadable.getMessage());
            throw new ModelFailure(
                    ModelFailure.Reason.NOT_CONFIGURED,
                    "The model file of endpoint " + endpoint.id() + " could not be loaded",
                    unloadable);
        }
        LOG.infof(
                "endpoint=%s loaded %s in %d ms (%d workers, %d context tokens each, %d threads)",
                endpoint.id(),
                local.file().getFileName(),
                (System.nanoTime() - started) / 1_000_000,
                local.workers(),
                local.contextSize(),
                local.threads());
        return model;
    }

    @Override
    public synchronized void close() {
        if (model != null) {
            model.close();
            model = null;
        }
    }
}
