package io.switchboard.platform;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import io.smallrye.config.WithParentName;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The settings tables of docs/configuration.md, built from what the platform reads: each
 * {@code @ConfigMapping} interface (its keys, defaults and Javadoc) and application.properties, which
 * says which environment variable feeds a property, may set another default, and describes Quarkus's
 * own settings in the comment above them. ConfigurationDocsTest keeps the page equal to this.
 */
final class ConfigurationReference {

    private static final Path PROPERTIES = Path.of("src/main/resources/application.properties");
    private static final Path SOURCES = Path.of("src/main/java");

    /** Set by the launcher (SwitchboardMain) from SWITCHBOARD_DATA_DIR, never by operators. */
    private static final Set<String> SET_BY_THE_LAUNCHER = Set.of("switchboard.embedded.data-directory");

    /** What a map's keys are called in the tables, by the map's property; {@code ID} otherwise. */
    private static final Map<String, String> KEY_NAMES = Map.of("switchboard.model.endpoints.ID.prices", "MODEL");

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(?::([^}]*))?}");
    private static final Pattern SECTION_RULE = Pattern.compile("#\\s*-{3,}\\s*");

    /** One row: the environment variable, its default as shown, and what it does. */
    record Setting(String variable, String defaultValue, String description) {}

    /** One table with its heading and the paragraphs above it. */
    record Table(String heading, List<String> intro, List<Setting> settings) {}

    /** A line of application.properties, with the comment right above it ({@code ""} when none). */
    record Property(String profile, String name, String value, String comment) {

        Optional<String> variable() {
            Matcher reference = VARIABLE.matcher(value);
            return reference.find() ? Optional.of(reference.group(1)) : Optional.empty();
        }

        /** The default of a {@code ${VARIABLE:default}} value, else the value itself; null when it has none. */
        String defaultValue() {
            Matcher reference = VARIABLE.matcher(value);
            if (reference.matches()) {
                return reference.group(2);
            }
            return value;
        }
    }

    private final List<Property> properties;
    private final MappingJavadoc javadoc = new MappingJavadoc(SOURCES);
    private final Set<String> documented = new HashSet<>();
    private final Set<String> mapped = new HashSet<>();

    private ConfigurationReference(List<Property> properties) {
        this.properties = properties;
    }

    /** The generated part of docs/configuration.md. */
    static String markdown() throws IOException {
        ConfigurationReference reference = new ConfigurationReference(properties(Files.readAllLines(PROPERTIES)));
        List<Table> mappings = mappings().stream().map(reference::table).toList();
        List<Table> tables = new ArrayList<>();
        tables.add(reference.platformTable(
                null,
                "### Platform — `application.properties`",
                "Quarkus's own settings, and a few the platform reads without a mapping, as"
                        + " `application.properties` maps them to environment variables."));
        tables.addAll(mappings);
        reference
                .profiles()
                .forEach(profile -> tables.add(reference.platformTable(
                        profile,
                        "### " + capitalized(profile) + " profile — `application.properties`",
                        "Read under the `" + profile + "` profile only (`QUARKUS_PROFILE=prod," + profile + "`).")));
        return tables.stream().map(ConfigurationReference::render).collect(Collectors.joining("\n"));
    }

    /** Every {@code @ConfigMapping} interface of the application, by prefix, then name. */
    private static List<Class<?>> mappings() {
        return new ClassFileImporter()
                        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("io.switchboard")
                        .stream()
                        .filter(type -> type.isAnnotatedWith(ConfigMapping.class))
                        .map(JavaClass::reflect)
                        .sorted(Comparator.comparing((Class<?> type) -> prefix(type))
                                .thenComparing(Class::getSimpleName))
                        .collect(Collectors.toList());
    }

    private static String prefix(Class<?> mapping) {
        ConfigMapping annotation = mapping.getAnnotation(ConfigMapping.class);
        if (annotation.namingStrategy() != ConfigMapping.NamingStrategy.KEBAB_CASE) {
            throw new IllegalStateException(mapping.getName() + ": only kebab-case names are documented");
        }
        return annotation.prefix();
    }

    private Table table(Class<?> mapping) {
        String prefix = prefix(mapping);
        String feature = mapping.getSimpleName().replaceFirst("Config$", "");
        List<String> intro = new ArrayList<>();
        javadoc.of(mapping).ifPresent(intro::add);
        List<String> groups = new ArrayList<>();
        List<Setting> settings = new ArrayList<>();
        walk(mapping, prefix, prefix, settings, groups);
        if (!groups.isEmpty()) {
            intro.add(String.join("\n", groups));
        }
        return new Table("### " + capitalized(words(feature)) + " — `" + prefix + "`", intro, settings);
    }

    /**
     * Adds the settings of one interface: its own values first, then its groups, then its maps, each
     * in the order they are declared. {@code name} is the property as shown (map keys as {@code ID});
     * {@code key} spells it as SmallRye derives environment variables from ({@code "ID"} quoted).
     */
    private void walk(Class<?> type, String name, String key, List<Setting> settings, List<String> groups) {
        List<Method> methods = List.of(type.getMethods()).stream()
                .filter(method -> !method.isDefault() && !Modifier.isStatic(method.getModifiers()))
                .sorted(Comparator.comparing((Method method) -> kind(method).ordinal())
                        .thenComparing(javadoc::position))
                .toList();
        for (Method method : methods) {
            String segment = segment(method);
            String childName = segment.isEmpty() ? name : name + "." + segment;
            String childKey = segment.isEmpty() ? key : key + "." + segment;
            Type valueType = unwrapped(method.getGenericReturnType());
            switch (kind(method)) {
                case VALUE -> value(method, childName, childKey).ifPresent(settings::add);
                case GROUP -> {
                    Class<?> group = raw(valueType);
                    describe(method, group, childName, groups);
                    walk(group, childName, childKey, settings, groups);
                }
                case MAP -> {
                    Class<?> entry = raw(argument(valueType, 1));
                    String keyName = KEY_NAMES.getOrDefault(childName, "ID");
                    describe(method, entry, childName + "." + keyName, groups);
                    walk(entry, childName + "." + keyName, childKey + ".\"" + keyName + "\"", settings, groups);
                }
            }
        }
    }

    private enum Kind {
        VALUE,
        GROUP,
        MAP
    }

    private static Kind kind(Method method) {
        Type type = unwrapped(method.getGenericReturnType());
        Class<?> raw = raw(type);
        if (Map.class.isAssignableFrom(raw)) {
            if (!isGroup(raw(argument(type, 1)))) {
                throw new IllegalStateException(method + ": maps of plain values are not documented yet");
            }
            return Kind.MAP;
        }
        if (Collection.class.isAssignableFrom(raw) && isGroup(raw(argument(type, 0)))) {
            throw new IllegalStateException(method + ": lists of groups are not documented yet");
        }
        return isGroup(raw) ? Kind.GROUP : Kind.VALUE;
    }

    private static boolean isGroup(Class<?> type) {
        return type.isInterface() && !type.getPackageName().startsWith("java.");
    }

    private void describe(Method method, Class<?> group, String name, List<String> groups) {
        javadoc.of(method).or(() -> javadoc.of(group)).ifPresent(text -> groups.add("- `" + name + ".*`: " + text));
    }

    private Optional<Setting> value(Method method, String name, String key) {
        if (SET_BY_THE_LAUNCHER.contains(name)) {
            return Optional.empty();
        }
        List<Property> set = properties.stream()
                .filter(property -> property.name().equals(name) && !"test".equals(property.profile()))
                .sorted(Comparator.comparing(property -> property.profile() != null))
                .toList();
        String variable = set.stream()
                .flatMap(property -> property.variable().stream())
                .findFirst()
                .orElseGet(() -> key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT));
        String defaultValue = set.stream()
                .filter(property -> property.profile() == null)
                .findFirst()
                .map(Property::defaultValue)
                .or(() -> Optional.ofNullable(method.getAnnotation(WithDefault.class))
                        .map(WithDefault::value))
                .or(() -> set.stream().findFirst().map(Property::defaultValue))
                .orElse(null);
        String description = javadoc.of(method)
                .orElseThrow(() -> new IllegalStateException("no Javadoc on " + method + " (" + name + ")"));
        documented.add(variable);
        mapped.add(name);
        boolean optional = raw(method.getGenericReturnType()).getSimpleName().startsWith("Optional");
        return Optional.of(new Setting(variable, shown(defaultValue, optional), description));
    }

    /** Settings that application.properties feeds from environment variables and no mapping documents. */
    private Table platformTable(String profile, String heading, String intro) {
        Map<String, List<Property>> byVariable = new LinkedHashMap<>();
        for (Property property : properties) {
            Optional<String> variable = property.variable();
            if (Objects.equals(property.profile(), profile)
                    && variable.isPresent()
                    && !documented.contains(variable.get())
                    && !mapped.contains(property.name())) {
                byVariable
                        .computeIfAbsent(variable.get(), read -> new ArrayList<>())
                        .add(property);
            }
        }
        List<Setting> settings = new ArrayList<>();
        byVariable.forEach((variable, reading) -> {
            String description = reading.stream()
                    .map(Property::comment)
                    .filter(comment -> !comment.isEmpty())
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("application.properties reads " + variable
                            + " without a comment line right above it saying what it does"));
            settings.add(new Setting(variable, shown(reading.getFirst().defaultValue(), false), description));
            documented.add(variable);
        });
        return new Table(heading, List.of(intro), settings);
    }

    /** The configuration profiles application.properties sets values for, tests' aside. */
    private List<String> profiles() {
        return properties.stream()
                .map(Property::profile)
                .filter(profile -> profile != null && !profile.equals("test"))
                .distinct()
                .toList();
    }

    static List<Property> properties(List<String> lines) {
        List<Property> properties = new ArrayList<>();
        List<String> comment = new ArrayList<>();
        for (String line : lines) {
            String text = line.strip();
            if (text.isEmpty() || SECTION_RULE.matcher(text).matches()) {
                comment.clear();
            } else if (text.startsWith("#")) {
                comment.add(text.substring(1).strip());
            } else {
                String key = text.substring(0, text.indexOf('=')).strip();
                String value = text.substring(text.indexOf('=') + 1).strip();
                String profile = key.startsWith("%") ? key.substring(1, key.indexOf('.')) : null;
                String name = profile == null ? key : key.substring(key.indexOf('.') + 1);
                properties.add(new Property(
                        profile, name, value, String.join(" ", comment).replace("|", "\\|")));
                comment.clear();
            }
        }
        return properties;
    }

    private static String segment(Method method) {
        if (method.isAnnotationPresent(WithParentName.class)) {
            return "";
        }
        WithName name = method.getAnnotation(WithName.class);
        return name != null
                ? name.value()
                : method.getName().replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT);
    }

    /** A default as the tables show it: code, or the first sentence of a text in quotes. */
    private static String shown(String value, boolean optional) {
        if (value == null) {
            return optional ? "*(unset)*" : "—";
        }
        if (value.isEmpty()) {
            return "*(unset)*";
        }
        if (!value.contains(" ")) {
            return "`" + value.replace("|", "\\|") + "`";
        }
        String text = value;
        int sentence = value.indexOf(". ");
        if (sentence > 0) {
            text = value.substring(0, sentence) + "…" + (value.startsWith("(") && value.endsWith(")") ? ")" : "");
        }
        return "*\"" + text.replaceAll("([*_|])", "\\\\$1") + "\"*";
    }

    private static String render(Table table) {
        StringBuilder out = new StringBuilder(table.heading()).append("\n\n");
        table.intro().forEach(paragraph -> out.append(paragraph).append("\n\n"));
        out.append("| environment variable | default | what |\n|---|---|---|\n");
        table.settings()
                .forEach(setting -> out.append("| `")
                        .append(setting.variable())
                        .append("` | ")
                        .append(setting.defaultValue())
                        .append(" | ")
                        .append(setting.description())
                        .append(" |\n"));
        return out.toString();
    }

    /** An {@code Optional<T>}'s T, else the type itself. */
    private static Type unwrapped(Type type) {
        Class<?> raw = raw(type);
        if (raw == Optional.class) {
            return argument(type, 0);
        }
        if (raw == OptionalInt.class) {
            return Integer.class;
        }
        if (raw == OptionalLong.class) {
            return Long.class;
        }
        return raw == OptionalDouble.class ? Double.class : type;
    }

    private static Type argument(Type type, int index) {
        return ((ParameterizedType) type).getActualTypeArguments()[index];
    }

    private static Class<?> raw(Type type) {
        return type instanceof ParameterizedType parameterized
                ? (Class<?>) parameterized.getRawType()
                : (Class<?>) type;
    }

    /** {@code TenantFiles} as {@code tenant files}. */
    private static String words(String camelCase) {
        return camelCase.replaceAll("(?<=[a-z])([A-Z])", " $1").toLowerCase(Locale.ROOT);
    }

    private static String capitalized(String text) {
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
