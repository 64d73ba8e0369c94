package io.sorthub.hub.ops;

import io.sorthub.hub.routing.Decision;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The operations tables: what they find, what they forget, and that churn does not make them grow. */
class OpsTablesTest {
    private static UnsafeBuffer ascii(String text) {
        return new UnsafeBuffer(text.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void aHoldIsFoundWithItsReasonAndReleased() {
        final HoldList holds = new HoldList();
        holds.hold("SF1", "customs");
        final UnsafeBuffer b = ascii("xSF1y");
        final Decision d = new Decision();
        assertThat(holds.find(b, 1, 3, d)).isTrue();
        assertThat(d.note.getStringWithoutLengthAscii(d.noteOffset, d.noteLength)).isEqualTo("customs");
        assertThat(holds.find(b, 1, 2, d)).isFalse();
        assertThat(holds.release("SF1")).isTrue();
        assertThat(holds.release("SF1")).isFalse();
        assertThat(holds.find(b, 1, 3, d)).isFalse();
    }

    @Test
    void holdsPutAndReleasedForeverKeepTheirTextsBounded() {
        final HoldList holds = new HoldList();
        holds.hold("KEEP-1", "recalled");
        for (int i = 0; i < 500_000; i++) { // a reason changed, a hold taken off and put back: texts written again
            holds.hold("SF" + (i % 1_000), "reason " + i);
            if (i % 7 == 0) {
                holds.release("SF" + (i % 1_000));
            }
        }
        assertThat(holds.size()).isLessThanOrEqualTo(1_001);
        assertThat(holds.reasonOf("KEEP-1")).isEqualTo("recalled");
        assertThat(holds.reasonOf("SF999")).isEqualTo("reason 499999");
        assertThat(holds.arenaBytes()).as("compacted, not 500,000 texts").isLessThan(4L << 20);
    }

    @Test
    void aReplaceLoadIsInForceWholeOnlyWhenCommitted() {
        final HoldList holds = new HoldList();
        holds.hold("OLD-1", "old list");
        holds.beginLoad();
        holds.load("NEW-1", "new list");
        holds.load("NEW-2", "new list");
        assertThat(holds.contains("OLD-1")).as("the old list stays in force while the new one loads").isTrue();
        assertThat(holds.contains("NEW-1")).isFalse();
        holds.hold("DURING", "put on hold during the load"); // in force now, and kept by the load
        holds.commitLoad();
        assertThat(holds.contains("OLD-1")).isFalse();
        assertThat(holds.reasonOf("NEW-2")).isEqualTo("new list");
        assertThat(holds.contains("DURING")).isTrue();
        assertThat(holds.size()).isEqualTo(3);

        holds.beginLoad();
        holds.load("CUT-SHORT", "");
        holds.dropLoad(); // the hub stopped before the commit
        holds.commitLoad();
        assertThat(holds.contains("CUT-SHORT")).isFalse();
        assertThat(holds.contains("NEW-1")).isTrue();
    }

    @Test
    void holdsAddedAndReleasedForeverKeepTheTableBounded() {
        final LongTable table = new LongTable(16);
        for (long i = 1; i <= 1_000_000; i++) {
            table.put(i, i);
            table.remove(i - 1 == 0 ? 1_000_001 : i - 1);
        }
        assertThat(table.size()).isEqualTo(1);
        final long[] slots = new long[1];
        table.forEach((k, v) -> slots[0]++);
        assertThat(slots[0]).isEqualTo(1);
        assertThat(table.capacity()).as("rebuilt at the same size, not doubled each time").isLessThanOrEqualTo(64);
    }

    @Test
    void overridesEndAtTheirTimeAndABarcodeWinsOverItsDestination() {
        final Overrides overrides = new Overrides();
        overrides.set(Overrides.Scope.DESTINATION, "518057", 6, 10_000, "sup");
        overrides.set(Overrides.Scope.BARCODE, "SF1", 7, 10_000, "sup");
        final UnsafeBuffer b = ascii("SF1518057");
        assertThat(overrides.outletFor(b, 0, 3, 3, 6, 5_000)).isEqualTo(7);
        assertThat(overrides.outletFor(b, 0, 2, 3, 6, 5_000)).isEqualTo(6);
        assertThat(overrides.outletFor(b, 0, 3, 3, 6, 10_000)).isZero();
        assertThat(overrides.inForce(5_000)).isEqualTo(2);
        assertThat(overrides.cancel(Overrides.Scope.BARCODE, "SF1")).isTrue();
        assertThat(overrides.outletFor(b, 0, 3, 3, 6, 5_000)).isEqualTo(6);
    }

    @Test
    void reKeysKeepTheNewestHalfWhenFull() {
        final Rekeys rekeys = new Rekeys();
        final int n = Rekeys.CAPACITY + 1;
        for (int i = 0; i < n; i++) {
            rekeys.bind("T" + i, "SF" + i);
        }
        assertThat(rekeys.find("T" + (n - 1))).isEqualTo("SF" + (n - 1));
        assertThat(rekeys.find("T" + (n - Rekeys.CAPACITY / 2))).as("the newest half is kept")
            .isEqualTo("SF" + (n - Rekeys.CAPACITY / 2));
        assertThat(rekeys.find("T0")).as("the oldest half is forgotten").isNull();
        assertThat(rekeys.size()).isLessThanOrEqualTo(Rekeys.CAPACITY);
    }

    @Test
    void aBagIsSealedByTheNextAtItsChuteAndFoundByIndex() {
        final Bags bags = new Bags();
        bags.open(5, "A", 10, 1_000);
        bags.open(5, "B", 20, 2_000);
        assertThat(bags.find("A").sealedIndex()).isEqualTo(20);
        assertThat(bags.at(5, 15).id()).isEqualTo("A");
        assertThat(bags.at(5, 25).id()).isEqualTo("B");
        assertThat(bags.at(5, 5)).isNull();
        assertThat(bags.seal(5, "A", 30, 3_000)).as("A is not the open bag").isNull();
        assertThat(bags.seal(5, null, 30, 3_000).id()).isEqualTo("B");
        assertThat(bags.at(5, 35)).isNull();
        assertThat(bags.openCount()).isZero();
    }

    @Test
    void operatorFieldsAreCheckedWithMessagesNamingTheProblem() {
        assertThat(OpsChange.barcodeError("SF 1")).isEqualTo("barcode has a space at character 3 (printable ASCII only, no spaces)");
        assertThat(OpsChange.barcodeError("SF\u00e91")).contains("non-ASCII character U+00E9 at character 3");
        assertThat(OpsChange.barcodeError("SF\u00011")).contains("control character 0x01");
        assertThat(OpsChange.barcodeError("")).isEqualTo("barcode is missing");
        assertThat(OpsChange.barcodeError("X".repeat(65))).isEqualTo("barcode is 65 characters long; the limit is 64");
        assertThat(OpsChange.checkReason("R".repeat(65))).contains("limit is 64");
        assertThat(OpsChange.checkReason("wrong address")).isNull();
        assertThat(OpsChange.checkReason("tab\there")).contains("control character 0x09");
    }
}
