package io.sorthub.hub.ops;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Confirmation timeouts on a driven clock: decided, confirmed, lost, expired, by barcode or parcel id. */
class ConfirmationsTest {
    private static final long MS = 1_000_000L;
    private final List<String> counted = new ArrayList<>();
    private final Confirmations confirmations = new Confirmations(1_000);

    {
        confirmations.outcomes(new Confirmations.Outcomes() {
            @Override
            public void unconfirmed(int outlet) {
                counted.add("unconfirmed " + outlet);
            }

            @Override
            public void lost(int outlet) {
                counted.add("lost " + outlet);
            }
        });
    }

    @Test
    void nothingIsCountedUnconfirmedBeforeTheSorterConfirmsAnything() {
        confirmations.decided(11, 0, 5, 0);
        confirmations.sweep(5_000 * MS);
        assertThat(counted).isEmpty();
        assertThat(confirmations.pending()).isZero();
        assertThat(confirmations.tracking()).isFalse();
    }

    @Test
    void aDecisionNotConfirmedInTimeIsUnconfirmedByItsOutlet() {
        confirmations.confirmed(99, 0); // the sorter confirms: tracking starts
        confirmations.decided(11, 0, 5, 0);
        confirmations.decided(12, 0, 6, 100 * MS);
        confirmations.decided(13, 0, 7, 200 * MS);
        confirmations.confirmed(12, 0);
        confirmations.sweep(999 * MS);
        assertThat(counted).isEmpty();
        confirmations.sweep(1_000 * MS);
        assertThat(counted).containsExactly("unconfirmed 5");
        confirmations.sweep(10_000 * MS);
        assertThat(counted).containsExactly("unconfirmed 5", "unconfirmed 7");
        assertThat(confirmations.pending()).isZero();
    }

    @Test
    void aParcelIsMatchedByItsParcelIdWhenTheConfirmationHasNoBarcode() {
        confirmations.confirmed(99, 0);
        confirmations.decided(11, 501, 5, 0);
        confirmations.confirmed(0, 501);
        confirmations.decided(0, 502, 6, 0); // a re-keyed no-read known by its tray only
        confirmations.lost(77, 502, 9);
        confirmations.sweep(5_000 * MS);
        assertThat(counted).containsExactly("lost 6");
    }

    @Test
    void aLostParcelWithoutADecisionCountsUnderTheOutletTheSorterReported() {
        confirmations.lost(42, 0, 9);
        assertThat(counted).containsExactly("lost 9");
    }

    @Test
    void aParcelAskedAgainWaitsForItsNewDecisionOnly() {
        confirmations.confirmed(99, 0);
        confirmations.decided(11, 0, 5, 0);
        confirmations.decided(11, 0, 6, 900 * MS); // recirculated without a report, asked again
        confirmations.sweep(1_500 * MS);
        assertThat(counted).isEmpty();
        confirmations.confirmed(11, 0);
        confirmations.sweep(5_000 * MS);
        assertThat(counted).isEmpty();
        assertThat(confirmations.pending()).isZero();
    }

    @Test
    void aFullRingCountsItsOldestAsUnconfirmedAndKeepsTakingDecisions() {
        confirmations.confirmed(99, 0);
        for (int i = 0; i < Confirmations.CAPACITY + 3; i++) {
            confirmations.decided(1_000 + i, 0, 5, i);
        }
        assertThat(counted).hasSize(3);
        assertThat(confirmations.pending()).isEqualTo(Confirmations.CAPACITY);
        confirmations.confirmed(1_000 + Confirmations.CAPACITY + 2, 0);
        assertThat(confirmations.pending()).isEqualTo(Confirmations.CAPACITY - 1);
    }

    @Test
    void theRingGrowsWithoutLosingAWaitingParcelOrItsOrder() {
        confirmations.confirmed(99, 0);
        for (int i = 0; i < 5_000; i++) { // several doublings, with the head moved first
            confirmations.decided(1_000 + i, 2_000_000 + i, 1 + i % 7, i * MS);
            if (i == 100) {
                confirmations.confirmed(1_000, 0);
            }
        }
        assertThat(confirmations.pending()).isEqualTo(4_999);
        confirmations.confirmed(0, 2_000_000 + 4_000); // found by parcel id after the copies
        confirmations.lost(1_000 + 3, 0, 0);
        assertThat(counted).containsExactly("lost 4");
        confirmations.sweep(1_000 * MS + 10 * MS); // decisions at 0..10 ms are past the 1 s timeout
        assertThat(counted).containsExactly("lost 4", "unconfirmed 2", "unconfirmed 3", "unconfirmed 5", "unconfirmed 6",
            "unconfirmed 7", "unconfirmed 1", "unconfirmed 2", "unconfirmed 3", "unconfirmed 4");
        assertThat(confirmations.pending()).isEqualTo(4_997 - 9);
    }

    @Test
    void aZeroTimeoutTracksNothing() {
        final Confirmations off = new Confirmations(0);
        off.confirmed(1, 0);
        off.decided(11, 0, 5, 0);
        assertThat(off.pending()).isZero();
    }
}
