package io.sorthub.gateway.sim;

import io.sorthub.protocol.EventKind;
import io.sorthub.protocol.ScanFlyweight;
import io.sorthub.protocol.ServiceClass;

import java.util.SplittableRandom;

/**
 * A hub's traffic as one scanner line sees it: each parcel arrives (到件), is inducted and
 * sort-requested, confirmed diverted, then loaded (发件). About 1.5% of inductions are
 * no-reads, 2% of parcels recirculate once before diverting, and now and then a chute
 * fills and is cleared a few hundred events later. Confirmations report the decided outlet
 * (0.3% another one: mis-sorts), or 0 when the DECISION has not come back yet. Deterministic
 * for a given seed and decisions.
 */
public final class TrafficGenerator {
    /** Destinations covering the demo plan's prefixes, plus ones no rule matches. */
    static final String[] DESTINATIONS = {
        "100080", "100101", "101300", "102600", "300072", "200030", "201203", "202150", "510640",
        "518057", "518000", "310012", "610041", "430074", "523000", "529000", "830000", "999999"};
    private static final char[] CHECK = "0123456789".toCharArray();

    private final SplittableRandom random;
    private final String scannerId;
    private final StringBuilder barcode = new StringBuilder(32);
    private final String run;
    private long parcel;
    private int stage;
    private boolean recirculate;
    private int recirculations;
    private String destination;
    private int fullChute;        // a chute this line reported full, 0 when none
    private int eventsUntilCleared;
    private long noReads;
    private long sortRequests;

    private final java.util.function.LongToIntFunction decidedOutlet;
    private long sortRequestSequence;

    /**
     * @param decidedOutlet the outlet the hub decided for a sequence, 0 when its DECISION has not
     *                      arrived yet: sort confirmations report it, as a sorter reports where
     *                      the parcel actually went
     */
    public TrafficGenerator(long seed, String scannerId, java.util.function.LongToIntFunction decidedOutlet) {
        this(seed, scannerId, "", decidedOutlet);
    }

    /**
     * @param run in every barcode, so that the parcels of two runs differ (the same seed and run
     *            give the same traffic again)
     */
    public TrafficGenerator(long seed, String scannerId, String run, java.util.function.LongToIntFunction decidedOutlet) {
        this.random = new SplittableRandom(seed);
        this.scannerId = scannerId;
        this.run = run;
        this.decidedOutlet = decidedOutlet;
    }

    /** Fill the next event of the flow into {@code scan}, whose sequence the caller has set. */
    public void next(ScanFlyweight scan, long deviceTimeMs) {
        if (fullChute != 0 && --eventsUntilCleared <= 0) {
            // The chute-full episode ends: an operator emptied it.
            scan.deviceTimeMs(deviceTimeMs).kind(EventKind.CHUTE_CLEARED).outlet(fullChute).strings(scannerId, "", "", "");
            fullChute = 0;
            return;
        }
        if (stage == 0) {
            startParcel();
        }
        scan.deviceTimeMs(deviceTimeMs).serviceClass(parcel % 5 == 0 ? ServiceClass.EXPRESS : ServiceClass.STANDARD)
            .weightGrams(200 + (int) (parcel * 7919 % 20_000)).dimensionsMm(300, 200, 100)
            .recirculations(recirculations);
        final EventKind kind;
        switch (stage) {
            case 0:
                kind = EventKind.ARRIVAL;
                stage = 1;
                break;
            case 1:
                sortRequests++;
                if (random.nextInt(1000) < 15) {
                    noReads++;
                    scan.kind(EventKind.NO_READ).strings(scannerId, "", "", "");
                    stage = 0; // a no-read goes to reject; manual handling picks it up
                    return;
                }
                kind = EventKind.SORT_REQUEST;
                sortRequestSequence = scan.sequence();
                stage = 2;
                break;
            case 2:
                if (recirculate) {
                    recirculate = false;
                    recirculations++;
                    kind = EventKind.CONFIRM_RECIRCULATED;
                    stage = 1;
                } else {
                    kind = EventKind.CONFIRM_DIVERTED;
                    stage = 3;
                }
                break;
            default:
                kind = EventKind.LOADING;
                stage = 0;
                break;
        }
        if (kind == EventKind.CONFIRM_DIVERTED && fullChute == 0 && random.nextInt(500) == 0) {
            // A chute-full episode: lasts a few hundred of this line's events, then cleared.
            fullChute = 1 + random.nextInt(9);
            eventsUntilCleared = 100 + random.nextInt(400);
            scan.kind(EventKind.CHUTE_FULL).outlet(fullChute).strings(scannerId, "", "", "");
            stage = 3;
            return;
        }
        if (kind == EventKind.CONFIRM_DIVERTED) {
            // Where the sorter says it went: the decided outlet, now and then (0.3%) another one.
            final int decided = decidedOutlet.applyAsInt(sortRequestSequence);
            scan.outlet(decided != 0 && random.nextInt(1000) < 3 ? decided % 9 + 1 : decided);
        }
        scan.kind(kind).strings(scannerId, barcode, destination, parcel % 3 == 0 ? "CUST-A" : "CUST-B");
    }

    private void startParcel() {
        parcel++;
        recirculations = 0;
        recirculate = random.nextInt(100) < 2;
        destination = DESTINATIONS[random.nextInt(DESTINATIONS.length)];
        barcode.setLength(0);
        barcode.append("SH").append(scannerId.hashCode() & 0xFFFF).append('-').append(run).append(parcel)
            .append(CHECK[(int) (parcel % 10)]);
    }

    public long noReads() {
        return noReads;
    }

    public long sortRequests() {
        return sortRequests;
    }
}
