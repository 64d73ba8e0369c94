package io.sorthub.gateway.scanner;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Generic CSV (a dimensioning/OCR station, a DWS export): fields, numbers and timestamps. */
class GenericCsvLineTest extends TelegramFamilyTest {
    @Override
    ScannerProfile profile() {
        return ScannerProfile.GENERIC_CSV;
    }

    @Override
    String body(String code) {
        return "P1," + code + ",518057,1200,300,200,100,1763800000000";
    }

    @Test
    void allFields() {
        assertThat(read(decode(bytes("P1,SF123,518057,1200,300,200,100,1763800000000\n")).get(0)))
            .isEqualTo(new ScannerRead(ScannerRead.Type.READ, "P1", "SF123", "518057", 1200, 300, 200, 100,
                1_763_800_000_000L));
    }

    @Test
    void isoTimestampsAsExportsWriteThem() {
        final List<Object> out = decode(bytes("""
            P1,SF1,518057,1,1,1,1,2025-11-22T08:26:40Z
            P2,SF2,518057,1,1,1,1,2025-11-22 16:26:40.125+08:00
            P3,SF3,518057,1,1,1,1,2025-11-22T08:26:40
            P4,SF4,518057,1,1,1,1,yesterday
            """));
        assertThat(read(out.get(0)).deviceTimeMs()).isEqualTo(1_763_800_000_000L);
        assertThat(read(out.get(1)).deviceTimeMs()).isEqualTo(1_763_800_000_125L);
        assertThat(read(out.get(2)).deviceTimeMs()).as("no offset: the profile's zone, UTC").isEqualTo(1_763_800_000_000L);
        assertThat(rejected(out.get(3))).satisfies(r -> {
            assertThat(r.error()).isEqualTo(LineError.BAD_TIMESTAMP);
            assertThat(r.detail()).contains("timestamp 'yesterday'");
            assertThat(r.parcelId()).isEqualTo("P4");
        });
    }

    @Test
    void aNoReadWithoutTheOtherFieldsKeepsItsParcelId() {
        final ScannerRead read = read(decode(bytes("P9,NOREAD\n")).get(0));
        assertThat(read.type()).isEqualTo(ScannerRead.Type.NO_READ);
        assertThat(read.parcelId()).isEqualTo("P9");
    }

    @Test
    void refusedLinesSayWhyAndKeepTheParcelIdForTheAnswer() {
        final List<Object> out = decode(bytes("""
            P1,only,three
            P2,SF1,518,heavy,1,1,1,0
            P3,SF2,518,-5,1,1,1,0
            P4,SF\u00013,518,1,1,1,1,0
            P5,SF5,518,1,1,1,1,0,extra
            P6,SF6,518,1,1,1,1,0,
            """));
        assertThat(rejected(out.get(0))).satisfies(r -> {
            assertThat(r.error()).isEqualTo(LineError.MALFORMED);
            assertThat(r.detail()).contains("expected 8 fields").contains("got 3");
            assertThat(r.parcelId()).isEqualTo("P1");
            assertThat(r.telegram()).isTrue();
        });
        assertThat(rejected(out.get(1)).error()).isEqualTo(LineError.BAD_NUMBER);
        assertThat(rejected(out.get(1)).detail()).contains("weight 'heavy'");
        assertThat(rejected(out.get(2)).error()).isEqualTo(LineError.BAD_NUMBER);
        assertThat(rejected(out.get(3))).satisfies(r -> {
            assertThat(r.error()).isEqualTo(LineError.CONTROL_BYTE);
            assertThat(r.detail()).contains("<SOH> at column 6");
            assertThat(r.parcelId()).isEqualTo("P4");
        });
        assertThat(rejected(out.get(4)).detail()).contains("got 9");
        assertThat(read(out.get(5)).barcode()).as("a separator after the last field is harmless").isEqualTo("SF6");
    }

    /** Found by ScannerLineFuzzTest: reads the hub's SCAN frame could not carry, or empty "reads". */
    @Test
    void everyReadFitsTheHubFrameAndSeparatorsAloneAreANoRead() {
        final List<Object> out = decode(bytes("P1,NOREAD," + "D".repeat(40) + ",0,0,0,0,0\n"),
            bytes("P2," + "C".repeat(70) + ";SF2,518,0,0,0,0,0\n"), bytes("P3,;;,518,0,0,0,0,0\n"));
        assertThat(rejected(out.get(0)).error()).isEqualTo(LineError.MALFORMED);
        assertThat(rejected(out.get(1)).error()).isEqualTo(LineError.MALFORMED);
        assertThat(read(out.get(2)).type()).isEqualTo(ScannerRead.Type.NO_READ);
        assertThat(read(out.get(2)).barcode()).isEmpty();
    }

    @Test
    void theHeartbeatIsNoRead() {
        assertThat(read(decode(bytes("HB\n")).get(0)).type()).isEqualTo(ScannerRead.Type.HEARTBEAT);
    }
}
