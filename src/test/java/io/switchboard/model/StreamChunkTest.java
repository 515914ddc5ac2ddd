package io.switchboard.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The chunks servers really stream (vLLM, Ollama, llama.cpp, hosted routers) read to the same text, finish and usage. */
class StreamChunkTest {

    @Test
    void readsTheDeltaOfTheFirstChoiceAndSkipsWhatItDoesNotNeed() throws IOException {
        StreamChunk chunk = read("""
                {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"qwen",
                 "choices":[{"index":0,"delta":{"role":"assistant","content":"Bon\\u00e9 \\"day\\"","tool_calls":[{"id":"x","function":{"arguments":"{}"}}]},
                 "logprobs":{"content":[{"token":"a","logprob":-0.1,"top_logprobs":[]}]},"finish_reason":null,"stop_reason":null},
                 {"index":1,"delta":{"content":"second choice"},"finish_reason":"stop"}],"usage":null}""");

        assertThat(chunk.content()).isEqualTo("Boné \"day\"");
        assertThat(chunk.finishReason()).isNull();
        assertThat(chunk.hasUsage()).isFalse();
    }

    @Test
    void tellsAToolCallFragmentFromADeltaWithoutOne() throws IOException {
        assertThat(read("""
                        {"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\\"q"}}]},
                         "finish_reason":null}]}""").toolCalls()).isTrue();
        assertThat(read("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\",\"tool_calls\":[]}}]}")
                        .toolCalls())
                .isFalse();
        StreamChunk whole = read("""
                {"choices":[{"index":0,"message":{"role":"assistant","content":null,
                 "tool_calls":[{"id":"call_1","type":"function","function":{"name":"f","arguments":"{}"}}]},
                 "finish_reason":"tool_calls"}]}""");
        assertThat(whole.toolCalls()).isTrue();
        assertThat(whole.content()).isNull();
        assertThat(whole.finishReason()).isEqualTo("tool_calls");
    }

    @Test
    void readsEachToolCallFragmentByItsIndexAndAWholeMessagesCallsByTheirPosition() throws IOException {
        StreamChunk opening = read("""
                {"choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"id":"call_b","type":"function",
                 "function":{"name":"track_parcel","arguments":""}}]},"finish_reason":null}]}""");
        StreamChunk piece = read("""
                {"choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"function":{"arguments":"{\\"q"}}]}}]}""");
        StreamChunk whole = read("""
                {"choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[
                 {"id":"call_1","type":"function","function":{"name":"f","arguments":"{}"}},
                 {"id":"call_2","type":"function","function":{"name":"g","arguments":"{\\"a\\":1}"}}]},
                 "finish_reason":"tool_calls"}]}""");

        assertThat(opening.toolCallFragments())
                .containsExactly(new StreamChunk.ToolCallFragment(1, "call_b", "track_parcel", ""));
        assertThat(piece.toolCallFragments()).containsExactly(new StreamChunk.ToolCallFragment(1, null, null, "{\"q"));
        assertThat(whole.toolCallFragments())
                .containsExactly(
                        new StreamChunk.ToolCallFragment(0, "call_1", "f", "{}"),
                        new StreamChunk.ToolCallFragment(1, "call_2", "g", "{\"a\":1}"));
        assertThat(read("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"}}]}")
                        .toolCallFragments())
                .isEmpty();
    }

    @Test
    void readsTheFinishReasonAndTheUsageChunk() throws IOException {
        assertThat(read("{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"length\"}]}")
                        .finishReason())
                .isEqualTo("length");

        StreamChunk usage =
                read("{\"choices\":[],\"usage\":{\"prompt_tokens\":42,\"completion_tokens\":7,\"total_tokens\":49,"
                        + "\"prompt_tokens_details\":{\"cached_tokens\":0}}}");

        assertThat(usage.content()).isNull();
        assertThat(usage.hasUsage()).isTrue();
        assertThat(usage.promptTokens()).isEqualTo(42);
        assertThat(usage.completionTokens()).isEqualTo(7);
    }

    @Test
    void readsAWholeCompletionAsOneChunkWithItsMessageUsageAndFinishReason() throws IOException {
        StreamChunk whole = read("""
                {"id":"chatcmpl-2","object":"chat.completion","created":1,"model":"qwen",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"Check-in is at 3 pm.","reasoning_content":null,
                 "tool_calls":[]},"logprobs":null,"finish_reason":"stop","stop_reason":null}],
                 "usage":{"prompt_tokens":31,"total_tokens":40,"completion_tokens":9},"prompt_logprobs":null}""");

        assertThat(whole.content()).isEqualTo("Check-in is at 3 pm.");
        assertThat(whole.finishReason()).isEqualTo("stop");
        assertThat(whole.promptTokens()).isEqualTo(31);
        assertThat(whole.completionTokens()).isEqualTo(9);
    }

    @Test
    void usageThatIsNotAWholeNumberCountsAsNotReported() throws IOException {
        StreamChunk usage = read("{\"usage\":{\"prompt_tokens\":\"42\",\"completion_tokens\":7.5}}");

        assertThat(usage.hasUsage()).isTrue();
        assertThat(usage.promptTokens()).isNull();
        assertThat(usage.completionTokens()).isNull();
    }

    @Test
    void readsOnlyTheGivenRangeOfTheLine() throws IOException {
        byte[] line = "data: {\"choices\":[{\"delta\":{\"content\":\"hi\"}}]}\r".getBytes(StandardCharsets.UTF_8);

        assertThat(StreamChunk.read(line, 6, line.length - 7).content()).isEqualTo("hi");
    }

    @Test
    void readsEveryChoiceWithItsIndex() throws IOException {
        StreamChunk whole = read("""
                {"choices":[{"index":0,"message":{"content":"first"},"finish_reason":"stop"},
                 {"index":1,"message":{"content":"second"},"finish_reason":"length"}]}""");

        assertThat(whole.choices())
                .containsExactly(
                        new StreamChunk.Choice(0, "first", false, "stop", List.of()),
                        new StreamChunk.Choice(1, "second", false, "length", List.of()));
        assertThat(read("{\"choices\":[{\"index\":2,\"delta\":{\"content\":\"x\"}}]}")
                        .choices())
                .containsExactly(new StreamChunk.Choice(2, "x", false, null, List.of()));
    }

    /** Where the model's name is, within the range read, so a proxy can put another there without parsing again. */
    @Test
    void saysWhereTheTopLevelModelIsInTheRangeRead() throws IOException {
        String json = "{\"id\":\"c\",\"model\":\"qw\\\"en\",\"choices\":[{\"delta\":{\"model\":\"inner\"}}]}";
        byte[] line = ("data: " + json + "\r").getBytes(StandardCharsets.UTF_8);

        StreamChunk chunk = StreamChunk.read(line, 6, line.length - 7);

        assertThat(json.substring(chunk.modelStart(), chunk.modelEnd())).isEqualTo("\"qw\\\"en\"");
        assertThat(read("{\"choices\":[]}").modelStart()).isEqualTo(-1);
    }

    @Test
    void refusesWhatIsNotOneCompleteJsonObject() {
        assertThatThrownBy(() -> read("{\"choices\":[{\"delta\":{\"content\":\"cut"))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> read("[1,2]")).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> read("{\"choices\":[]} {}")).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> read("not json")).isInstanceOf(IOException.class);
    }

    private static StreamChunk read(String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        return StreamChunk.read(bytes, 0, bytes.length);
    }
}
