package io.switchboard.model;

import java.util.Locale;

/**
 * What a model can do beyond chat text: call tools, answer in JSON mode ({@code response_format}),
 * accept image content parts, and embed text ({@code /embeddings}). Each is true, false, or null
 * when not known (never probed for it).
 */
public record Capabilities(Boolean tools, Boolean jsonMode, Boolean images, Boolean embeddings) {

    public static final Capabilities UNKNOWN = new Capabilities(null, null, null, null);

    /** What a probe of the chat capabilities alone found: embedding not known. */
    public Capabilities(Boolean tools, Boolean jsonMode, Boolean images) {
        this(tools, jsonMode, images, null);
    }

    /** A capability a request needs, with the request field that needs it and what a model lacking it does not do. */
    public enum Need {
        TOOLS("tools", "does not call tools"),
        JSON_MODE("response_format", "does not answer in JSON mode"),
        IMAGES("messages", "does not accept images");

        private final String field;
        private final String lacking;

        Need(String field, String lacking) {
            this.field = field;
            this.lacking = lacking;
        }

        /** The request field that asks for it, as the wire spells it. */
        public String field() {
            return field;
        }

        /** How a refusal says a model lacks it: "does not call tools". */
        public String lacking() {
            return lacking;
        }

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What is known of one capability: true, false or null. */
    public Boolean known(Need need) {
        return switch (need) {
            case TOOLS -> tools;
            case JSON_MODE -> jsonMode;
            case IMAGES -> images;
        };
    }

    /**
     * Whether a request that needs it may go to the model. Unknown counts as yes: an endpoint the
     * operator configured and never probed answered tool requests before probes recorded anything,
     * and a tenant expects it still to; should it lack the capability, its own 400 reaches the caller
     * (or the next fallback answers), as any OpenAI-compatible proxy behaves.
     */
    public boolean allows(Need need) {
        return !Boolean.FALSE.equals(known(need));
    }

    /** Whether an embeddings request may go to the model: unknown counts as yes, as for {@link #allows}. */
    public boolean allowsEmbeddings() {
        return !Boolean.FALSE.equals(embeddings);
    }

    /** The same, with what an embeddings check found. */
    Capabilities withEmbeddings(Boolean found) {
        return new Capabilities(tools, jsonMode, images, found);
    }

    /** This ceiling (what a provider can pass at most) narrowed by what a probe found: false stays false. */
    Capabilities narrowedBy(Capabilities probed) {
        Capabilities found = probed == null ? UNKNOWN : probed;
        return new Capabilities(
                narrow(tools, found.tools),
                narrow(jsonMode, found.jsonMode),
                narrow(images, found.images),
                narrow(embeddings, found.embeddings));
    }

    /** What a provider that is not asked over HTTP can do: everything its ceiling does not rule out. */
    Capabilities assumingUnknownHolds() {
        return new Capabilities(
                !Boolean.FALSE.equals(tools),
                !Boolean.FALSE.equals(jsonMode),
                !Boolean.FALSE.equals(images),
                !Boolean.FALSE.equals(embeddings));
    }

    private static Boolean narrow(Boolean ceiling, Boolean probed) {
        return Boolean.FALSE.equals(ceiling) ? Boolean.FALSE : probed;
    }
}
