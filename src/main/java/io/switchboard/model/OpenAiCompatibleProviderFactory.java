package io.switchboard.model;

import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;

/** Any server speaking the OpenAI chat-completions API: vLLM, SGLang, Ollama, llama.cpp, hosted routers. */
@ApplicationScoped
public class OpenAiCompatibleProviderFactory implements ModelProviderFactory {

    public static final String ID = "openai-compatible";

    private final Vertx vertx;

    public OpenAiCompatibleProviderFactory(Vertx vertx) {
        this.vertx = vertx;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public void validate(ModelEndpoint endpoint) {
        String prefix = "switchboard.model.endpoints." + endpoint.id();
        String baseUrl =
                endpoint.baseUrl().orElseThrow(() -> new IllegalArgumentException(prefix + ".base-url is required"));
        URI uri;
        try {
            uri = URI.create(baseUrl);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(prefix + ".base-url is not a URL: " + baseUrl);
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException(prefix + ".base-url must be an http(s) URL: " + baseUrl);
        }
    }

    @Override
    public ModelProvider create(ModelEndpoint endpoint) {
        return new OpenAiCompatibleProvider(endpoint, vertx);
    }

    @Override
    public boolean callsTools() {
        return true;
    }

    /** The caller's body reaches the model as sent: what each model does with it is for its probe to find. */
    @Override
    public Capabilities capabilities() {
        return Capabilities.UNKNOWN;
    }
}
