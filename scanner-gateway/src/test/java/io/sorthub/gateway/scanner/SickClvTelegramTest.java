package io.sorthub.gateway.scanner;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SICK CLV/Lector: the CLV 410 manual (Host interface, "Terminator" and "Protocol Send
 * Start/Stop Character") gives a terminator of CR LF by default, then the protocol's stop
 * character ETX as the only byte after it, after the start character STX.
 */
class SickClvTelegramTest extends TelegramFamilyTest {
    @Override
    ScannerProfile profile() {
        return ScannerProfile.SICK_CLV;
    }

    @Override
    String body(String code) {
        return code;
    }

    @Override
    byte[] telegram(String body) {
        return bytes("\u0002" + body + "\r\n\u0003"); // the factory CR LF inside STX…ETX
    }

    @Test
    void factoryOutputWithTheTerminatorInsideTheFrameIsARead() {
        final List<Object> out = decode(bytes("\u00020123412345\r\n\u0003"), bytes("\u0002SF1234567890\r\u0003"),
            bytes("\u0002JD0001\u0003"));
        assertThat(barcodes(out)).containsExactly("0123412345", "SF1234567890", "JD0001");
        assertThat(out).allSatisfy(o -> assertThat(read(o).type()).isEqualTo(ScannerRead.Type.READ));
    }

    @Test
    void theErrorStringAloneIsANoRead() {
        assertThat(read(decode(bytes("\u0002NoRead\r\n\u0003")).get(0)).type()).isEqualTo(ScannerRead.Type.NO_READ);
    }

    @Test
    void aNestedStxRestartsTheTelegramAndLosesOnlyTheCutOne() {
        final List<Object> out = decode(bytes("\u0002JD77\u0002SF1234567890\r\n\u0003\u0002JD78\r\n\u0003"));
        assertThat(rejected(out.get(0))).satisfies(r -> {
            assertThat(r.error()).isEqualTo(LineError.UNTERMINATED);
            assertThat(r.detail()).contains("4 bytes after <STX> with no <ETX> before the next <STX>: 'JD77'");
        });
        assertThat(barcodes(out)).containsExactly("SF1234567890", "JD78");
    }

    @Test
    void anOversizeTelegramWithoutEtxDoesNotSwallowTheNextOne() {
        final List<Object> out = decode(bytes("\u0002" + "9".repeat(2_000)), bytes("\u0002SF1\r\n\u0003"));
        assertThat(rejected(out.get(0)).error()).isEqualTo(LineError.OVERSIZE);
        assertThat(barcodes(out)).containsExactly("SF1");
    }

    @Test
    void severalCodesAreAMultiRead() {
        final ScannerRead read = read(decode(bytes("\u0002JD1,JD2\r\n\u0003")).get(0));
        assertThat(read.type()).isEqualTo(ScannerRead.Type.MULTI_READ);
        assertThat(read.barcode()).isEqualTo("JD1");
    }

    @Test
    void crLfBetweenTelegramsIsPaddingNotGarbage() {
        assertThat(decode(bytes("\u0002A\u0003\r\n\u0002B\u0003\r\n"))).extracting(o -> read(o).barcode())
            .containsExactly("A", "B");
    }

    @Test
    void bytesBeforeTheFirstStxAreCountedAsGarbage() {
        final List<Object> out = decode(bytes("xx\u0002A\u0003"));
        assertThat(rejected(out.get(0)).error()).isEqualTo(LineError.GARBAGE);
        assertThat(rejected(out.get(0)).detail()).startsWith("2 bytes outside any <STX>…<ETX> telegram: 'xx'");
        assertThat(barcodes(out)).containsExactly("A");
    }
}
