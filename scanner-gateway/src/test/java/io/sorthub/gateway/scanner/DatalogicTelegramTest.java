package io.sorthub.gateway.scanner;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Datalogic DS/DX/AV: the DS8110 manual's examples of its message format (section "No Read
 * Messages": {@code <STX>…<CR><LF>}, codes separated by ',' , a local no-read as '?', a
 * global no-read message for the whole reading phase).
 */
class DatalogicTelegramTest extends TelegramFamilyTest {
    @Override
    ScannerProfile profile() {
        return ScannerProfile.DATALOGIC;
    }

    @Override
    String body(String code) {
        return code;
    }

    @Test
    void stxHeaderAndCrLfTerminator() {
        assertThat(barcodes(decode(bytes("\u0002YT9988776655\r\n\u0002JT0001\r\n")))).containsExactly("YT9988776655",
            "JT0001");
    }

    @Test
    void theManualsMultiLabelMessageIsAMultiRead() {
        final ScannerRead read = read(decode(bytes(
            "\u00020027110002054872550918034976966,1234567890123,0467,675898767566\r\n")).get(0));
        assertThat(read.type()).isEqualTo(ScannerRead.Type.MULTI_READ);
        assertThat(read.barcode()).isEqualTo("0027110002054872550918034976966");
        // A local no-read ('?') among them is no code; the rest still disagree.
        assertThat(read(decode(bytes("\u0002034976966,?,0467\r\n")).get(0)).type()).isEqualTo(ScannerRead.Type.MULTI_READ);
        assertThat(read(decode(bytes("\u0002034976966,?\r\n")).get(0)).barcode()).isEqualTo("034976966");
    }

    @Test
    void theGlobalNoReadMessageAloneIsANoRead() {
        for (String message : new String[] {"???????", "?", "\u0018"}) {
            assertThat(read(decode(bytes("\u0002" + message + "\r\n")).get(0)).type())
                .as(ControlNames.escape(message)).isEqualTo(ScannerRead.Type.NO_READ);
        }
    }

    @Test
    void aGarbageTelegramDoesNotSwallowTheNextGoodOne() {
        final List<Object> out = decode(bytes("\u0002\u0001\u0001garbage\u0002GOOD1\r\n"));
        assertThat(rejected(out.get(0)).error()).isEqualTo(LineError.UNTERMINATED);
        assertThat(barcodes(out)).containsExactly("GOOD1");
    }
}
