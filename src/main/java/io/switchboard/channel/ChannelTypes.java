package io.switchboard.channel;

import io.switchboard.platform.ProblemException;
import io.switchboard.platform.ProblemType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The channel types this build has, by id. */
@ApplicationScoped
class ChannelTypes {

    private final Map<String, ChannelType> byId;

    ChannelTypes(Instance<ChannelType> types) {
        this.byId = types.stream().collect(Collectors.toMap(ChannelType::id, Function.identity()));
    }

    Optional<ChannelType> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** A type tenants may add channels of; a clear 422 for one this build does not support. */
    ChannelType addable(String id) {
        return find(id).filter(type -> type.implicitName().isEmpty())
                .orElseThrow(() -> new ProblemException(
                        ProblemType.CHANNEL_TYPE_NOT_SUPPORTED,
                        "Channels of type '" + id + "' are not supported yet (supported: "
                                + String.join(", ", addableIds()) + ")"));
    }

    List<ChannelType> implicit() {
        return byId.values().stream()
                .filter(type -> type.implicitName().isPresent())
                .toList();
    }

    private List<String> addableIds() {
        return byId.values().stream()
                .filter(type -> type.implicitName().isEmpty())
                .map(ChannelType::id)
                .sorted()
                .toList();
    }
}
