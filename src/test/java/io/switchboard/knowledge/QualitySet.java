package io.switchboard.knowledge;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The answer-quality set: Brightcart, a help centre of one article per topic (27 topics in
 * English, six of them also in Spanish, German, French and Portuguese), and customer messages
 * naming the topic they are about. The messages come in two splits written apart, by writers who
 * saw only the topic list (src/test/resources/quality/topics.tsv), never the articles or the
 * ranking: {@code tune}, which the ranking may be tuned on, and {@code heldout}, which is only
 * ever measured.
 */
public record QualitySet(Path knowledge, List<Question> questions) {

    /** Messages that must go to a person because they ask for one. */
    public static final String PERSON = "person";
    /** Messages no help-centre article answers: the assistant must not answer them from one. */
    public static final String OFF_TOPIC = "-";

    private static final Path ROOT = Path.of("src", "test", "resources", "quality");
    /** The article's language and topic, from its URL: https://help.brightcart.example/{language}/articles/{topic}. */
    private static final Pattern ARTICLE_URL = Pattern.compile("/([a-z]{2})/articles/([a-z0-9-]+)$");

    public record Question(String text, String expected, String language) {

        public boolean asksForAPerson() {
            return expected.equals(PERSON);
        }

        public boolean offTopic() {
            return expected.equals(OFF_TOPIC);
        }

        public boolean aboutATopic() {
            return !asksForAPerson() && !offTopic();
        }
    }

    /** A cited or found article: its topic and language. */
    public record ArticleRef(String topic, String language) {

        public static ArticleRef of(String url) {
            if (url == null) {
                return null;
            }
            Matcher matcher = ARTICLE_URL.matcher(url);
            return matcher.find() ? new ArticleRef(matcher.group(2), matcher.group(1)) : null;
        }
    }

    /** The help centre and one split's messages, read from the test resources of this checkout. */
    public static QualitySet load(String split) {
        return new QualitySet(ROOT.resolve("shop/knowledge"), questions(ROOT.resolve("questions-" + split + ".tsv")));
    }

    /** The languages each topic has an article in. */
    public Set<String> languagesOf(String topic) {
        try (Stream<Path> files = Files.list(knowledge)) {
            return files.map(file -> file.getFileName().toString())
                    .filter(name -> name.equals(topic + ".md") || name.matches(Pattern.quote(topic) + "-[a-z]{2}\\.md"))
                    .map(name ->
                            name.equals(topic + ".md") ? "en" : name.substring(topic.length() + 1, topic.length() + 3))
                    .collect(Collectors.toSet());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Question> questions(Path file) {
        try {
            List<Question> questions = new ArrayList<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    String[] columns = line.split("\t");
                    questions.add(new Question(columns[0].strip(), columns[1].strip(), columns[2].strip()));
                }
            }
            return questions;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
