package io.sorthub.gateway.scanner;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.sorthub.gateway.forward.ScanEncoder;
import io.sorthub.protocol.EventKind;
import io.sorthub.protocol.Frame;
import io.sorthub.protocol.FrameDecoder;
import io.sorthub.protocol.MessageType;
import io.sorthub.protocol.ScanFlyweight;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coverage-guided fuzzing of every scanner line profile (Jazzer): byte 0 picks the profile
 * (the four built-in ones, a custom one using every field type, one with two-byte header and
 * terminator), byte 1 seeds the read
 * sizes, the rest is what the device sends. Seeds in {@code ScannerLineFuzzTestInputs} are
 * the sample bytes of docs/SCANNERS.md.
 *
 * <p>Whatever arrives, the codec emits only reads and rejections (never throws, never
 * closes), and every read it lets through encodes to a SCAN frame the hub accepts: a frame
 * the hub refused would be resent from the spool forever.
 */
class ScannerLineFuzzTest {
    static final List<ScannerProfile> PROFILES = List.of(ScannerProfile.SICK_CLV, ScannerProfile.COGNEX_DATAMAN,
        ScannerProfile.DATALOGIC, ScannerProfile.GENERIC_CSV,
        new ScannerProfile("custom", Framing.CRLF, "\t", List.of(Field.IGNORE, Field.STATUS, Field.PARCEL_ID,
            Field.BARCODE, Field.DESTINATION, Field.WEIGHT, Field.LENGTH, Field.WIDTH, Field.HEIGHT, Field.TIMESTAMP),
            List.of(), false, "+", "PING", Set.of("OK", "GOOD"), ZoneOffset.UTC, 64),
        new ScannerProfile("two-byte-delimiters", new Framing(new byte[] {0x1B, '['}, new byte[] {'#', 0x03}), ";",
            List.of(Field.PARCEL_ID, Field.BARCODE), List.of("FAIL"), true, ",", null, Set.of(), ZoneOffset.UTC, 32));

    private final ScanEncoder encoder = new ScanEncoder();
    private final UnsafeBuffer frame = new UnsafeBuffer(new byte[Frame.MAX_FRAME_LENGTH]);
    private final FrameDecoder hub = new FrameDecoder();

    @FuzzTest(maxDuration = "20s")
    @Timeout(60)
    void anyDeviceBytesGiveReadsTheHubAcceptsOrCountedRejections(byte[] input) {
        if (input.length < 2) {
            return;
        }
        final ScannerProfile profile = PROFILES.get((input[0] & 0xFF) % PROFILES.size());
        final EmbeddedChannel channel = new EmbeddedChannel(
            new TelegramDecoder(profile.framing(), profile.maxLineLength()), new ScannerLineDecoder(profile));
        try {
            int readSize = (input[1] & 0xFF) | 1;
            for (int at = 2; at < input.length; ) {
                final int n = Math.min(readSize, input.length - at);
                channel.writeInbound(Unpooled.wrappedBuffer(input, at, n)); // rethrows what the pipeline threw
                at += n;
                readSize = (readSize * 37 + 11) % 301 + 1;
                for (Object out = channel.readInbound(); out != null; out = channel.readInbound()) {
                    check(profile, out);
                }
            }
            assertThat(channel.isActive()).as("a bad line never closes the device's connection").isTrue();
            channel.finish(); // the device closes: what is left is reported, never thrown
            for (Object out = channel.readInbound(); out != null; out = channel.readInbound()) {
                check(profile, out);
            }
        } finally {
            channel.finishAndReleaseAll();
        }
    }

    private void check(ScannerProfile profile, Object out) {
        if (out instanceof LineRejected rejected) {
            assertThat(rejected.error()).isNotNull();
            assertThat(rejected.detail()).isNotBlank();
            return;
        }
        assertThat(out).isInstanceOf(ScannerRead.class);
        final ScannerRead read = (ScannerRead) out;
        if (read.type() == ScannerRead.Type.HEARTBEAT) {
            return;
        }
        if (read.type() != ScannerRead.Type.NO_READ) {
            assertThat(read.barcode()).isNotEmpty();
        }
        final int length = encoder.encode(frame, read, EventKind.SORT_REQUEST, profile.name(), 1_700_000_000_000L);
        frame.putLong(ScanFlyweight.SEQUENCE_OFFSET, 1, Frame.BYTE_ORDER); // the spool numbers it on append
        assertThat(hub.decode(frame, 0, length)).as("%s from %s: %s", read, profile.name(), hub.error())
            .isEqualTo(MessageType.SCAN);
        final byte[] carried = new byte[hub.scan().barcodeLength()];
        hub.scan().buffer().getBytes(hub.scan().barcodeOffset(), carried);
        assertThat(carried).as("the device's bytes, unchanged").isEqualTo(read.barcode().getBytes(StandardCharsets.ISO_8859_1));
    }
}
