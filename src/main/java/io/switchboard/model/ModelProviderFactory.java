package io.switchboard.model;

/**
 * Creates providers of one kind (Keycloak's SPI shape): discovered through CDI, selected by
 * {@link #id()} from the endpoint's {@code provider} setting.
 */
public interface ModelProviderFactory {

    /** The id endpoints name in their {@code provider} setting, e.g. {@code openai-compatible}. */
    String id();

    /** Checks the endpoint's settings; throws {@link IllegalArgumentException} with what is missing. */
    void validate(ModelEndpoint endpoint);

    ModelProvider create(ModelEndpoint endpoint);

    /** Whether its providers pass tools and tool results to the model and return its tool calls. */
    default boolean callsTools() {
        return false;
    }

    /**
     * The most its providers can give any model beyond text: false where they cannot, null where
     * each model's probe decides. By default tools only when {@link #callsTools()}, and neither JSON
     * mode nor images, which only a provider passing the caller's OpenAI body through can carry,
     * nor embeddings, which only a provider forwarding them to a server can give.
     */
    default Capabilities capabilities() {
        return new Capabilities(callsTools() ? null : false, false, false, false);
    }
}
