package io.switchboard.model;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Puts a message's tool calls together from the fragments a server streams: the first fragment of
 * a call names it (id, function), later ones append to its arguments, matched by the call's index,
 * so parallel calls may come one after the other or interleaved. One per call of a provider, used
 * on its event loop only.
 */
final class ToolCallAssembly {

    /** A call as far as its fragments went. */
    private static final class Partial {
        String id;
        String name;
        final StringBuilder arguments = new StringBuilder();
    }

    private final Map<Integer, Partial> calls = new TreeMap<>();

    void add(List<StreamChunk.ToolCallFragment> fragments) {
        for (StreamChunk.ToolCallFragment fragment : fragments) {
            Partial call = calls.computeIfAbsent(fragment.index(), index -> new Partial());
            if (call.id == null) {
                call.id = fragment.id();
            }
            if (call.name == null) {
                call.name = fragment.name();
            }
            if (fragment.arguments() != null) {
                call.arguments.append(fragment.arguments());
            }
        }
    }

    /**
     * The calls in index order. A server that gave a call no id (some llama.cpp builds) gets one
     * made from its index, as the tool's result must answer to one; a call without a name stays
     * nameless for whoever runs it to refuse.
     */
    List<ToolCall> calls() {
        return calls.entrySet().stream()
                .map(entry -> new ToolCall(
                        entry.getValue().id == null || entry.getValue().id.isEmpty()
                                ? "call_" + entry.getKey()
                                : entry.getValue().id,
                        entry.getValue().name == null ? "" : entry.getValue().name,
                        entry.getValue().arguments.toString()))
                .toList();
    }
}
