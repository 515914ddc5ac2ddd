package io.switchboard.knowledge;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
public record QualitySet(Path knowledge, List<Question> questions, Map<String, Set<String>> languagesOfTopic) {

    /** Messages that must go to a person because they ask for one. */
    public static final String PERSON = "person";
    /** Messages no help-centre article answers: the assistant must not answer them from one. */
    public static final String OFF_TOPIC = "-";

    private static final Path ROOT = Path.of("src", "test", "resources", "quality");
    /** The article's language and topic, from its URL: https://help.brightcart.example/{language}/articles/{topic}. */
    private static final Pattern ARTICLE_URL = Pattern.compile("/([a-z]{2})/articles/([a-z0-9-]+)$");

    /** An article file: its topic, and its language unless it is the English original. */
    private static final Pattern TRANSLATED_ARTICLE = Pattern.compile("([a-z0-9-]+?)(?:-([a-z]{2}))?\\.md");

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
        Path knowledge = ROOT.resolve("shop/knowledge");
        return new QualitySet(
                knowledge, questions(ROOT.resolve("questions-" + split + ".tsv")), languagesOfTopic(knowledge));
    }

    /** The topic of an article file of the help centre. */
    public static String topicOf(Path article) {
        Matcher name = TRANSLATED_ARTICLE.matcher(article.getFileName().toString());
        if (!name.matches()) {
            throw new IllegalArgumentException("Not an article of the help centre: " + article);
        }
        return name.group(1);
    }

    /** The languages the topic has an article in. */
    public Set<String> languagesOf(String topic) {
        return languagesOfTopic.getOrDefault(topic, Set.of());
    }

    /** Per topic, the languages of its articles: {@code topic.md} is English, {@code topic-xx.md} language xx. */
    private static Map<String, Set<String>> languagesOfTopic(Path knowledge) {
        try (Stream<Path> files = Files.list(knowledge)) {
            return files.map(file ->
                            TRANSLATED_ARTICLE.matcher(file.getFileName().toString()))
                    .filter(Matcher::matches)
                    .collect(Collectors.groupingBy(
                            name -> name.group(1),
                            Collectors.mapping(
                                    name -> name.group(2) == null ? "en" : name.group(2), Collectors.toSet())));
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
