package io.sorthub.gateway.scanner;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cognex DataMan: the data formatting help of the DataMan Setup Tool ("How does data
 * formatting work?") ends the output string with CR LF when its CR/LF box is checked.
 */
class CognexDataManLineTest extends TelegramFamilyTest {
    @Override
    ScannerProfile profile() {
        return ScannerProfile.COGNEX_DATAMAN;
    }

    @Override
    String body(String code) {
        return code;
    }

    @Test
    void oneCodePerCrLfLine() {
        assertThat(barcodes(decode(bytes("JD0123456789\r\nSF1\r\n")))).containsExactly("JD0123456789", "SF1");
    }

    @Test
    void commaJoinedCodesAreAMultiReadNotTheFirstCode() {
        final ScannerRead read = read(decode(bytes("JD0123456789,SF1234567890\r\n")).get(0));
        assertThat(read.type()).isEqualTo(ScannerRead.Type.MULTI_READ);
    }

    @Test
    void aSlashIsPartOfCode39And128DataNotASeparator() {
        final ScannerRead read = read(decode(bytes("PO/1234567\r\n")).get(0));
        assertThat(read.type()).isEqualTo(ScannerRead.Type.READ);
        assertThat(read.barcode()).isEqualTo("PO/1234567");
    }

    @Test
    void crOnlyLineEndsLoseNothingAndDoNotSwallowTheNextLine() {
        assertThat(barcodes(decode(bytes("A1\rA2\rA3\r"), bytes("B1\r\nB2\n"))))
            .containsExactly("A1", "A2", "A3", "B1", "B2");
    }

    @Test
    void aLineAtTheLimitWithCrAndLfInDifferentSegmentsIsNotOversize() {
        final String line = "P".repeat(profile().maxLineLength());
        final List<Object> out = decode(bytes(line + "\r"), bytes("\nJD1\r\n"));
        assertThat(out).hasSize(2);
        // Within the framing limit; a 512-character code is then over the hub's 64, and said so.
        assertThat(rejected(out.get(0)).error()).isEqualTo(LineError.MALFORMED);
        assertThat(rejected(out.get(0)).detail()).contains("barcode of 512 bytes, the hub's limit is 64");
        assertThat(read(out.get(1)).barcode()).isEqualTo("JD1");
    }

    @Test
    void noReadInAnyCase() {
        assertThat(decode(bytes("NOREAD\r\nNoRead\r\nno read\r\n"))).allSatisfy(o -> assertThat(read(o).type())
            .isEqualTo(ScannerRead.Type.NO_READ));
    }
}
