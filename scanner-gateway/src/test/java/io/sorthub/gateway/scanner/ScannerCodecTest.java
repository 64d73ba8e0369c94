package io.sorthub.gateway.scanner;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every built-in profile on Netty's EmbeddedChannel: good lines, no-reads, multi-reads, and bad input. */
class ScannerCodecTest {

    private static List<Object> decode(ScannerProfile profile, String... chunks) {
        final EmbeddedChannel channel = new EmbeddedChannel(new ScannerFrameDecoder(profile.framing(), profile.maxLineLength()),
            new ScannerLineDecoder(profile));
        for (String chunk : chunks) {
            channel.writeInbound(Unpooled.copiedBuffer(chunk, StandardCharsets.ISO_8859_1));
        }
        final List<Object> out = new ArrayList<>();
        for (Object o = channel.readInbound(); o != null; o = channel.readInbound()) {
            out.add(o);
        }
        assertThat(channel.finishAndReleaseAll()).isFalse();
        return out;
    }

    private static ScannerRead read(Object o) {
        assertThat(o).isInstanceOf(ScannerRead.class);
        return (ScannerRead) o;
    }

    private static LineRejected rejected(Object o) {
        assertThat(o).isInstanceOf(LineRejected.class);
        return (LineRejected) o;
    }

    @Test
    void sickClvStxEtxWithNoReadAndMultiRead() {
        final List<Object> out = decode(ScannerProfile.SICK_CLV,
            "\u000210234;SF1234567890\u0003\u000210235;NoRead\u0003\u000210236;JD1,JD2\u0003\u0002HB\u0003");
        assertThat(out).hasSize(4);
        assertThat(read(out.get(0))).satisfies(r -> {
            assertThat(r.type()).isEqualTo(ScannerRead.Type.READ);
            assertThat(r.parcelId()).isEqualTo("10234");
            assertThat(r.barcode()).isEqualTo("SF1234567890");
        });
        assertThat(read(out.get(1)).type()).isEqualTo(ScannerRead.Type.NO_READ);
        assertThat(read(out.get(2))).satisfies(r -> {
            assertThat(r.type()).isEqualTo(ScannerRead.Type.MULTI_READ);
            assertThat(r.barcode()).isEqualTo("JD1");
        });
        assertThat(read(out.get(3)).type()).isEqualTo(ScannerRead.Type.HEARTBEAT);
    }

    @Test
    void stxEtxFramesSplitAcrossReadsAndGarbageBetweenThem() {
        final List<Object> out = decode(ScannerProfile.SICK_CLV, "junk\u000210234;SF12", "34\u0003more junk\u00021;A\u0003");
        assertThat(rejected(out.get(0)).error()).isEqualTo(LineError.GARBAGE);
        assertThat(read(out.get(1)).barcode()).isEqualTo("SF1234");
        assertThat(rejected(out.get(2)).error()).isEqualTo(LineError.GARBAGE);
        assertThat(read(out.get(3)).barcode()).isEqualTo("A");
    }

    @Test
    void cognexCrLfLines() {
        final List<Object> out = decode(ScannerProfile.COGNEX_DATAMAN, "JD0123456789\r\nNOREAD\r\nA/B\r\nHEARTBEAT\r\n");
        assertThat(read(out.get(0)).barcode()).isEqualTo("JD0123456789");
        assertThat(read(out.get(1)).type()).isEqualTo(ScannerRead.Type.NO_READ);
        assertThat(read(out.get(2)).type()).isEqualTo(ScannerRead.Type.MULTI_READ);
        assertThat(read(out.get(3)).type()).isEqualTo(ScannerRead.Type.HEARTBEAT);
    }

    @Test
    void datalogicWithStatusWeightAndDimensions() {
        final List<Object> out = decode(ScannerProfile.DATALOGIC,
            "\u0002P9|0|YT9988776655|2350|420|310|150\u0003\u0002P10|7|X1|1|1|1|1\u0003\u0002P11|0|?|0|0|0|0\u0003");
        assertThat(read(out.get(0))).satisfies(r -> {
            assertThat(r.parcelId()).isEqualTo("P9");
            assertThat(r.barcode()).isEqualTo("YT9988776655");
            assertThat(r.weightGrams()).isEqualTo(2350);
            assertThat(r.lengthMm()).isEqualTo(420);
            assertThat(r.widthMm()).isEqualTo(310);
            assertThat(r.heightMm()).isEqualTo(150);
        });
        assertThat(rejected(out.get(1))).satisfies(r -> {
            assertThat(r.error()).isEqualTo(LineError.UNKNOWN_STATUS);
            assertThat(r.detail()).contains("status '7'");
        });
        assertThat(read(out.get(2)).type()).isEqualTo(ScannerRead.Type.NO_READ);
    }

    @Test
    void genericCsvAllFields() {
        final List<Object> out = decode(ScannerProfile.GENERIC_CSV, "P1,SF123,518057,1200,300,200,100,1763800000000\n");
        assertThat(read(out.get(0))).isEqualTo(new ScannerRead(ScannerRead.Type.READ, "P1", "SF123", "518057", 1200, 300,
            200, 100, 1_763_800_000_000L));
    }

    /** Found by ScannerLineFuzzTest: reads the hub's SCAN frame could not carry, or empty "reads". */
    @Test
    void everyReadFitsTheHubFrameAndSeparatorsAloneAreANoRead() {
        final String longDestination = "D".repeat(40);
        final String longCode = "C".repeat(70);
        final List<Object> out = decode(ScannerProfile.GENERIC_CSV,
            "P1,NOREAD," + longDestination + ",0,0,0,0,0\n",
            "P2," + longCode + ";SF2,518,0,0,0,0,0\n",
            "P3,;;,518,0,0,0,0,0\n");
        assertThat(rejected(out.get(0)).error()).isEqualTo(LineError.MALFORMED);
        assertThat(rejected(out.get(1)).error()).isEqualTo(LineError.MALFORMED);
        assertThat(read(out.get(2)).type()).isEqualTo(ScannerRead.Type.NO_READ);
        assertThat(read(out.get(2)).barcode()).isEmpty();
        assertThat(read(decode(ScannerProfile.COGNEX_DATAMAN, "/\r\n").get(0)).type()).isEqualTo(ScannerRead.Type.NO_READ);
    }

    @Test
    void malformedLinesAreCountedAndTheNextLineStillDecodes() {
        final List<Object> out = decode(ScannerProfile.GENERIC_CSV,
            "only,three,fields\n",
            "P1,SF1,518,heavy,1,1,1,0\n",
            "P2,SF2,518,-5,1,1,1,0\n",
            "P3,SF\u00013,518,1,1,1,1,0\n",
            "P4,SF4,518,1,1,1,1,0\n");
        assertThat(rejected(out.get(0)).error()).isEqualTo(LineError.MALFORMED);
        assertThat(rejected(out.get(0)).detail()).contains("expected 8 fields").contains("got 3");
        assertThat(rejected(out.get(1)).error()).isEqualTo(LineError.BAD_NUMBER);
        assertThat(rejected(out.get(1)).detail()).contains("weight 'heavy'");
        assertThat(rejected(out.get(2)).error()).isEqualTo(LineError.BAD_NUMBER);
        assertThat(rejected(out.get(3)).error()).isEqualTo(LineError.GARBAGE);
        assertThat(rejected(out.get(3)).detail()).contains("0x1").contains("column 6");
        assertThat(read(out.get(4)).barcode()).isEqualTo("SF4");
    }

    @Test
    void oversizeLinesAreRefusedWithoutBufferingThemAndDecodingResumes() {
        final String huge = "X".repeat(2_000);
        List<Object> out = decode(ScannerProfile.GENERIC_CSV, huge.substring(0, 1_000), huge.substring(1_000) + "\nP1,SF1,5,1,1,1,1,0\n");
        assertThat(rejected(out.get(0)).error()).isEqualTo(LineError.OVERSIZE);
        assertThat(out).hasSize(2);
        assertThat(read(out.get(1)).barcode()).isEqualTo("SF1");

        out = decode(ScannerProfile.SICK_CLV, "\u0002" + huge, "\u0003\u00021;OK\u0003");
        assertThat(rejected(out.get(0)).error()).isEqualTo(LineError.OVERSIZE);
        assertThat(read(out.get(out.size() - 1)).barcode()).isEqualTo("OK");
    }

    @Test
    void randomGarbageNeverThrows() {
        final java.util.Random random = new java.util.Random(3);
        for (ScannerProfile profile : ScannerProfile.BUILT_IN.values()) {
            final EmbeddedChannel channel = new EmbeddedChannel(new ScannerFrameDecoder(profile.framing(), profile.maxLineLength()),
                new ScannerLineDecoder(profile));
            for (int i = 0; i < 2_000; i++) {
                final byte[] bytes = new byte[random.nextInt(200)];
                random.nextBytes(bytes);
                channel.writeInbound(Unpooled.wrappedBuffer(bytes));
                for (Object o = channel.readInbound(); o != null; o = channel.readInbound()) {
                    assertThat(o).isInstanceOfAny(ScannerRead.class, LineRejected.class);
                }
            }
            assertThat(channel.isActive()).isTrue();
            channel.finishAndReleaseAll();
        }
    }

    @Test
    void aProfileWithoutABarcodeFieldIsRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ScannerProfile("x", Framing.LF, ",",
                List.of(Field.PARCEL_ID), "NR", ";", null, java.util.Set.of(), 100))
            .hasMessageContaining("profile x: fields must include barcode");
    }
}
