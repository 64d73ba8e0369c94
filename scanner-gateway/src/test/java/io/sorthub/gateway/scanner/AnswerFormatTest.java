package io.sorthub.gateway.scanner;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The answer line: the device's framing around the template, numbers and bytes exact. */
class AnswerFormatTest {
    private static String encode(ScannerProfile profile, String template, String id, String barcode, long sequence,
                                 int outlet) {
        final ByteBuf out = Unpooled.buffer();
        AnswerFormat.of(profile, template).encode(out, id, barcode, sequence, outlet);
        return ControlNames.escape(out.toString(StandardCharsets.ISO_8859_1));
    }

    @Test
    void theDefaultIsIdSeparatorOutletInTheDevicesFraming() {
        assertThat(encode(ScannerProfile.GENERIC_CSV, null, "P1", "SF1", 7, 5)).isEqualTo("P1,5<LF>");
        assertThat(encode(ScannerProfile.SICK_CLV, null, "", "SF1", 7, 99)).isEqualTo("<STX>;99<ETX>");
        assertThat(encode(ScannerProfile.DATALOGIC, null, "", "SF1", 7, 0)).isEqualTo("<STX>;0<CR><LF>");
    }

    @Test
    void everyPlaceholderAndControlNamesInTheTemplate() {
        assertThat(encode(ScannerProfile.COGNEX_DATAMAN, "{sequence}<TAB>{barcode}<TAB>{id}<TAB>{outlet}", "P9",
            "SF\u00e9", 9_007_199_254_740_993L, 65_535))
            .isEqualTo("9007199254740993<HT>SF<0xE9><HT>P9<HT>65535<CR><LF>");
        assertThat(encode(ScannerProfile.GENERIC_CSV, "{outlet}", "", "", 0, 10)).isEqualTo("10<LF>");
    }

    @Test
    void aTemplateWithoutAnOutletOrWithAnUnknownPlaceholderIsRefused() {
        assertThatThrownBy(() -> AnswerFormat.of(ScannerProfile.GENERIC_CSV, "{id}")).hasMessageContaining("{outlet}");
        assertThatThrownBy(() -> AnswerFormat.of(ScannerProfile.GENERIC_CSV, "{outlet}{weight}"))
            .hasMessageContaining("unknown placeholder {weight}");
    }

    @Test
    void controlNamesRoundTrip() {
        final byte[] all = new byte[256];
        for (int i = 0; i < 256; i++) {
            all[i] = (byte) i;
        }
        assertThat(ControlNames.parse(ControlNames.escape(all))).isEqualTo(all);
        assertThat(ControlNames.parse("<stx>A<Tab><0x1d>")).containsExactly(0x02, 'A', 0x09, 0x1D);
    }
}
