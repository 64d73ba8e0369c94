package io.sorthub.kit.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A service's settings read the way services are deployed: the defaults of the settings
 * class, a YAML file over them, environment variables over that (a command line then sets
 * its flags last). Every key has a variable: the prefix and the key in capitals with
 * underscores, {@code scanPort} as {@code SORTHUB_SCAN_PORT}. A variable's value is the
 * key's value as YAML would give it: plain text for a number, word or name; a list of
 * plain values may be comma-separated ({@code a:1,b:2}); maps and lists of objects are
 * written as YAML flow ({@code {security.protocol: SSL}}). An empty variable counts as
 * unset. Errors name the file and line, or the variable.
 */
public final class SettingsReader<T> {
    private final YAMLMapper mapper;
    private final Class<T> type;
    private final String prefix;
    /** Key and its type, by variable name. */
    private final Map<String, Key> keys = new LinkedHashMap<>();

    private record Key(String name, JavaType type) {
    }

    /** @param mapper configured as the settings class wants it read (unknown keys fail, nulls fail...) */
    public SettingsReader(YAMLMapper mapper, Class<T> type, String prefix) {
        this.mapper = mapper;
        this.type = type;
        this.prefix = prefix;
        final List<BeanPropertyDefinition> properties = new ArrayList<>(mapper.getDeserializationConfig()
            .introspect(mapper.constructType(type)).findProperties());
        properties.sort(Comparator.comparing(BeanPropertyDefinition::getName));
        for (BeanPropertyDefinition p : properties) {
            if (p.hasField() || p.hasSetter()) {
                keys.put(variable(p.getName()), new Key(p.getName(), p.getPrimaryType()));
            }
        }
    }

    /** {@code scanPort} to {@code PREFIX_SCAN_PORT}. */
    public String variable(String key) {
        return prefix + key.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
    }

    /** Every variable this reader takes, by the key it sets. */
    public Map<String, String> variables() {
        final Map<String, String> byKey = new LinkedHashMap<>();
        keys.forEach((variable, key) -> byKey.put(key.name(), variable));
        return byKey;
    }

    /**
     * The YAML document over {@code base} (changed in place and returned); an empty document
     * (blank, comments only, a bare null) leaves it as it is.
     */
    public T file(T base, String yaml, String name) throws SettingsException {
        try (JsonParser parser = mapper.createParser(yaml)) {
            if (parser.nextToken() == null || parser.currentToken() == JsonToken.VALUE_NULL) {
                return base;
            }
            return mapper.readerForUpdating(base).readValue(parser);
        } catch (UnrecognizedPropertyException e) {
            throw new SettingsException(name + where(e.getLocation()) + ": unknown key '" + e.getPropertyName()
                + "'; known keys are " + e.getKnownPropertyIds());
        } catch (ValueInstantiationException e) {
            // A value the settings' own type refused: its message says it all, without Jackson's preamble.
            throw new SettingsException(name + where(e.getLocation()) + ": " + (e.getCause() != null
                ? e.getCause().getMessage() : e.getOriginalMessage()));
        } catch (JsonProcessingException e) {
            // The problem only: YAML's own message quotes the lines around it, a credential among them.
            throw new SettingsException(name + where(e.getLocation()) + ": " + YamlErrors.problem(e));
        } catch (IOException e) {
            throw new SettingsException(name + ": " + e.getMessage()); // not expected from a String
        }
    }

    /** The variables of {@code environment} that name a key, over {@code base} (changed in place and returned). */
    public T environment(T base, Map<String, String> environment) throws SettingsException {
        for (Map.Entry<String, Key> entry : keys.entrySet()) {
            final String value = environment.get(entry.getKey());
            if (value == null || value.isEmpty()) {
                continue;
            }
            final Key key = entry.getValue();
            final ObjectNode node = JsonNodeFactory.instance.objectNode();
            node.set(key.name(), valueOf(entry.getKey(), key.type(), value));
            try {
                mapper.readerForUpdating(base).readValue(mapper.treeAsTokens(node));
            } catch (JsonProcessingException e) {
                // A scalar's value is shown; a map's or list's may hold a secret (Kafka's sasl.jaas.config).
                throw new SettingsException("environment variable " + entry.getKey()
                    + (isScalar(key.type()) ? "='" + value + "'" : "") + ": " + e.getOriginalMessage());
            } catch (IOException e) {
                throw new SettingsException("environment variable " + entry.getKey() + ": " + e.getMessage());
            }
        }
        return base;
    }

    /**
     * Variables that start with the prefix but set no key (a typo would otherwise quietly leave
     * a default in force), except those {@code known} for something else.
     */
    public List<String> unknownVariables(Map<String, String> environment, Predicate<String> known) {
        return environment.keySet().stream().filter(v -> v.startsWith(prefix) && !keys.containsKey(v) && !known.test(v))
            .sorted().map(v -> v + closest(v)).toList();
    }

    private String closest(String variable) {
        String best = null;
        int bestDistance = 4; // a few letters off at most
        for (String known : keys.keySet()) {
            final int d = distance(variable, known);
            if (d < bestDistance) {
                bestDistance = d;
                best = known;
            }
        }
        return best == null ? "" : " (did you mean " + best + "?)";
    }

    /** Edit distance between two key names: how a misspelt key finds the one meant. */
    public static int distance(String a, String b) {
        final int[] previous = new int[b.length() + 1];
        final int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                current[j] = Math.min(Math.min(current[j - 1], previous[j]) + 1,
                    previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            }
            System.arraycopy(current, 0, previous, 0, current.length);
        }
        return previous[b.length()];
    }

    private JsonNode valueOf(String variable, JavaType keyType, String value) throws SettingsException {
        if (isScalar(keyType)) {
            return JsonNodeFactory.instance.textNode(value); // Jackson converts text to the key's number or boolean
        }
        if (keyType.isCollectionLikeType() && !isObject(keyType.getContentType()) && !value.trim().startsWith("[")) {
            final ArrayNode list = JsonNodeFactory.instance.arrayNode();
            for (String item : value.split(",")) {
                list.add(item.trim());
            }
            return list;
        }
        try {
            return mapper.readTree(value);
        } catch (JsonProcessingException e) {
            throw new SettingsException("environment variable " + variable + ": not YAML"
                + where(e.getLocation()) + ": " + e.getOriginalMessage().lines().findFirst().orElse(""));
        }
    }

    private static boolean isObject(JavaType t) {
        final Class<?> raw = t.getRawClass();
        return !(t.isPrimitive() || raw == String.class || Number.class.isAssignableFrom(raw) || raw == Boolean.class
            || raw.isEnum() || t.isContainerType());
    }

    private static boolean isScalar(JavaType t) {
        return !t.isContainerType() && !isObject(t);
    }

    private static String where(JsonLocation location) {
        return location == null || location.getLineNr() < 1 ? ""
            : " line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    /** The settings class this reads. */
    public Class<T> type() {
        return type;
    }
}
