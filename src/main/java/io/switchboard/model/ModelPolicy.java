package io.switchboard.model;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.stream.Stream;

/** Which models answer for a tenant: the primary, then fallbacks in order. */
public record ModelPolicy(@NotNull @Valid ModelRef primary, @Size(max = 5) List<@NotNull @Valid ModelRef> fallbacks) {

    public ModelPolicy {
        fallbacks = fallbacks == null ? List.of() : List.copyOf(fallbacks);
    }

    public static ModelPolicy of(ModelRef primary) {
        return new ModelPolicy(primary, List.of());
    }

    /** The models to try, in order. */
    public List<ModelRef> candidates() {
        return Stream.concat(Stream.of(primary), fallbacks.stream()).toList();
    }
}
