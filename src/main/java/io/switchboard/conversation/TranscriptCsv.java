package io.switchboard.conversation;

import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A transcript as CSV (RFC 4180), one message per row with its provenance. Cells that a
 * spreadsheet would run as a formula (starting with = + - @ or a tab) are prefixed with an
 * apostrophe: a customer's message must not become code on the tenant's computer. A carriage
 * return counts too, since spreadsheets skip it and read what follows as the cell.
 */
public final class TranscriptCsv {

    static final String HEADER =
            "conversation,seq,created_at,role,author,text,model,provider,input_tokens,output_tokens,cost_usd,latency_ms,channel";

    private TranscriptCsv() {}

    public static String of(Transcript transcript) {
        String conversation = String.valueOf(transcript.conversation().number());
        String channel = transcript.conversation().channel().type();
        return Stream.concat(
                        Stream.of(HEADER),
                        transcript.messages().stream()
                                .map(message -> Stream.of(
                                                conversation,
                                                String.valueOf(message.seq()),
                                                String.valueOf(message.createdAt()),
                                                message.role().wireName(),
                                                message.author(),
                                                message.text(),
                                                message.model(),
                                                message.provider(),
                                                message.inputTokens(),
                                                message.outputTokens(),
                                                message.costUsd(),
                                                message.latencyMillis(),
                                                channel)
                                        .map(TranscriptCsv::cell)
                                        .collect(Collectors.joining(","))))
                .collect(Collectors.joining("\r\n", "", "\r\n"));
    }

    private static String cell(Object value) {
        String text = Objects.toString(value, "");
        if (!text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0) {
            text = "'" + text;
        }
        if (text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r")) {
            return "\"" + text.replace("\"", "\"\"") + "\"";
        }
        return text;
    }
}
