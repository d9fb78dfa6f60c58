package dev.memos.api;

import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * docs/settings.md is generated from the code: every {@code memos.*} setting of {@link MemosConfig} and of the
 * {@code @ConfigProperty} injection points, with its type, default and the javadoc it is declared with. The test
 * fails when the file is out of date; {@code -Dmemos.settings.write=true} rewrites it
 * ({@code ./mvnw -pl memos-api test -Dtest=SettingsReferenceTest -Dmemos.settings.write=true}).
 */
class SettingsReferenceTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path DOC = ROOT.resolve("docs/settings.md");
    /** Classes outside {@link MemosConfig} that read a {@code memos.*} setting through {@code @ConfigProperty}. */
    private static final List<Class<?>> INJECTED = List.of(dev.memos.cubes.store.sql.H2Durability.class);

    record Setting(String key, String type, String defaultValue, String meaning) {}

    @Test
    void docs_settings_md_lists_every_memos_setting() throws IOException {
        List<Setting> settings = new ArrayList<>();
        mapping(MemosConfig.class, "memos", settings);
        for (Class<?> type : INJECTED) {
            injected(type, settings);
        }
        settings.sort(Comparator.comparing(Setting::key));
        assertEquals(List.of(), settings.stream().filter(s -> s.meaning().isEmpty()).map(Setting::key).toList(),
                "settings without a javadoc saying what they do");
        String expected = render(settings);
        if (Boolean.getBoolean("memos.settings.write")) {
            Files.writeString(DOC, expected);
        }
        assertEquals(expected, Files.exists(DOC) ? Files.readString(DOC) : "",
                "docs/settings.md is out of date: rerun this test with -Dmemos.settings.write=true");
    }

    private static void mapping(Class<?> group, String prefix, List<Setting> out) throws IOException {
        Map<String, String> docs = javadocs(group);
        for (Method m : group.getMethods()) {
            if (m.isDefault() || Modifier.isStatic(m.getModifiers()) || m.getParameterCount() > 0) {
                continue;
            }
            String key = prefix + "." + name(m);
            Type type = m.getGenericReturnType();
            Class<?> raw = m.getReturnType();
            if (raw.isInterface() && raw.getName().startsWith("dev.memos.")) {
                mapping(raw, key, out);
                continue;
            }
            WithDefault def = m.getAnnotation(WithDefault.class);
            out.add(new Setting(key, typeName(type), def != null ? def.value() : (raw == Optional.class ? "unset" : "—"),
                    docs.getOrDefault(group.getSimpleName() + "." + m.getName(), "")));
        }
    }

    private static void injected(Class<?> type, List<Setting> out) throws IOException {
        Map<String, String> docs = javadocs(type);
        List<AnnotatedElement> points = new ArrayList<>(Arrays.asList(type.getDeclaredFields()));
        Arrays.stream(type.getDeclaredConstructors()).forEach(c -> points.addAll(Arrays.asList(c.getParameters())));
        for (AnnotatedElement point : points) {
            ConfigProperty p = point.getAnnotation(ConfigProperty.class);
            if (p != null && p.name().startsWith("memos.")) {
                Type t = point instanceof Field f ? f.getGenericType() : ((java.lang.reflect.Parameter) point).getParameterizedType();
                out.add(new Setting(p.name(), typeName(t), p.defaultValue(), docs.getOrDefault(p.name(), "")));
            }
        }
    }

    private static String name(Method m) {
        WithName n = m.getAnnotation(WithName.class);
        return n != null ? n.value() : m.getName().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
    }

    private static String typeName(Type type) {
        if (type instanceof ParameterizedType p) {
            String raw = ((Class<?>) p.getRawType()).getSimpleName();
            String args = Arrays.stream(p.getActualTypeArguments()).map(SettingsReferenceTest::typeName)
                    .collect(Collectors.joining(", "));
            return raw.equals("Optional") ? args : raw.equals("List") || raw.equals("Set") ? "list of " + args : raw + "<" + args + ">";
        }
        Class<?> c = (Class<?>) type;
        if (c.isEnum()) {
            return Arrays.stream(c.getEnumConstants()).map(Object::toString).collect(Collectors.joining(" \\| "));
        }
        return switch (c.getSimpleName()) {
            case "Duration" -> "duration";
            case "String" -> "text";
            case "int", "long", "short" -> "integer";
            case "double" -> "number";
            default -> c.getSimpleName();
        };
    }

    private static final Pattern INTERFACE = Pattern.compile("\\binterface (\\w+)");
    private static final Pattern METHOD = Pattern.compile("^\\s*[\\w.<>, ?]+\\s+(\\w+)\\(\\);");
    private static final Pattern PROPERTY = Pattern.compile("@ConfigProperty\\(name = \"([^\"]+)\"");

    /**
     * Javadoc by {@code Interface.method} (config mappings) or by setting name ({@code @ConfigProperty}), read from the
     * source file the class is declared in. Braces are counted to know which interface a method belongs to.
     */
    private static Map<String, String> javadocs(Class<?> type) throws IOException {
        Class<?> top = type;
        while (top.getEnclosingClass() != null) {
            top = top.getEnclosingClass();
        }
        String module = top.getName().startsWith("dev.memos.cubes") ? "memos-cubes" : "memos-api";
        Path source = ROOT.resolve(module + "/src/main/java/" + top.getName().replace('.', '/') + ".java");
        Map<String, String> docs = new HashMap<>();
        List<Map.Entry<String, Integer>> open = new ArrayList<>();
        int depth = 0;
        StringBuilder doc = null;
        String last = "";
        for (String line : Files.readAllLines(source)) {
            String t = line.strip();
            if (doc != null || t.startsWith("/**")) {
                doc = doc == null ? new StringBuilder() : doc;
                doc.append(' ').append(t.replaceFirst("^/\\*\\*", "").replaceFirst("\\*/$", "").replaceFirst("^\\*", "").strip());
                if (t.endsWith("*/")) {
                    last = doc.toString().strip();
                    doc = null;
                }
                continue;
            }
            Matcher i = INTERFACE.matcher(t);
            Matcher m = METHOD.matcher(line);
            Matcher p = PROPERTY.matcher(t);
            if (i.find()) {
                open.add(Map.entry(i.group(1), depth));
            } else if (m.find() && !open.isEmpty()) {
                docs.put(open.getLast().getKey() + "." + m.group(1), clean(last));
            } else if (p.find()) {
                docs.put(p.group(1), clean(last));
            }
            depth += count(t, '{') - count(t, '}');
            while (!open.isEmpty() && depth <= open.getLast().getValue()) {
                open.removeLast();
            }
            if (!t.startsWith("@") && !t.isEmpty() && !p.find(0)) {
                last = "";
            }
        }
        return docs;
    }

    private static String clean(String javadoc) {
        return javadoc.replaceAll("\\{@code ([^}]*)}", "`$1`").replaceAll("\\{@link ([^}]*)}", "`$1`")
                .replaceAll("\\s+", " ").replace("|", "\\|").strip();
    }

    private static int count(String s, char c) {
        return (int) s.chars().filter(x -> x == c).count();
    }

    private static String render(List<Setting> settings) {
        StringBuilder b = new StringBuilder("""
                # Settings reference

                Generated from the code by `SettingsReferenceTest` (memos-api); do not edit by hand. After changing a
                setting, regenerate it: `./mvnw -pl memos-api test -Dtest=SettingsReferenceTest -Dmemos.settings.write=true`.
                How settings are given (properties, `-D`, environment, files) and the Quarkus settings memos relies on are
                in docs/operations.md, "Configuration".

                The environment variable of a setting is its key in capitals with `.` and `-` as `_`
                (`memos.search.wait-timeout` → `MEMOS_SEARCH_WAIT_TIMEOUT`). Durations are written `500ms`, `10s`, `5m`,
                `30d`; lists comma-separated. "unset" means the setting has no value unless given.

                | setting | type | default | meaning |
                |---|---|---|---|
                """);
        for (Setting s : settings) {
            b.append("| `").append(s.key()).append("` | ").append(s.type()).append(" | ")
                    .append(switch (s.defaultValue()) {
                        case "" -> "(empty)";
                        case "unset", "—" -> s.defaultValue();
                        default -> "`" + s.defaultValue().replace("|", "\\|") + "`";
                    })
                    .append(" | ").append(s.meaning()).append(" |\n");
        }
        return b.toString();
    }
}
