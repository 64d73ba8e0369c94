package io.sorthub.hub.routing.compile;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DestinationRangesTest {
    @Test
    void rangesBecomeTheFewestCoveringPrefixes() {
        assertThat(DestinationRanges.prefixes("100000", "102999")).containsExactly("100", "101", "102");
        assertThat(DestinationRanges.prefixes("100050", "100149"))
            .containsExactly("10005", "10006", "10007", "10008", "10009", "10010", "10011", "10012", "10013", "10014");
        assertThat(DestinationRanges.prefixes("518000", "518000")).containsExactly("518000");
        assertThat(DestinationRanges.prefixes("000", "999")).containsExactly("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
    }

    @Test
    void anEighteenDigitRangeStaysSmall() {
        assertThat(DestinationRanges.prefixes("000000000000000001", "999999999999999998")).hasSizeLessThan(400);
    }
}
