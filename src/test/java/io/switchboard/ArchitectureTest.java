package io.switchboard;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import jakarta.persistence.EntityManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering drawn in docs/architecture.md: each feature package may use only the packages
 * below it. A lower package that needs something from a higher one inverts the dependency (an
 * interface, a tenant section or an event) rather than importing up. Also the page's data access
 * rules: queries live in repositories, and connections come from the platform's scoped pool.
 */
class ArchitectureTest {

    /** Bottom to top; a package on one line may use any package on an earlier line. */
    static final List<List<String>> LAYERS = List.of(
            List.of("platform"),
            List.of("events"),
            List.of("tenant"),
            List.of("model"),
            List.of("knowledge"),
            List.of("conversation"),
            List.of("action"),
            List.of("handoff"),
            List.of("assistant"),
            List.of("evaluation", "insight"),
            List.of("gateway", "widget"),
            List.of("admin"),
            List.of("console"));

    /** The EntityManager's methods that read or write rows; a repository's own inherited Panache methods are not among them. */
    private static final Set<String> ROW_ACCESS =
            Set.of("createNativeQuery", "createQuery", "find", "persist", "remove");

    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.switchboard");
    }

    @Test
    void everyFeaturePackageHasItsPlaceInTheLayers() {
        Set<String> placed = LAYERS.stream().flatMap(List::stream).collect(Collectors.toSet());
        Set<String> unplaced = classes.stream()
                .map(type -> type.getPackageName().split("\\."))
                .filter(parts -> parts.length > 2)
                .map(parts -> parts[2])
                .filter(feature -> !placed.contains(feature))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(unplaced)
                .as("packages missing from LAYERS (and from docs/architecture.md)")
                .isEmpty();
    }

    @Test
    void featurePackagesFormNoCycle() {
        slices().matching("io.switchboard.(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void eachPackageUsesOnlyThePackagesBelowIt() {
        LayeredArchitecture architecture = layeredArchitecture().consideringOnlyDependenciesInLayers();
        for (List<String> layer : LAYERS) {
            for (String feature : layer) {
                architecture = architecture.layer(feature).definedBy("io.switchboard." + feature + "..");
            }
        }
        for (int level = 0; level < LAYERS.size(); level++) {
            for (String feature : LAYERS.get(level)) {
                String[] above = LAYERS.subList(level + 1, LAYERS.size()).stream()
                        .flatMap(List::stream)
                        .toArray(String[]::new);
                architecture = above.length == 0
                        ? architecture.whereLayer(feature).mayNotBeAccessedByAnyLayer()
                        : architecture.whereLayer(feature).mayOnlyBeAccessedByLayers(above);
            }
        }
        architecture.check(classes);
    }

    @Test
    void onlyThePlatformTakesConnectionsFromTheDataSource() {
        noClasses()
                .that()
                .resideOutsideOfPackage("io.switchboard.platform..")
                .should()
                .dependOnClassesThat()
                .areAssignableTo(DataSource.class)
                .because("row-level security reads the tenant scope when a connection is taken: outside a transaction"
                        + " code takes one from ScopedConnections, which names the scope; inside one it goes through the"
                        + " EntityManager (docs/architecture.md, Data access)")
                .check(classes);
    }

    @Test
    void onlyRepositoriesQueryTheEntityManager() {
        DescribedPredicate<JavaMethodCall> rowAccess = DescribedPredicate.describe(
                "EntityManager." + new TreeSet<>(ROW_ACCESS),
                call -> call.getTargetOwner().isAssignableTo(EntityManager.class)
                        && ROW_ACCESS.contains(call.getName()));
        noClasses()
                .that()
                .haveSimpleNameNotEndingWith("Repository")
                .should()
                .callMethodWhere(rowAccess)
                .because(
                        "a feature's rows and SQL are read and written in its *Repository, in the caller's transaction,"
                                + " so services hold rules and transactions, not queries (docs/architecture.md, Data access)")
                .check(classes);
    }

    /** One job per class: past this many lines a class holds more than one, and should be split along them. */
    static final int MAX_LINES = 350;

    @Test
    void noMainClassIsLongerThanOneJobNeeds() throws IOException {
        List<String> tooLong;
        try (Stream<Path> sources = Files.walk(Path.of("src/main/java"))) {
            tooLong = sources.filter(path -> path.toString().endsWith(".java"))
                    .filter(path -> lines(path) > MAX_LINES)
                    .map(path -> path + " (" + lines(path) + " lines)")
                    .sorted()
                    .toList();
        }
        assertThat(tooLong).as("classes over %d lines", MAX_LINES).isEmpty();
    }

    private static long lines(Path source) {
        try (Stream<String> lines = Files.lines(source)) {
            return lines.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
