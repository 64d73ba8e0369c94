package io.sorthub.hub.journal;

/** Small plans for journal tests. */
final class TestPlans {
    static final String ONE_RULE = """
        name: one-rule
        rejectOutlet: 99
        defaultOutlet: 90
        outlets: [{id: 1}, {id: 2}, {id: 90}, {id: 99, type: reject}]
        rules: [{id: 1, destinationPrefix: "1", outlet: 1}]
        """;

    private TestPlans() {
    }
}
