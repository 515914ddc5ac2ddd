package io.switchboard.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Javadoc of configuration mappings' types and methods, read from their source files under
 * src/main/java (compiled classes keep none), with the order the methods are declared in.
 */
final class MappingJavadoc {

    /** What matters in an interface's source: Javadoc, what hides braces or semicolons, types, methods, braces. */
    private static final Pattern TOKENS = Pattern.compile(
            "(?<javadoc>/\\*\\*.*?\\*/)"
                    + "|/\\*.*?\\*/|//[^\\n]*|\"(?:[^\"\\\\\\n]|\\\\.)*\"|'(?:[^'\\\\\\n]|\\\\.)+'"
                    + "|\\binterface\\s+(?<type>\\w+)"
                    + "|(?<method>\\w+)\\s*\\(\\s*\\)\\s*;"
                    + "|(?<open>\\{)|(?<close>})",
            Pattern.DOTALL);

    private final Path sources;
    private final Set<String> read = new HashSet<>();
    private final Map<String, String> javadoc = new HashMap<>();
    private final Map<String, Integer> position = new HashMap<>();

    MappingJavadoc(Path sources) {
        this.sources = sources;
    }

    /** The method's Javadoc as Markdown. */
    Optional<String> of(Method method) {
        return Optional.ofNullable(javadoc.get(key(method)));
    }

    /** The type's Javadoc as Markdown. */
    Optional<String> of(Class<?> type) {
        return Optional.ofNullable(javadoc.get(qualified(type)));
    }

    /** Where the method is declared among the methods of its file. */
    int position(Method method) {
        return Objects.requireNonNull(
                position.get(key(method)), () -> "no declaration of " + key(method) + " in its source file");
    }

    private String key(Method method) {
        return qualified(method.getDeclaringClass()) + "#" + method.getName();
    }

    private String qualified(Class<?> type) {
        String binary = type.getName();
        String topLevel = binary.contains("$") ? binary.substring(0, binary.indexOf('$')) : binary;
        if (read.add(topLevel)) {
            Path file = sources.resolve(topLevel.replace('.', '/') + ".java");
            try {
                scan(Files.readString(file));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the source of " + topLevel, e);
            }
        }
        return binary.substring(type.getPackageName().length() + 1).replace('$', '.');
    }

    /** Records each Javadoc under the type or method it stands before, by the nesting of braces. */
    private void scan(String source) {
        List<String> enclosing = new ArrayList<>();
        String declared = null;
        String pending = null;
        Matcher token = TOKENS.matcher(source);
        while (token.find()) {
            if (token.group("javadoc") != null) {
                pending = markdown(token.group("javadoc"));
            } else if (token.group("type") != null) {
                declared = token.group("type");
                put(path(enclosing, declared), pending);
                pending = null;
            } else if (token.group("method") != null) {
                String key = path(enclosing, null) + "#" + token.group("method");
                put(key, pending);
                position.put(key, position.size());
                pending = null;
            } else if (token.group("open") != null) {
                enclosing.add(declared);
                declared = null;
            } else if (token.group("close") != null) {
                enclosing.removeLast();
            }
        }
    }

    private void put(String key, String text) {
        if (text != null) {
            javadoc.put(key, text);
        }
    }

    private static String path(List<String> enclosing, String name) {
        List<String> names =
                new ArrayList<>(enclosing.stream().filter(Objects::nonNull).toList());
        if (name != null) {
            names.add(name);
        }
        return String.join(".", names);
    }

    /**
     * A Javadoc comment as one line of Markdown: no comment markers or line breaks, {@code {@code x}} as
     * code, {@code {@link A#b()}} as the code {@code b}, and pipes escaped for a table cell.
     */
    static String markdown(String comment) {
        String text = comment.substring(3, comment.length() - 2).replaceAll("(?m)^\\s*\\*(?!/)", " ");
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (at < text.length()) {
            int tag = text.indexOf("{@", at);
            if (tag < 0) {
                out.append(text, at, text.length());
                break;
            }
            out.append(text, at, tag);
            int end = closingBrace(text, tag);
            String[] parts = text.substring(tag + 2, end).split("\\s+", 2);
            String content = parts.length > 1 ? parts[1].strip() : "";
            switch (parts[0]) {
                case "code" -> out.append('`').append(content).append('`');
                case "link", "linkplain" ->
                    out.append('`').append(linkTarget(content)).append('`');
                default -> out.append(content);
            }
            at = end + 1;
        }
        return out.toString()
                .replaceAll("</?p>", " ")
                .replaceAll("\\s+", " ")
                .strip()
                .replace("|", "\\|");
    }

    private static int closingBrace(String text, int open) {
        int depth = 0;
        for (int at = open; at < text.length(); at++) {
            if (text.charAt(at) == '{') {
                depth++;
            } else if (text.charAt(at) == '}' && --depth == 0) {
                return at;
            }
        }
        throw new IllegalArgumentException("unclosed inline tag in Javadoc: " + text);
    }

    /** {@code A#b(C)} reads as {@code b}, {@code A} as {@code A}; a label wins over both. */
    private static String linkTarget(String link) {
        String[] targetAndLabel = link.split("\\s+", 2);
        if (targetAndLabel.length > 1) {
            return targetAndLabel[1];
        }
        String target = targetAndLabel[0];
        String member = target.substring(target.indexOf('#') + 1);
        return member.contains("(") ? member.substring(0, member.indexOf('(')) : member;
    }
}
