package io.sorthub.gateway.observability;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.sorthub.gateway.observability.ObservabilityFiles.DASHBOARDS;
import static io.sorthub.gateway.observability.ObservabilityFiles.dashboard;
import static io.sorthub.gateway.observability.ObservabilityFiles.panels;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboards as current Grafana loads them (no Grafana server can run here): a schema
 * version it migrates from, core panel types only (no Angular panels, which Grafana 11+
 * no longer draws), data sources through the ${datasource} variable, every variable used
 * defined, panels on the 24-column grid without overlap, a unit and a description on every
 * panel with queries, every query and annotation by hub, links between the dashboards, a
 * shared crosshair, annotations for plan changes and restarts, an alert list. What the
 * queries return is checked against a real Prometheus in {@link PrometheusDashboardTest}.
 */
class DashboardSchemaTest {
    private static final Set<String> CORE_PANELS = Set.of("row", "timeseries", "stat", "gauge", "bargauge", "table",
        "state-timeline", "status-history", "alertlist", "text", "heatmap", "piechart", "barchart", "histogram");
    private static final Set<String> UNITS = Set.of("none", "short", "percentunit", "percent", "s", "ms", "bytes",
        "Bps", "reqps", "dateTimeAsIso", "dtdurations");
    private static final Pattern VARIABLE = Pattern.compile("\\$(?:\\{)?([a-zA-Z_]+)");
    private static final Set<String> GRAFANA_VARIABLES = Set.of("__rate_interval", "__interval", "__range");

    @Test
    void dashboardsAreValidForCurrentGrafana() throws Exception {
        final List<String> problems = new ArrayList<>();
        for (String file : DASHBOARDS) {
            final JsonObject dashboard = dashboard(file);
            check(file, dashboard, problems);
        }
        assertThat(problems).isEmpty();
    }

    private static void check(String file, JsonObject d, List<String> problems) {
        if (d.getInteger("schemaVersion", 0) < 39) {
            problems.add(file + ": schemaVersion " + d.getInteger("schemaVersion") + " is older than Grafana 10.4's 39");
        }
        if (d.getString("uid", "").isBlank() || d.getString("title", "").isBlank()) {
            problems.add(file + ": needs uid and title");
        }
        if (d.getInteger("graphTooltip", 0) != 1) {
            problems.add(file + ": graphTooltip must be 1 (shared crosshair)");
        }
        if (!d.getJsonArray("tags", new JsonArray()).contains("sorthub")
            || d.getJsonArray("links", new JsonArray()).stream().map(JsonObject.class::cast)
                .noneMatch(l -> "dashboards".equals(l.getString("type")) && l.getJsonArray("tags").contains("sorthub")
                    && l.getBoolean("includeVars", false) && l.getBoolean("keepTime", false))) {
            problems.add(file + ": needs the tag sorthub and a link to the sorthub dashboards keeping time and variables");
        }
        final Set<String> variables = new HashSet<>();
        for (Object v : d.getJsonObject("templating").getJsonArray("list")) {
            variables.add(((JsonObject) v).getString("name"));
        }
        if (!variables.containsAll(Set.of("datasource", "hub"))) {
            problems.add(file + ": needs the datasource and hub variables");
        }
        final List<String> annotationNames = new ArrayList<>();
        for (Object a : d.getJsonObject("annotations").getJsonArray("list")) {
            final JsonObject annotation = (JsonObject) a;
            annotationNames.add(annotation.getString("name"));
            if (annotation.containsKey("expr")) {
                checkExpr(file + " / annotation " + annotation.getString("name"), annotation.getString("expr"),
                    variables, problems);
                checkDatasource(file + " / annotation " + annotation.getString("name"), annotation, problems);
            }
        }
        if (!annotationNames.containsAll(List.of("Sort plan put in force", "Process restarts"))) {
            problems.add(file + ": needs the plan-change and restart annotations, has " + annotationNames);
        }

        final Set<Integer> ids = new HashSet<>();
        final List<JsonObject> all = panels(d);
        boolean alertList = false;
        for (JsonObject panel : all) {
            final String where = file + " / " + panel.getString("title");
            final String type = panel.getString("type");
            alertList |= "alertlist".equals(type);
            if (!CORE_PANELS.contains(type)) {
                problems.add(where + ": panel type " + type + " is not a core panel");
            }
            if (!ids.add(panel.getInteger("id"))) {
                problems.add(where + ": id " + panel.getInteger("id") + " used twice");
            }
            if (!"row".equals(type) && panel.getString("description", "").isBlank()) {
                problems.add(where + ": no description");
            }
            if (!panel.containsKey("targets")) {
                continue;
            }
            checkDatasource(where, panel, problems);
            final String unit = panel.getJsonObject("fieldConfig").getJsonObject("defaults").getString("unit", "");
            if (!UNITS.contains(unit) && !unit.startsWith("suffix:")) {
                problems.add(where + ": unit '" + unit + "' is not one this project uses (or a suffix: unit)");
            }
            final Set<String> refIds = new HashSet<>();
            for (Object t : panel.getJsonArray("targets")) {
                final JsonObject target = (JsonObject) t;
                if (!refIds.add(target.getString("refId"))) {
                    problems.add(where + ": refId " + target.getString("refId") + " used twice");
                }
                checkDatasource(where, target, problems);
                checkExpr(where, target.getString("expr"), variables, problems);
            }
        }
        if (!alertList) {
            problems.add(file + ": needs an alert list panel");
        }
        checkGrid(file, d.getJsonArray("panels"), problems);
        for (Object p : d.getJsonArray("panels")) {
            final JsonObject row = (JsonObject) p;
            if ("row".equals(row.getString("type")) && row.getBoolean("collapsed", false)) {
                checkGrid(file + " / row " + row.getString("title"), row.getJsonArray("panels"), problems);
            }
        }
    }

    private static void checkExpr(String where, String expr, Set<String> variables, List<String> problems) {
        if (!expr.contains("hub=~\"$hub\"")) {
            problems.add(where + ": query not by hub: " + expr);
        }
        final Matcher m = VARIABLE.matcher(expr);
        while (m.find()) {
            if (!variables.contains(m.group(1)) && !GRAFANA_VARIABLES.contains(m.group(1))) {
                problems.add(where + ": uses undefined variable $" + m.group(1));
            }
        }
    }

    private static void checkDatasource(String where, JsonObject holder, List<String> problems) {
        final Object ds = holder.getValue("datasource");
        if (!(ds instanceof JsonObject ref) || !"prometheus".equals(ref.getString("type"))
            || !"${datasource}".equals(ref.getString("uid"))) {
            problems.add(where + ": datasource must be {type: prometheus, uid: ${datasource}}, is " + ds);
        }
    }

    /** Inside 24 columns, and no two panels on the same cells. */
    private static void checkGrid(String where, JsonArray panels, List<String> problems) {
        final List<int[]> boxes = new ArrayList<>();
        for (Object p : panels) {
            final JsonObject panel = (JsonObject) p;
            final JsonObject g = panel.getJsonObject("gridPos");
            final int[] box = {g.getInteger("x"), g.getInteger("y"), g.getInteger("w"), g.getInteger("h")};
            if (box[0] < 0 || box[2] < 1 || box[0] + box[2] > 24 || box[3] < 1) {
                problems.add(where + " / " + panel.getString("title") + ": gridPos " + g.encode() + " off the grid");
            }
            for (int[] other : boxes) {
                if (box[0] < other[0] + other[2] && other[0] < box[0] + box[2]
                    && box[1] < other[1] + other[3] && other[1] < box[1] + box[3]) {
                    problems.add(where + " / " + panel.getString("title") + ": overlaps another panel");
                }
            }
            boxes.add(box);
        }
    }
}
