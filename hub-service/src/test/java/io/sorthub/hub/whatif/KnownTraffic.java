package io.sorthub.hub.whatif;

import io.sorthub.hub.outlet.OutletStatus;
import io.sorthub.hub.routing.compile.SortPlanCompiler;
import io.sorthub.protocol.EventKind;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneId;

/**
 * A journal with a known traffic mix over three hours, decided by the plan in force with
 * operators and the sorter changing outlet states on the way, and a candidate plan whose
 * every effect on it is known: Shenzhen (518) moves from outlet 5 to the group [6, 7], which
 * is partly full; unweighed parcels to 200 stop going to default; rule 40 matches nothing.
 */
public final class KnownTraffic {
    public static final String OLD = """
        name: in-force
        timeZone: Asia/Shanghai
        rejectOutlet: 99
        defaultOutlet: 98
        overflowOutlet: 97
        outlets: [{id: 1}, {id: 2}, {id: 5, name: Shenzhen}, {id: 6}, {id: 7}, {id: 97}, {id: 98}, {id: 99, type: reject}]
        groups: [{id: BJ, outlets: [1, 2]}, {id: SZ, outlets: [6, 7]}]
        rules:
          - {id: 10, destinationPrefix: "518", outlet: 5}
          - {id: 20, destinationPrefix: "100", group: BJ}
          - {id: 30, destinationPrefix: "200", weightGrams: {max: 3000}, outlet: 1}
        """;
    public static final String CANDIDATE = OLD.replace("name: in-force", "name: candidate")
        .replace("{id: 10, destinationPrefix: \"518\", outlet: 5}", "{id: 10, destinationPrefix: \"518\", group: SZ}")
        .replace("weightGrams: {max: 3000}", "weightGrams: {max: 3000, unweighed: true}")
        + "  - {id: 40, destinationPrefix: \"300\", outlet: 2}\n";
    public static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

    public static long at(int hour, int minute) {
        return LocalDateTime.of(2026, 11, 23, hour, minute).atZone(ZONE).toInstant().toEpochMilli();
    }

    private KnownTraffic() {
    }

    /** 275 sort requests and no-reads between 08:00 and 10:46 hub time, into the journal folder {@code dir}. */
    public static void record(Path dir) throws Exception {
        try (RecordedTraffic traffic = new RecordedTraffic(dir, new SortPlanCompiler().compile(OLD, 1))) {
            traffic.sortRequests(at(8, 0), 100, "518057", 500)
                .sortRequests(at(8, 10), 40, "100080", 500)
                .noReads(at(8, 20), 10)
                .operator(at(9, 0), 6, OutletStatus.FULL)
                .sortRequests(at(9, 1), 30, "518057", 500)
                .operator(at(9, 30), 7, OutletStatus.FULL)
                .sortRequests(at(9, 31), 30, "518057", 500)
                .sortRequests(at(9, 40), 30, "200001", 0) // not weighed
                .chute(at(10, 0), EventKind.CHUTE_CLEARED, 6)
                .sortRequests(at(10, 1), 20, "518057", 500)
                .sortRequests(at(10, 10), 5, "999999", 500)
                .chute(at(10, 30), EventKind.CHUTE_DISABLED, 1)
                .sortRequests(at(10, 45), 10, "100080", 500);
        }
    }
}
