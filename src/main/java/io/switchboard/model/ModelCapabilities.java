package io.switchboard.model;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * What each catalogue model can do beyond text, for routing: what its provider can pass at most
 * (an in-process model never sees images), narrowed by its last capability probe. Read on the
 * event loop for every request that needs a capability, so the probes' findings are held in
 * memory: read at startup, again at once on the replica that probed, and in the background when
 * older than {@link #REREAD} (another replica's probe).
 */
@Singleton
public class ModelCapabilities {

    private static final Logger LOG = Logger.getLogger(ModelCapabilities.class);

    /** The longest a replica routes on probe findings it read, should another replica have probed since. */
    static final Duration REREAD = Duration.ofSeconds(30);

    /** Probe findings as read when a read started (nanoTime), so an older read never replaces a newer one. */
    private record Recorded(Map<ModelRef, Capabilities> byModel, long readStartedAt) {}

    /** One candidate that cannot answer a request, and the capabilities it lacks. */
    public record Lacking(ModelRef model, Set<Capabilities.Need> needs) {

        /** "`stub/a` does not call tools and does not accept images". */
        public String describe() {
            return "`" + model + "` "
                    + needs.stream().map(Capabilities.Need::lacking).collect(Collectors.joining(" and "));
        }
    }

    private final ModelCatalog catalog;
    private final ModelProbeRepository probes;
    private final AtomicBoolean rereading = new AtomicBoolean();
    private volatile Recorded recorded = new Recorded(Map.of(), System.nanoTime() - REREAD.toNanos() - 1);

    public ModelCapabilities(ModelCatalog catalog, ModelProbeRepository probes) {
        this.catalog = catalog;
        this.probes = probes;
    }

    void readAtStartup(@Observes StartupEvent started) {
        reread();
    }

    /** What the model can do; all false for a model not in the catalogue. */
    public Capabilities of(ModelRef ref) {
        return catalog.endpoint(ref.endpoint())
                .map(endpoint -> catalog.ceiling(endpoint).narrowedBy(recorded().get(ref)))
                .orElse(new Capabilities(false, false, false, false));
    }

    /** The capabilities the model lacks of those needed; empty when it may answer. */
    public Set<Capabilities.Need> lacking(ModelRef ref, Set<Capabilities.Need> needs) {
        if (needs.isEmpty()) {
            return Set.of();
        }
        Capabilities capabilities = of(ref);
        Set<Capabilities.Need> lacking = EnumSet.noneOf(Capabilities.Need.class);
        needs.stream().filter(need -> !capabilities.allows(need)).forEach(lacking::add);
        return lacking;
    }

    /**
     * When no candidate has every capability the request needs: each candidate with what it lacks;
     * empty when one may answer (the router then skips the others).
     */
    public Optional<List<Lacking>> noneCapable(List<ModelRef> candidates, Set<Capabilities.Need> needs) {
        if (needs.isEmpty()) {
            return Optional.empty();
        }
        List<Lacking> lacking = candidates.stream()
                .map(ref -> new Lacking(ref, lacking(ref, needs)))
                .toList();
        return lacking.stream().anyMatch(candidate -> candidate.needs().isEmpty())
                ? Optional.empty()
                : Optional.of(lacking);
    }

    /** A probe on this replica stored its findings: they are routed on at once, without waiting for the next read. */
    void probed() {
        reread();
    }

    private Map<ModelRef, Capabilities> recorded() {
        Recorded now = recorded;
        if (System.nanoTime() - now.readStartedAt() > REREAD.toNanos() && rereading.compareAndSet(false, true)) {
            // The caller may be an event loop: it routes on what is known while a virtual thread reads the rest.
            Thread.ofVirtual().name("model-capabilities").start(() -> {
                try {
                    reread();
                } finally {
                    rereading.set(false);
                }
            });
        }
        return now.byModel();
    }

    private void reread() {
        long started = System.nanoTime();
        Map<ModelRef, Capabilities> read = null;
        try {
            read = Map.copyOf(probes.capabilities());
        } catch (RuntimeException failed) {
            LOG.warnf("Model capabilities could not be read, routing on those read before: %s", failed.getMessage());
        }
        synchronized (this) {
            if (started - recorded.readStartedAt() > 0) {
                // After a failed read, what was known stands for another REREAD rather than being read on every
                // request.
                recorded = new Recorded(read != null ? read : recorded.byModel(), started);
            }
        }
    }
}
