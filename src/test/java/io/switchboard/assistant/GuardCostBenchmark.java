package io.switchboard.assistant;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What the guardrails cost on ordinary text, against a baseline build of them in the same JVM:
 * the injection scorer on the demo's customer questions, the output guard on grounded answers
 * (a quoted help-centre paragraph, a citation and a link to the help centre). The two builds take
 * turns in rounds, so both see the same machine; each round times every input once.
 * Usage: GuardCostBenchmark <baseline classes directory> [rounds, default 30]
 */
public final class GuardCostBenchmark {

    private static final int WARMUP_ROUNDS = 20;

    private GuardCostBenchmark() {}

    /** One build's scorer and guard, called reflectively so both builds run the same code path. */
    private record Build(String name, Method score, Object guard, Method review) {

        static Build load(String name, ClassLoader loader) throws Exception {
            Class<?> scorer = loader.loadClass("io.switchboard.platform.InjectionScore");
            Class<?> guardClass = loader.loadClass("io.switchboard.assistant.OutputGuard");
            Constructor<?> constructor = guardClass.getDeclaredConstructor(String.class, String.class, Set.class);
            constructor.setAccessible(true);
            Object guard = constructor.newInstance(
                    "canary-7f3a9c2e",
                    "You are the assistant of HomeNest. Answer from the passages.",
                    Set.of("help.homenest.example", "homenest.example"));
            Method review = guardClass.getDeclaredMethod("review", String.class, String.class);
            review.setAccessible(true);
            return new Build(name, scorer.getMethod("of", String.class), guard, review);
        }

        long scoreAll(List<String> questions) throws Exception {
            long started = System.nanoTime();
            for (String question : questions) {
                score.invoke(null, question);
            }
            return System.nanoTime() - started;
        }

        long reviewAll(List<String> answers) throws Exception {
            long started = System.nanoTime();
            for (String answer : answers) {
                review.invoke(guard, answer, "Sorry.");
            }
            return System.nanoTime() - started;
        }
    }

    public static void main(String... args) throws Exception {
        Path baselineClasses = Path.of(args[0]);
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        List<String> questions = Files.readAllLines(Path.of("src/test/resources/knowledge/demo-questions.tsv")).stream()
                .filter(line -> !line.isBlank() && !line.startsWith("#"))
                .map(line -> line.split("\t")[0].strip())
                .toList();
        List<String> answers = groundedAnswers();
        Build current = Build.load("this tree", GuardCostBenchmark.class.getClassLoader());
        Build baseline = Build.load(
                "baseline",
                new URLClassLoader(new URL[] {baselineClasses.toUri().toURL()}, ClassLoader.getPlatformClassLoader()));

        long[][] score = new long[2][rounds];
        long[][] review = new long[2][rounds];
        for (int round = -WARMUP_ROUNDS; round < rounds; round++) {
            for (int side = 0; side < 2; side++) {
                Build build = (round + side) % 2 == 0 ? current : baseline;
                int index = build == current ? 0 : 1;
                long scored = build.scoreAll(questions);
                long reviewed = build.reviewAll(answers);
                if (round >= 0) {
                    score[index][round] = scored;
                    review[index][round] = reviewed;
                }
            }
        }
        System.out.printf(
                "machine: %d processors, %s %s%n",
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name"),
                System.getProperty("java.version"));
        report("injection scorer", questions.size(), "customer questions", score);
        report("output guard", answers.size(), "grounded answers", review);
    }

    private static void report(String what, int inputs, String of, long[][] nanos) {
        double current = median(nanos[0]) / inputs / 1000;
        double baseline = median(nanos[1]) / inputs / 1000;
        System.out.printf(
                "%s over %d %s: this tree %.1f µs each, baseline %.1f µs each (median of %d rounds): ratio %.2f%n",
                what, inputs, of, current, baseline, nanos[0].length, current / baseline);
    }

    private static double median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** A paragraph of each demo article, quoted with a citation and a link to its page, as a grounded answer reads. */
    private static List<String> groundedAnswers() throws Exception {
        List<String> answers = new ArrayList<>();
        try (Stream<Path> articles = Files.list(Path.of("tenants-config/demo/knowledge"))) {
            for (Path article : articles.sorted().toList()) {
                String key = article.getFileName().toString().replace(".md", "");
                for (String paragraph : Files.readString(article).split("\n\\s*\n")) {
                    if (paragraph.length() > 200 && !paragraph.startsWith("#") && !paragraph.startsWith("---")) {
                        answers.add("From our help centre: " + paragraph.strip()
                                + " [1]\n\nMore in [this article](https://help.homenest.example/" + key + ").");
                    }
                }
            }
        }
        return answers;
    }
}
