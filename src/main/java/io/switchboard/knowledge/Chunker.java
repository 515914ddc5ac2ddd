package io.switchboard.knowledge;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a markdown article into passages that follow its structure: a passage never spans two
 * sections, paragraphs and lists stay whole where they fit, and each passage knows its heading
 * path ("Cancellations › Strict") so it reads well on its own and in a citation.
 */
final class Chunker {

    /** Passages grow by whole paragraphs up to about this size ... */
    static final int TARGET_CHARS = 700;
    /** ... and a single paragraph longer than this is split at sentence ends. */
    static final int MAX_CHARS = 1000;

    record Piece(int ordinal, String heading, String text) {}

    private Chunker() {}

    static List<Piece> chunk(String title, String markdown) {
        List<Piece> pieces = new ArrayList<>();
        String[] headings = new String[7];
        StringBuilder section = new StringBuilder();
        String sectionHeading = "";
        for (String line : markdown.replace("\r\n", "\n").split("\n")) {
            int level = headingLevel(line);
            if (level > 0) {
                addSection(pieces, sectionHeading, section.toString());
                section.setLength(0);
                headings[level] = line.substring(level).strip();
                for (int deeper = level + 1; deeper < headings.length; deeper++) {
                    headings[deeper] = null;
                }
                sectionHeading = headingPath(title, headings);
            } else {
                section.append(line).append('\n');
            }
        }
        addSection(pieces, sectionHeading, section.toString());
        return pieces;
    }

    private static int headingLevel(String line) {
        int level = 0;
        while (level < line.length() && level < 6 && line.charAt(level) == '#') {
            level++;
        }
        return level > 0 && line.length() > level && line.charAt(level) == ' ' ? level : 0;
    }

    private static String headingPath(String title, String[] headings) {
        List<String> path = new ArrayList<>();
        for (String heading : headings) {
            if (heading != null && !heading.isEmpty() && !heading.equalsIgnoreCase(title)) {
                path.add(heading);
            }
        }
        return String.join(" › ", path);
    }

    private static void addSection(List<Piece> pieces, String heading, String text) {
        StringBuilder current = new StringBuilder();
        for (String paragraph : paragraphs(text)) {
            if (!current.isEmpty() && current.length() + paragraph.length() > TARGET_CHARS) {
                pieces.add(new Piece(pieces.size(), heading, current.toString().strip()));
                current.setLength(0);
            }
            current.append(paragraph).append("\n\n");
        }
        if (!current.toString().isBlank()) {
            pieces.add(new Piece(pieces.size(), heading, current.toString().strip()));
        }
    }

    /** Blank-line separated blocks, with any block over {@link #MAX_CHARS} cut at sentence ends. */
    private static List<String> paragraphs(String text) {
        List<String> paragraphs = new ArrayList<>();
        for (String block : text.split("\n\\s*\n")) {
            String paragraph = block.strip();
            while (paragraph.length() > MAX_CHARS) {
                int cut = paragraph.lastIndexOf(". ", MAX_CHARS);
                cut = cut < MAX_CHARS / 3 ? MAX_CHARS : cut + 1;
                paragraphs.add(paragraph.substring(0, cut).strip());
                paragraph = paragraph.substring(cut).strip();
            }
            if (!paragraph.isEmpty()) {
                paragraphs.add(paragraph);
            }
        }
        return paragraphs;
    }
}
