package io.sorthub.hub.cli;


import io.sorthub.hub.routing.compile.PlanDiff;
import io.sorthub.hub.routing.compile.SortPlanException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code hub-service sort-plan diff OLD.yaml NEW.yaml}: settings, outlets, groups and rules
 * added, removed, changed and moved, by id, with their lines. Exit 0 when the plans are the
 * same, 1 when they differ, 2 when either cannot be read or compiled (as diff(1) does).
 */
@Command(name = "diff", mixinStandardHelpOptions = true,
    description = "Compare two sort plans: rules added, removed, changed and reordered, by id, with lines.")
final class SortPlanDiffCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "OLD", description = "the plan in force (or any earlier plan)")
    Path oldFile;

    @Parameters(index = "1", paramLabel = "NEW", description = "the candidate plan")
    Path newFile;

    @Option(names = "--json", description = "the differences as JSON")
    boolean json;

    @Override
    public Integer call() {
        final PlanDiff diff;
        try {
            final String oldText = SortPlanFiles.read(oldFile);
            final String newText = SortPlanFiles.read(newFile);
            diff = PlanDiff.of(oldText, newText);
        } catch (SortPlanException e) {
            System.err.println("sort-plan diff: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            System.err.println("sort-plan diff: cannot read: " + e.getMessage());
            return 2;
        }
        if (json) {
            final JsonArray changes = new JsonArray();
            diff.changes().forEach(c -> changes.add(new JsonObject().put("section", c.section()).put("id", c.key())
                .put("change", c.kind().name().toLowerCase(Locale.ROOT)).put("oldLine", c.oldLine())
                .put("newLine", c.newLine()).put("details", new JsonArray(c.details()))));
            System.out.println(new JsonObject().put("old", oldFile.toString()).put("new", newFile.toString())
                .put("changes", changes).encodePrettily());
        } else {
            print(diff);
        }
        return diff.isEmpty() ? 0 : 1;
    }

    private void print(PlanDiff diff) {
        if (diff.isEmpty()) {
            System.out.println(oldFile + " and " + newFile + ": the same plan");
            return;
        }
        System.out.printf("%s -> %s: rules %d added, %d removed, %d changed, %d moved; outlets %d added, %d removed, "
                + "%d changed; groups %d added, %d removed, %d changed; %d settings changed%n", oldFile, newFile,
            diff.count("rule", PlanDiff.Kind.ADDED), diff.count("rule", PlanDiff.Kind.REMOVED),
            diff.count("rule", PlanDiff.Kind.CHANGED), diff.count("rule", PlanDiff.Kind.MOVED),
            diff.count("outlet", PlanDiff.Kind.ADDED), diff.count("outlet", PlanDiff.Kind.REMOVED),
            diff.count("outlet", PlanDiff.Kind.CHANGED), diff.count("group", PlanDiff.Kind.ADDED),
            diff.count("group", PlanDiff.Kind.REMOVED), diff.count("group", PlanDiff.Kind.CHANGED),
            diff.changes().stream().filter(c -> c.section().equals("setting")).count());
        for (PlanDiff.Change c : diff.changes()) {
            final String lines = switch (c.kind()) {
                case ADDED -> "line " + c.newLine();
                case REMOVED -> "was line " + c.oldLine();
                default -> "line " + c.oldLine() + " -> " + c.newLine();
            };
            System.out.printf("  %-8s %s %s (%s): %s%n", c.kind().name().toLowerCase(Locale.ROOT), c.section(), c.key(),
                lines, String.join("; ", c.details()));
        }
    }
}
