package io.sorthub.hub.routing.compile;

import io.sorthub.hub.routing.NoReadWords;
import io.sorthub.hub.routing.PlanOutlets;
import io.sorthub.hub.routing.RuleTable;
import io.sorthub.hub.routing.SortPlan;
import io.sorthub.hub.routing.compile.YamlNode.Mapping;
import io.sorthub.protocol.ScanFlyweight;

import java.time.ZoneId;
import java.util.List;
import java.util.Set;

/**
 * Turns a YAML sort plan (docs/SORT-PLAN.md) into a {@link SortPlan}, off the event loops:
 * bounds first ({@link PlanLimits}), then the YAML as written ({@link YamlReader}), the
 * outlets and groups ({@link OutletsReader}), the rules ({@link RuleReader}), the indexes
 * ({@link RuleIndexer}) and the unreachable-rule lint ({@link UnreachableRules}). A plan
 * with errors is refused with all of them (up to {@link Problems#MAX_ERRORS}), each naming
 * its line and field; a legal but suspicious plan compiles with warnings.
 */
public final class SortPlanCompiler {
    static final Set<String> TOP_LEVEL = Set.of("name", "timeZone", "rejectOutlet", "defaultOutlet",
        "overflowOutlet", "maxRecirculations", "validateCheckDigits", "noReadWords", "interceptOutlet", "outlets", "groups", "rules");
    static final int MAX_RECIRCULATIONS = 254;

    /**
     * @param text    the YAML plan
     * @param version the version the compiled plan will carry in every decision it makes
     * @throws SortPlanException naming every error found, each with its line
     */
    public SortPlan compile(String text, long version) throws SortPlanException {
        PlanLimits.check(text);
        final Problems problems = new Problems();
        final FieldReader fields = new FieldReader(problems);
        final YamlNode document = YamlReader.read(text, problems);
        if (!(document instanceof Mapping)) {
            problems.error(document, "", "a sort plan must be a YAML mapping with outlets, rules, rejectOutlet and defaultOutlet");
            problems.throwIfAny();
        }
        final Mapping root = fields.mapping(document, "", TOP_LEVEL, "a mapping");

        final String name = root.has("name") ? fields.text(root.get("name"), "name") : "unnamed";
        final ZoneId zone = root.has("timeZone") ? fields.zone(root.get("timeZone"), "timeZone") : ZoneId.systemDefault();
        final Integer maxRecirculations = root.has("maxRecirculations")
            ? fields.wholeInt(root.get("maxRecirculations"), "maxRecirculations", 0, MAX_RECIRCULATIONS) : Integer.valueOf(3);
        final Boolean checkDigits = root.has("validateCheckDigits")
            ? fields.bool(root.get("validateCheckDigits"), "validateCheckDigits") : Boolean.TRUE;
        final NoReadWords noReadWords = noReadWords(root, fields);

        final OutletsReader outlets = new OutletsReader(fields);
        outlets.readOutlets(root);
        outlets.readGroups(root);
        final Integer reject = outletField(root, "rejectOutlet", outlets, problems);
        final Integer fallback = outletField(root, "defaultOutlet", outlets, problems);
        final Integer overflow = root.has("overflowOutlet") ? outletField(root, "overflowOutlet", outlets, problems) : fallback;
        final Integer intercept = root.has("interceptOutlet") ? outletField(root, "interceptOutlet", outlets, problems) : reject;

        final RuleReader rules = new RuleReader(fields, outlets);
        rules.read(root);
        problems.throwIfAny();

        final RuleTable table = RuleIndexer.index(rules.rules(), rules.patterns());
        final List<String> warnings = UnreachableRules.find(table);
        return new SortPlan(name, version, zone, maxRecirculations, checkDigits, noReadWords,
            new PlanOutlets(outlets.outlets(), outlets.groups(), outlets.targets(fallback), reject, overflow, intercept),
            table, warnings, text);
    }

    /** The words scanners send for a no-read: the usual ones by default, none with an empty list. */
    private static NoReadWords noReadWords(Mapping root, FieldReader fields) {
        if (!root.has("noReadWords")) {
            return NoReadWords.DEFAULT;
        }
        final YamlNode node = root.get("noReadWords");
        if (node instanceof YamlNode.Sequence list && list.items().isEmpty()) {
            return NoReadWords.NONE;
        }
        final List<String> words = fields.codes(node, "noReadWords", ScanFlyweight.MAX_BARCODE_LENGTH);
        return words == null ? NoReadWords.NONE : NoReadWords.of(words);
    }

    private static Integer outletField(Mapping root, String field, OutletsReader outlets, Problems problems) {
        if (!root.has(field)) {
            problems.error(1, "", "sort plan has no " + field + ": every plan needs one");
            return null;
        }
        return outlets.known(root.get(field), field);
    }
}
