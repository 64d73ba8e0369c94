package io.sorthub.hub.routing.compile;

import io.sorthub.hub.journal.JournalState;
import io.sorthub.hub.routing.SortPlan;
import org.agrona.concurrent.EpochClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The plan a starting hub puts in force, and whether it must be journaled. The newest plan
 * wins: the last one journaled (uploaded through the API, or loaded at an earlier start),
 * unless the configured plan file was changed after it. With no file configured and an empty
 * journal, the built-in demo plan.
 */
public record StartPlan(SortPlan plan, boolean journalIt) {
    public static final String DEMO_PLAN_RESOURCE = "/demo-plan.yaml";
    private static final Logger LOG = LoggerFactory.getLogger(StartPlan.class);

    /**
     * @param planFile the configured sortPlan file, or null
     * @param clock    a new plan's version is the time in epoch ms, unless the journal's is as high
     */
    public static StartPlan choose(String planFile, JournalState.Plan journaled, EpochClock clock)
        throws IOException, SortPlanException {
        final SortPlanCompiler compiler = new SortPlanCompiler();
        final boolean fileConfigured = planFile != null;
        if (journaled != null) {
            final boolean fileNewer = fileConfigured
                && Files.getLastModifiedTime(Path.of(planFile)).toMillis() > journaled.atMs();
            if (!fileNewer) {
                LOG.info("sort plan version {} from the journal", journaled.version());
                try {
                    return new StartPlan(compiler.compile(journaled.text(), journaled.version()), false);
                } catch (SortPlanException e) {
                    throw e.in("the plan in the journal (version " + journaled.version() + ") is refused by this hub;"
                        + " put a corrected plan in the sortPlan file (a file changed after the journal's plan wins)");
                }
            }
        }
        final String text = fileConfigured ? Files.readString(Path.of(planFile)) : demoPlanText();
        if (journaled != null && text.equals(journaled.text())) {
            return new StartPlan(compiler.compile(text, journaled.version()), false);
        }
        final long version = Math.max(clock.time(), journaled == null ? 0 : journaled.version() + 1);
        try {
            return new StartPlan(compiler.compile(text, version), true);
        } catch (SortPlanException e) {
            throw e.in(fileConfigured ? planFile : "demo plan");
        }
    }

    public static String demoPlanText() throws IOException {
        try (InputStream in = StartPlan.class.getResourceAsStream(DEMO_PLAN_RESOURCE)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
