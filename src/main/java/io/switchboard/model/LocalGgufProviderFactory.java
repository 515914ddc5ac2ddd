package io.switchboard.model;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Open-weight models in GGUF files, run inside the JVM by llama.cpp: for a tenant whose data may
 * not leave the replica, or an operator without a model server. The file is loaded the first time
 * a tenant's turn needs it and stays loaded until shutdown.
 */
@ApplicationScoped
public class LocalGgufProviderFactory implements ModelProviderFactory {

    public static final String ID = "local-gguf";

    private final List<LocalGgufProvider> loaded = new CopyOnWriteArrayList<>();

    @Override
    public String id() {
        return ID;
    }

    @Override
    public void validate(ModelEndpoint endpoint) {
        String prefix = "switchboard.model.endpoints." + endpoint.id();
        ModelEndpoint.LocalModel local = endpoint.local()
                .orElseThrow(() -> new IllegalArgumentException(prefix + ".model-file is required for provider " + ID));
        if (endpoint.baseUrl().isPresent()) {
            throw new IllegalArgumentException(
                    prefix + ".base-url does not apply to provider " + ID + "; it reads model-file");
        }
        if (!"self-hosted".equals(endpoint.kind())) {
            throw new IllegalArgumentException(
                    prefix + ".kind must be self-hosted: the model runs inside this replica");
        }
        if (local.workers() < 1 || local.contextSize() < 256 || local.threads() < 1) {
            throw new IllegalArgumentException(
                    prefix + ": workers and threads must be at least 1 and context-size at least 256");
        }
    }

    @Override
    public ModelProvider create(ModelEndpoint endpoint) {
        LocalGgufProvider provider = LocalGgufProvider.load(endpoint);
        loaded.add(provider);
        return provider;
    }

    @PreDestroy
    void unload() {
        loaded.forEach(LocalGgufProvider::close);
        loaded.clear();
    }
}
