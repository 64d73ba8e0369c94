package io.sorthub.hub.cleanroom.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sorthub.hub.cleanroom.HubHttp;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * What the operations tests share: the demo plan's outlets (a user has
 * {@code hub-service/src/main/resources/demo-plan.yaml}), the API's error form, and reading
 * JSON whose field names OPERATIONS.md gives but whose nesting it does not.
 */
final class Ops {
    static final Duration WAIT = Duration.ofSeconds(20);
    static final ObjectMapper JSON = new ObjectMapper();

    // The demo plan: destination → rule → outlet
    static final int INTERCEPT_OUTLET = 96;
    static final int REJECT_OUTLET = 99;
    /** destinationPrefix "200" → rule 30 → outlet 3. */
    static final String TO_3 = "200100";
    static final int RULE_TO_3 = 30;
    /** destinationPrefix "518" → rule 50 → outlet 5. */
    static final String TO_5 = "518100";
    /** destinationPrefix "310" → rule 60 → outlet 6. */
    static final String TO_6 = "310100";
    static final int RULE_TO_6 = 60;
    /** destinationPrefix "610" → rule 70 → outlet 7. */
    static final String TO_7 = "610100";
    /** destinationPrefix "430" → rule 80 → outlet 8. */
    static final String TO_8 = "430100";
    /** destinationPrefix "300" → rule 20 → outlet 10. */
    static final String TO_10 = "300100";
    static final int RULE_TO_10 = 20;

    private Ops() {
    }

    /**
     * "Every malformed body or parameter is answered 400 naming it": a 400 whose message (the
     * JSON {@code error} when there is one, else the body) is one line, carries no stack trace,
     * and names each of {@code words} (any letter case).
     */
    static String assertBadRequest(HttpResponse<String> r, String... words) throws Exception {
        final String what = r.request().method() + " " + r.request().uri().getRawPath()
            + (r.request().uri().getRawQuery() == null ? "" : "?" + r.request().uri().getRawQuery());
        assertThat(r.statusCode()).as("%s answered %s", what, r.body()).isEqualTo(400);
        String message = r.body().strip();
        try {
            final JsonNode body = JSON.readTree(r.body());
            if (body != null && body.hasNonNull("error")) {
                message = body.get("error").asText();
            }
        } catch (Exception notJson) {
            // a plain-text answer: its body is the message
        }
        assertThat(message).as("the error of %s", what).isNotBlank().doesNotContain("\n").doesNotContain("Exception")
            .doesNotContain("\tat ");
        for (String w : words) {
            assertThat(message.toLowerCase()).as("the error of %s names %s", what, w).contains(w.toLowerCase());
        }
        return message;
    }

    /** Every object anywhere in the tree (itself included) that has the field. */
    static List<JsonNode> objectsWith(JsonNode root, String field) {
        final List<JsonNode> found = new ArrayList<>();
        collect(root, n -> n.isObject() && n.has(field), found);
        return found;
    }

    /** Every array anywhere in the tree (itself included). */
    static List<JsonNode> arrays(JsonNode root) {
        final List<JsonNode> found = new ArrayList<>();
        collect(root, JsonNode::isArray, found);
        return found;
    }

    private static void collect(JsonNode n, Predicate<JsonNode> wanted, List<JsonNode> into) {
        if (wanted.test(n)) {
            into.add(n);
        }
        for (JsonNode child : n) {
            collect(child, wanted, into);
        }
    }

    /** A path segment with every byte outside letters, digits and {@code -._~} percent-encoded. */
    static String seg(String s) {
        final StringBuilder b = new StringBuilder();
        for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
            final char c = (char) (x & 0xFF);
            if (Character.isLetterOrDigit(c) && c < 128 || "-._~".indexOf(c) >= 0) {
                b.append(c);
            } else {
                b.append('%').append(String.format("%02X", x & 0xFF));
            }
        }
        return b.toString();
    }

    static String chars(char c, int n) {
        return String.valueOf(c).repeat(n);
    }

    /** A JSON string literal. */
    static String q(String s) throws Exception {
        return JSON.writeValueAsString(s);
    }

    /** {@code GET /api/parcels/{barcode}}: the parcel's trace (fails unless 200). */
    static JsonNode trace(HubHttp http, String barcode) throws Exception {
        return HubHttp.ok(http.get("/api/parcels/" + seg(barcode)));
    }

    /** A gauge or counter of {@code GET /metrics}, 0 while the hub exports none yet. */
    static double metric(HubHttp http, String series) throws Exception {
        return http.metricOrZero(series);
    }
}
