package io.sorthub.hub.routing.compile;

import io.sorthub.hub.routing.compile.YamlNode.Entry;
import io.sorthub.hub.routing.compile.YamlNode.Mapping;
import io.sorthub.hub.routing.compile.YamlNode.Refused;
import io.sorthub.hub.routing.compile.YamlNode.Scalar;
import io.sorthub.hub.routing.compile.YamlNode.Sequence;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.NodeEvent;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.parser.Parser;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a plan's YAML into {@link YamlNode}s from the parser's events, taking every scalar
 * as written. It refuses what would make a plan mean something other than its text says:
 * a key given twice (YAML loaders keep the last one silently), a second document (ignored
 * by loaders, though the whole text is journaled), anchors, aliases and tags. Nothing here
 * resolves YAML 1.1 types: what a value means is the field readers' business.
 */
final class YamlReader {
    private final Problems problems;
    private final Parser parser;
    /** Field names (String) and list positions (Integer) down to the node being read, for error messages. */
    private final List<Object> path = new ArrayList<>();

    private YamlReader(String text, Problems problems) {
        this.problems = problems;
        final LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(PlanLimits.MAX_PLAN_BYTES);
        options.setNestingDepthLimit(PlanLimits.MAX_DEPTH * 2);
        this.parser = new ParserImpl(new StreamReader(text), options);
    }

    /**
     * @return the document's root node; errors about the YAML's shape are added to
     *         {@code problems}
     * @throws SortPlanException when the text is not YAML at all (nothing after the first
     *         syntax error can be trusted), is empty, or is nested too deeply
     */
    static YamlNode read(String text, Problems problems) throws SortPlanException {
        return new YamlReader(text, problems).document();
    }

    private YamlNode document() throws SortPlanException {
        try {
            next(); // stream start
            if (parser.checkEvent(Event.ID.StreamEnd)) {
                problems.error(1, "", "the plan is empty: it needs outlets, rejectOutlet and defaultOutlet");
                problems.throwIfAny();
            }
            next(); // document start
            final YamlNode root = node(0);
            next(); // document end
            if (parser.checkEvent(Event.ID.DocumentStart)) {
                problems.error(line(parser.peekEvent().getStartMark()), "",
                    "a second YAML document starts here; a sort plan is one document (remove the '---' and what follows)");
            }
            return root;
        } catch (MarkedYAMLException e) {
            final Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            problems.error(mark == null ? 1 : line(mark), "", "not valid YAML"
                + (mark == null ? "" : " at column " + (mark.getColumn() + 1)) + ": " + e.getProblem());
        } catch (YAMLException e) {
            problems.error(1, "", "not valid YAML: " + e.getMessage());
        }
        problems.throwIfAny();
        throw new IllegalStateException("unreachable");
    }

    private YamlNode node(int depth) throws SortPlanException {
        final Event event = next();
        final int line = line(event.getStartMark());
        if (event instanceof AliasEvent alias) {
            problems.error(line, where(), "aliases (*" + alias.getAnchor() + ") are not used in sort plans: write the value out");
            return new Refused(line);
        }
        final NodeEvent node = (NodeEvent) event;
        if (node.getAnchor() != null) {
            problems.error(line, where(), "anchors (&" + node.getAnchor() + ") are not used in sort plans");
        }
        if (event instanceof ScalarEvent scalar) {
            if (scalar.getTag() != null) {
                problems.error(line, where(), "tags (" + scalar.getTag() + ") are not used in sort plans: quote the value instead");
                return new Refused(line);
            }
            return new Scalar(scalar.getValue(), scalar.isPlain(), line);
        }
        final CollectionStartEvent collection = (CollectionStartEvent) event;
        if (collection.getTag() != null) {
            problems.error(line, where(), "tags (" + collection.getTag() + ") are not used in sort plans");
        }
        if (depth >= PlanLimits.MAX_DEPTH) {
            problems.error(line, where(), "nested more than " + PlanLimits.MAX_DEPTH + " levels deep; a plan needs four");
            problems.throwIfAny();
        }
        return event.is(Event.ID.MappingStart) ? mapping(line, depth) : sequence(line, depth);
    }

    private YamlNode mapping(int line, int depth) throws SortPlanException {
        final Map<String, Entry> entries = new LinkedHashMap<>();
        while (!parser.checkEvent(Event.ID.MappingEnd)) {
            final YamlNode key = node(depth + 1);
            final String name = key instanceof Scalar s ? s.text() : null;
            if (name == null && !(key instanceof Refused)) {
                problems.error(key.line(), where(), "a key must be a field name, not a list or mapping");
            }
            path.add(name == null ? "?" : name);
            final YamlNode value = node(depth + 1);
            path.remove(path.size() - 1);
            if (name != null) {
                final Entry earlier = entries.putIfAbsent(name, new Entry(name, key.line(), value));
                if (earlier != null) {
                    problems.error(key.line(), where(), "'" + name + "' is given twice (first on line " + earlier.keyLine()
                        + "); say it once");
                }
            }
        }
        next();
        return new Mapping(entries, line);
    }

    private YamlNode sequence(int line, int depth) throws SortPlanException {
        final List<YamlNode> items = new ArrayList<>();
        while (!parser.checkEvent(Event.ID.SequenceEnd)) {
            if (items.size() == PlanLimits.MAX_LIST_ITEMS) {
                problems.error(line, where(), String.format("more than %,d items; a plan list may have at most %,d",
                    PlanLimits.MAX_LIST_ITEMS, PlanLimits.MAX_LIST_ITEMS));
                problems.throwIfAny();
            }
            path.add(items.size());
            items.add(node(depth + 1));
            path.remove(path.size() - 1);
        }
        next();
        return new Sequence(items, line);
    }

    private Event next() {
        return parser.getEvent();
    }

    /** "rules[3].weightGrams", or "" at the top. */
    private String where() {
        final StringBuilder text = new StringBuilder();
        for (Object part : path) {
            if (part instanceof Integer index) {
                text.append('[').append(index).append(']');
            } else {
                text.append(text.isEmpty() ? "" : ".").append(part);
            }
        }
        return text.toString();
    }

    private static int line(Mark mark) {
        return mark.getLine() + 1;
    }
}
