package io.switchboard;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering drawn in docs/architecture.md: each feature package may use only the packages
 * below it. A lower package that needs something from a higher one inverts the dependency (an
 * interface, a tenant section or an event) rather than importing up.
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
            List.of("handoff"),
            List.of("assistant"),
            List.of("evaluation"),
            List.of("gateway", "widget"),
            List.of("admin"),
            List.of("console"));

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
}
