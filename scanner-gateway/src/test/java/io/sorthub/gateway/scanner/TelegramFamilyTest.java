package io.sorthub.gateway.scanner;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every scanner family's codec must do on Netty's EmbeddedChannel: telegrams split at
 * every byte, joined in one read, over-long, with garbage between them, and cut off by the
 * device closing the connection. Each family's class adds its vendor's raw bytes.
 */
abstract class TelegramFamilyTest {
    abstract ScannerProfile profile();

    /** The body of a read of {@code code} in this family's field layout. */
    abstract String body(String code);

    /** Bytes as the device frames a body. */
    byte[] telegram(String body) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(profile().framing().header());
        out.writeBytes(body.getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(profile().framing().terminator());
        return out.toByteArray();
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] concat(byte[]... parts) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** Decode the chunks as separate reads, then close the connection; everything that came out. */
    List<Object> decode(byte[]... chunks) {
        final EmbeddedChannel channel = new EmbeddedChannel(
            new TelegramDecoder(profile().framing(), profile().maxLineLength()), new ScannerLineDecoder(profile()));
        final List<Object> out = new ArrayList<>();
        for (byte[] chunk : chunks) {
            channel.writeInbound(Unpooled.wrappedBuffer(chunk));
            drain(channel, out);
        }
        channel.finish();
        drain(channel, out);
        channel.finishAndReleaseAll();
        return out;
    }

    private static void drain(EmbeddedChannel channel, List<Object> out) {
        for (Object o = channel.readInbound(); o != null; o = channel.readInbound()) {
            out.add(o);
        }
    }

    static ScannerRead read(Object o) {
        assertThat(o).isInstanceOf(ScannerRead.class);
        return (ScannerRead) o;
    }

    static LineRejected rejected(Object o) {
        assertThat(o).isInstanceOf(LineRejected.class);
        return (LineRejected) o;
    }

    static List<String> barcodes(List<Object> out) {
        return out.stream().filter(o -> o instanceof ScannerRead).map(o -> ((ScannerRead) o).barcode()).toList();
    }

    private byte[] threeReads() {
        return concat(telegram(body("A1001")), telegram(body("B2002")), telegram(body("C3003")));
    }

    @Test
    void telegramsSplitAtEveryByteDecodeAsWhole() {
        final byte[] all = threeReads();
        final byte[][] single = new byte[all.length][];
        for (int i = 0; i < all.length; i++) {
            single[i] = new byte[] {all[i]};
        }
        assertThat(decode(single)).isEqualTo(decode(all));
        assertThat(barcodes(decode(single))).containsExactly("A1001", "B2002", "C3003");
    }

    @Test
    void telegramsJoinedInOneReadAllDecode() {
        final List<Object> out = decode(threeReads());
        assertThat(out).hasSize(3).allSatisfy(o -> assertThat(read(o).type()).isEqualTo(ScannerRead.Type.READ));
        assertThat(barcodes(out)).containsExactly("A1001", "B2002", "C3003");
    }

    @Test
    void anOverlongTelegramIsReportedOnceNotBufferedAndTheNextOneDecodes() {
        final int max = profile().maxLineLength();
        final String huge = "X".repeat(max * 8);
        final byte[] oversize = telegram(body(huge));
        final byte[][] chunks = new byte[17][];
        final int step = oversize.length / 16;
        for (int i = 0; i < 16; i++) {
            chunks[i] = java.util.Arrays.copyOfRange(oversize, i * step, i == 15 ? oversize.length : (i + 1) * step);
        }
        chunks[16] = telegram(body("OK1"));
        final List<Object> out = decode(chunks);
        assertThat(out).hasSize(2);
        assertThat(rejected(out.get(0))).satisfies(r -> {
            assertThat(r.error()).isEqualTo(LineError.OVERSIZE);
            assertThat(r.telegram()).as("a parcel stood behind it").isTrue();
            assertThat(r.detail()).contains("longer than " + max);
        });
        assertThat(read(out.get(1)).barcode()).isEqualTo("OK1");
    }

    @Test
    void aTelegramOfExactlyTheLimitIsNotOversizeOneByteMoreIs() {
        final int max = profile().maxLineLength();
        final String atLimit = body("C".repeat(max - body("").length()));
        assertThat(bytes(atLimit)).hasSize(max);
        final Object out = decode(telegram(atLimit)).get(0);
        assertThat(out instanceof LineRejected r ? r.error() : null).isNotEqualTo(LineError.OVERSIZE);
        assertThat(rejected(decode(telegram(body("C".repeat(max + 1 - body("").length())))).get(0)).error())
            .isEqualTo(LineError.OVERSIZE);
    }

    @Test
    void garbageBetweenTelegramsIsCountedAndNamedAndTheReadsAroundItDecode() {
        final List<Object> out = decode(concat(telegram(body("A1001")), garbage(), telegram(body("B2002"))));
        assertThat(barcodes(out)).containsExactly("A1001", "B2002");
        final List<LineRejected> rejections = out.stream().filter(o -> o instanceof LineRejected)
            .map(o -> (LineRejected) o).toList();
        assertThat(rejections).isNotEmpty().allSatisfy(r -> {
            assertThat(r.error()).isIn(LineError.GARBAGE, LineError.CONTROL_BYTE, LineError.UNTERMINATED);
            assertThat(r.detail()).contains("<SOH>");
        });
    }

    /** Bytes that are no telegram of this family: a control byte in the middle. */
    byte[] garbage() {
        return profile().framing().header().length > 0 ? bytes("junk\u0001junk")
            : concat(bytes("junk\u0001junk"), profile().framing().terminator());
    }

    @Test
    void aTelegramCutOffByTheDeviceClosingIsReportedNotLost() {
        final byte[] whole = telegram(body("A1001"));
        final byte[] next = telegram(body("B2002"));
        final List<Object> out = decode(whole, java.util.Arrays.copyOf(next, next.length - profile().framing()
            .terminator().length));
        assertThat(read(out.get(0)).barcode()).isEqualTo("A1001");
        assertThat(out).hasSize(2);
        assertThat(rejected(out.get(1))).satisfies(r -> {
            assertThat(r.error()).isEqualTo(LineError.UNTERMINATED);
            assertThat(r.detail()).contains("closed the connection").contains("B2002");
            assertThat(r.telegram()).as("a cut-off read is not forwarded: its code may be cut too").isFalse();
        });
    }

    @Test
    void aBarcodeWithUtf8BytesIsForwardedByteForByte() {
        final String utf8 = new String("SF\u4e2d\u56fd1".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        final ScannerRead read = read(decode(telegram(body(utf8))).get(0));
        assertThat(read.type()).isEqualTo(ScannerRead.Type.READ);
        assertThat(read.barcode().getBytes(StandardCharsets.ISO_8859_1))
            .isEqualTo("SF\u4e2d\u56fd1".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void noReadWordsInAnyCaseAreNoReads() {
        for (String word : new String[] {"NOREAD", "NoRead", "noread", "NO READ", "?", "???????"}) {
            assertThat(read(decode(telegram(body(word))).get(0)).type()).as(word).isEqualTo(ScannerRead.Type.NO_READ);
        }
    }

    @Test
    void randomBytesNeverThrowNorCloseTheConnection() {
        final java.util.Random random = new java.util.Random(3);
        final EmbeddedChannel channel = new EmbeddedChannel(
            new TelegramDecoder(profile().framing(), profile().maxLineLength()), new ScannerLineDecoder(profile()));
        for (int i = 0; i < 2_000; i++) {
            final byte[] chunk = new byte[random.nextInt(200)];
            random.nextBytes(chunk);
            channel.writeInbound(Unpooled.wrappedBuffer(chunk));
            for (Object o = channel.readInbound(); o != null; o = channel.readInbound()) {
                assertThat(o).isInstanceOfAny(ScannerRead.class, LineRejected.class);
            }
        }
        assertThat(channel.isActive()).isTrue();
        channel.finishAndReleaseAll();
    }
}
