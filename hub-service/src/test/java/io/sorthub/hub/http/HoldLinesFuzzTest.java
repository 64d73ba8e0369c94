package io.sorthub.hub.http;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.sorthub.hub.control.OpsControl;
import io.sorthub.hub.ops.OpsChange;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coverage-guided fuzzing of the bulk hold-list body (Jazzer): any bytes are a list of holds
 * that each pass the checks the single-hold API makes, or bad lines named by number and
 * problem, one line each; never an exception.
 */
class HoldLinesFuzzTest {
    @FuzzTest(maxDuration = "20s")
    @Timeout(60)
    void anyBodyIsHoldsOrNamesItsBadLines(byte[] input) {
        final String text = new String(input, StandardCharsets.UTF_8);
        final HoldLines.Result read = HoldLines.parse(text);
        final int lines = text.split("\r?\n", -1).length;
        assertThat(read.errors().size()).isEqualTo(Math.min(read.errorCount(), HoldLines.MAX_ERRORS_LISTED));
        for (int i = 0; i < read.errors().size(); i++) {
            final JsonObject error = read.errors().getJsonObject(i);
            assertThat(error.getInteger("line")).isBetween(1, lines);
            assertThat(error.getString("message")).isNotBlank().doesNotContain("\n");
        }
        if (read.errorCount() == 0) {
            for (OpsControl.Hold hold : read.holds()) {
                assertThat(OpsChange.barcodeError(hold.barcode())).isNull();
                assertThat(OpsChange.checkReason(hold.reason())).isNull();
            }
        }
    }
}
