package io.switchboard.knowledge;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.switchboard.testing.WidgetClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * The demo tenant's help centre answered by the built-in retrieval answerer, through the public
 * chat API, over a question set written for this project (paraphrased customer questions, each
 * naming the article it should cite, plus off-topic questions that must go to a person).
 */
@QuarkusTest
class RetrievalAccuracyTest {

    private static final Logger LOG = Logger.getLogger(RetrievalAccuracyTest.class);

    record Question(String text, String expectedArticle) {

        /** Off-topic ("-"), or an explicit request for a person. */
        boolean goesToAPerson() {
            return expectedArticle.equals("-") || expectedArticle.equals("person");
        }
    }

    @Test
    void citesTheExpectedArticleForAtLeast90PercentOfQuestions() throws IOException {
        List<Question> questions =
                questions().stream().filter(q -> !q.goesToAPerson()).toList();
        List<String> misses = new ArrayList<>();
        for (Question question : questions) {
            JsonPath turn = ask(question.text());
            String url = turn.getString("reply.citations[0].url");
            if (url == null || !url.endsWith("/" + question.expectedArticle())) {
                misses.add(question.text() + " -> " + url + " (expected " + question.expectedArticle() + ")");
            }
        }
        double accuracy = 1.0 - (double) misses.size() / questions.size();
        LOG.infof(
                "Top-1 citation accuracy %.3f over %d questions; misses:%n  %s",
                accuracy, questions.size(), String.join("\n  ", misses));
        assertThat(questions).hasSizeGreaterThanOrEqualTo(90);
        assertThat(accuracy).as("top-1 citation accuracy; misses: %s", misses).isGreaterThanOrEqualTo(0.9);
    }

    @Test
    void offTopicQuestionsAndRequestsForAPersonAreHandedToAPersonInsteadOfAnswered() throws IOException {
        List<Question> toAPerson =
                questions().stream().filter(Question::goesToAPerson).toList();
        assertThat(toAPerson).hasSizeGreaterThanOrEqualTo(10);
        for (Question question : toAPerson) {
            JsonPath turn = ask(question.text());
            assertThat(turn.getList("reply.citations")).as(question.text()).isNullOrEmpty();
            assertThat(turn.getString("state")).as(question.text()).isEqualTo("PENDING_HUMAN");
        }
    }

    private static JsonPath ask(String question) {
        return WidgetClient.send(WidgetClient.start("demo"), question)
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    private static List<Question> questions() throws IOException {
        try (InputStream in = RetrievalAccuracyTest.class.getResourceAsStream("/knowledge/demo-questions.tsv")) {
            List<Question> questions = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    String[] columns = line.split("\t");
                    questions.add(new Question(columns[0].strip(), columns[1].strip()));
                }
            }
            return questions;
        }
    }
}
