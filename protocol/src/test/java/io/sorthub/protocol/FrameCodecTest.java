package io.sorthub.protocol;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class FrameCodecTest {
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[2048]);
    private final FrameDecoder decoder = new FrameDecoder();

    private int decode(int length) {
        return decoder.decode(buffer, 0, length);
    }

    private int encodeScan(String barcode) {
        return new ScanFlyweight().wrapForEncode(buffer, 0)
            .sequence(42).deviceTimeMs(1_700_000_000_123L).weightGrams(1250).dimensionsMm(300, 200, 150)
            .kind(EventKind.SORT_REQUEST).serviceClass(ServiceClass.EXPRESS).flags(ScanFlyweight.FLAG_MULTI_READ)
            .recirculations(2).outlet(17)
            .strings("TUNNEL-1", barcode, "518000", "CUST-9")
            .frameLength();
    }

    @Test
    void scanRoundTripsEveryField() {
        final int length = encodeScan("SF1234567890123");
        assertThat(length).isEqualTo(ScanFlyweight.FIXED_LENGTH + 4 + 8 + 15 + 6 + 6);
        assertThat(decode(length)).isEqualTo(MessageType.SCAN);
        final ScanFlyweight scan = decoder.scan();
        assertThat(scan.sequence()).isEqualTo(42);
        assertThat(scan.deviceTimeMs()).isEqualTo(1_700_000_000_123L);
        assertThat(scan.weightGrams()).isEqualTo(1250);
        assertThat(scan.lengthMm()).isEqualTo(300);
        assertThat(scan.widthMm()).isEqualTo(200);
        assertThat(scan.heightMm()).isEqualTo(150);
        assertThat(scan.kind()).isEqualTo(EventKind.SORT_REQUEST);
        assertThat(scan.serviceClass()).isEqualTo(ServiceClass.EXPRESS);
        assertThat(scan.multiRead()).isTrue();
        assertThat(scan.recirculations()).isEqualTo(2);
        assertThat(scan.outlet()).isEqualTo(17);
        assertThat(scan.scannerId()).isEqualTo("TUNNEL-1");
        assertThat(scan.barcode()).isEqualTo("SF1234567890123");
        assertThat(scan.destination()).isEqualTo("518000");
        assertThat(scan.customer()).isEqualTo("CUST-9");
    }

    @Test
    void bytesOutsideAsciiAreCarriedAsTheyAre() {
        final String utf8AsLatin1 = new String("SF\u00e9\u4e2d1".getBytes(java.nio.charset.StandardCharsets.UTF_8),
            java.nio.charset.StandardCharsets.ISO_8859_1);
        final int length = encodeScan(utf8AsLatin1);
        assertThat(decode(length)).isEqualTo(MessageType.SCAN);
        final ScanFlyweight scan = decoder.scan();
        final byte[] barcode = new byte[scan.barcodeLength()];
        scan.buffer().getBytes(scan.barcodeOffset(), barcode);
        assertThat(barcode).isEqualTo("SF\u00e9\u4e2d1".getBytes(java.nio.charset.StandardCharsets.UTF_8));

        assertThat(decode(encodeScan("A\u4e2d"))).isEqualTo(MessageType.SCAN);
        assertThat(buffer.getByte(decoder.scan().barcodeOffset() + 1)).as("not a printable stand-in").isEqualTo((byte) 0x1A);
    }

    @Test
    void dimensionsAndOutletUseTheWholeUnsignedRange() {
        final int length = new ScanFlyweight().wrapForEncode(buffer, 0).sequence(1).kind(EventKind.CHUTE_FULL)
            .dimensionsMm(65535, 40000, 1).outlet(65535).strings("", "", "", "").frameLength();
        assertThat(decode(length)).isEqualTo(MessageType.SCAN);
        assertThat(decoder.scan().lengthMm()).isEqualTo(65535);
        assertThat(decoder.scan().widthMm()).isEqualTo(40000);
        assertThat(decoder.scan().outlet()).isEqualTo(65535);
        assertThat(decoder.scan().barcodeLength()).isZero();
    }

    @Test
    void helloWelcomeDecisionAckHeartbeatErrorRoundTrip() {
        int length = new HelloFlyweight().wrapForEncode(buffer, 0).sourceId(7).strings("line-1", "secret").frameLength();
        assertThat(decode(length)).isEqualTo(MessageType.HELLO);
        assertThat(decoder.hello().sourceId()).isEqualTo(7);
        assertThat(decoder.hello().sourceName()).isEqualTo("line-1");
        assertThat(decoder.hello().credential()).isEqualTo("secret");

        length = new WelcomeFlyweight().wrapForEncode(buffer, 0).sourceId(7).heartbeatIntervalMs(5000)
            .resumeSequence(99).serverTimeMs(123).planVersion(555).maxFrameLength(1024).frameLength();
        assertThat(length).isEqualTo(WelcomeFlyweight.LENGTH);
        assertThat(decode(length)).isEqualTo(MessageType.WELCOME);
        final WelcomeFlyweight welcome = decoder.welcome();
        assertThat(welcome.sourceId()).isEqualTo(7);
        assertThat(welcome.heartbeatIntervalMs()).isEqualTo(5000);
        assertThat(welcome.resumeSequence()).isEqualTo(99);
        assertThat(welcome.serverTimeMs()).isEqualTo(123);
        assertThat(welcome.planVersion()).isEqualTo(555);
        assertThat(welcome.maxFrameLength()).isEqualTo(1024);

        length = new DecisionFlyweight().wrapForEncode(buffer, 0).sequence(5).planVersion(9).ruleId(120)
            .outlet(40000).reason(DecisionReason.ALTERNATE).frameLength();
        assertThat(decode(length)).isEqualTo(MessageType.DECISION);
        assertThat(decoder.decision().sequence()).isEqualTo(5);
        assertThat(decoder.decision().planVersion()).isEqualTo(9);
        assertThat(decoder.decision().ruleId()).isEqualTo(120);
        assertThat(decoder.decision().outlet()).isEqualTo(40000);
        assertThat(decoder.decision().reason()).isEqualTo(DecisionReason.ALTERNATE);

        length = new AckFlyweight().wrapForEncode(buffer, 0).sourceId(7).sequence(1L << 40).frameLength();
        assertThat(decode(length)).isEqualTo(MessageType.ACK);
        assertThat(decoder.ack().sourceId()).isEqualTo(7);
        assertThat(decoder.ack().sequence()).isEqualTo(1L << 40);

        length = new HeartbeatFlyweight().wrapForEncode(buffer, 0).timeMs(77).frameLength();
        assertThat(decode(length)).isEqualTo(MessageType.HEARTBEAT);
        assertThat(decoder.heartbeat().timeMs()).isEqualTo(77);

        length = new ErrorFlyweight().wrapForEncode(buffer, 0).code(ErrorCode.FIELD_TOO_LONG).sequence(3)
            .message("barcode too long: 障害").frameLength();
        assertThat(decode(length)).isEqualTo(MessageType.ERROR);
        assertThat(decoder.errorFrame().code()).isEqualTo(ErrorCode.FIELD_TOO_LONG);
        assertThat(decoder.errorFrame().sequence()).isEqualTo(3);
        assertThat(decoder.errorFrame().message()).isEqualTo("barcode too long: 障害");
    }

    @Test
    void everyEventKindAndReasonRoundTripsByCode() {
        for (EventKind kind : EventKind.values()) {
            assertThat(EventKind.fromCode(kind.code())).isSameAs(kind);
        }
        for (DecisionReason reason : DecisionReason.values()) {
            assertThat(DecisionReason.fromCode(reason.code())).isSameAs(reason);
        }
        for (ErrorCode code : ErrorCode.values()) {
            assertThat(ErrorCode.fromCode(code.code())).isSameAs(code);
        }
        assertThat(EventKind.fromCode(0)).isNull();
        assertThat(EventKind.fromCode(EventKind.MAX_CODE + 1)).isNull();
    }

    @Test
    void randomScansRoundTrip() {
        final Random random = new Random(20261122);
        for (int i = 0; i < 2_000; i++) {
            final String barcode = randomAscii(random, random.nextInt(ScanFlyweight.MAX_BARCODE_LENGTH + 1));
            final String destination = randomAscii(random, random.nextInt(ScanFlyweight.MAX_DESTINATION_LENGTH + 1));
            final long sequence = 1 + (random.nextLong() >>> 1) % Long.MAX_VALUE;
            final EventKind kind = EventKind.values()[random.nextInt(EventKind.values().length)];
            final ScanFlyweight scan = new ScanFlyweight().wrapForEncode(buffer, 0).sequence(sequence).kind(kind)
                .weightGrams(random.nextInt());
            final int length = kind.code() > EventKind.MAX_CODE_V1 // version 2 kinds travel in version 2 frames
                ? scan.strings("S", barcode, destination, "", "P" + i).frameLength()
                : scan.strings("S", barcode, destination, "").frameLength();
            assertThat(decode(length)).as(decoder.error().toString()).isEqualTo(MessageType.SCAN);
            assertThat(decoder.scan().sequence()).isEqualTo(sequence);
            assertThat(decoder.scan().kind()).isEqualTo(kind);
            assertThat(decoder.scan().barcode()).isEqualTo(barcode);
            assertThat(decoder.scan().destination()).isEqualTo(destination);
        }
    }

    private static String randomAscii(Random random, int length) {
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < length; i++) {
            sb.append((char) (0x21 + random.nextInt(0x5E)));
        }
        return sb.toString();
    }

    // --- malformed input: each gets its error code and a message that says where ----------

    @Test
    void frameShorterThanHeaderIsMalformed() {
        assertThat(decode(5)).isEqualTo(-1);
        assertThat(decoder.error().code()).isEqualTo(ErrorCode.MALFORMED_FRAME);
        assertThat(decoder.error().message()).contains("shorter than the 8-byte header");
    }

    @Test
    void declaredLengthMustMatchTheBytesReceived() {
        final int length = encodeScan("X1");
        assertThat(decode(length - 1)).isEqualTo(-1);
        assertThat(decoder.error().code()).isEqualTo(ErrorCode.MALFORMED_FRAME);
        assertThat(decoder.error().message()).contains("declared frame length");
    }

    @Test
    void oversizeDeclaredLengthIsRefused() {
        buffer.putInt(0, 5_000, Frame.BYTE_ORDER);
        assertThat(decode(16)).isEqualTo(-1); // the length field alone must refuse it
        assertThat(decoder.error().code()).isEqualTo(ErrorCode.FRAME_TOO_LARGE);
        assertThat(decoder.error().message()).contains("5000").contains("1024");
    }

    @Test
    void wrongVersionIsNamed() {
        final int length = encodeScan("X1");
        buffer.putByte(Frame.VERSION_OFFSET, (byte) 9);
        assertThat(decode(length)).isEqualTo(-1);
        assertThat(decoder.error().code()).isEqualTo(ErrorCode.UNSUPPORTED_VERSION);
        assertThat(decoder.error().message()).contains("version 9");
    }

    @Test
    void unknownTypeIsNamed() {
        final int length = encodeScan("X1");
        buffer.putByte(Frame.TYPE_OFFSET, (byte) 0x33);
        assertThat(decode(length)).isEqualTo(-1);
        assertThat(decoder.error().code()).isEqualTo(ErrorCode.UNKNOWN_TYPE);
        assertThat(decoder.error().message()).contains("0x33");
    }

    @Test
    void fieldRunningPastTheFrameIsTruncated() {
        final int length = encodeScan("ABCDEF");
        // claim the customer field is 30 bytes long when only 6 follow
        final int customerLengthAt = length - 7;
        buffer.putByte(customerLengthAt, (byte) 30);
        assertThat(decode(length)).isEqualTo(-1);
        assertThat(decoder.error().code()).isEqualTo(ErrorCode.TRUNCATED_FIELD);
        assertThat(decoder.error().message()).contains("SCAN customer").contains("at byte " + customerLengthAt);
    }

    @Test
    void oversizeBarcodeIsRefusedWithItsLengthAndLimit() {
        final int length = encodeScan("A".repeat(64));
        final int barcodeLengthAt = ScanFlyweight.VAR_FIELDS_OFFSET + 1 + 8;
        assertThat(buffer.getByte(barcodeLengthAt)).isEqualTo((byte) 64);
        buffer.putByte(barcodeLengthAt, (byte) 65);
        assertThat(decode(length)).isEqualTo(-1);
        assertThat(decoder.error().code()).isEqualTo(ErrorCode.FIELD_TOO_LONG);
        assertThat(decoder.error().message()).contains("SCAN barcode").contains("65 bytes").contains("limit is 64");
    }

    @Test
    void encoderRefusesAnOversizeBarcodeToo() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> encodeScan("B".repeat(65)))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("barcode");
    }

    @Test
    void bytesAfterTheLastFieldAreMalformed() {
        final int length = encodeScan("X1");
        buffer.putInt(0, length + 3, Frame.BYTE_ORDER);
        assertThat(decode(length + 3)).isEqualTo(-1);
        assertThat(decoder.error().code()).isEqualTo(ErrorCode.MALFORMED_FRAME);
        assertThat(decoder.error().message()).contains("after its last field");
    }

    @Test
    void unknownEventKindAndZeroSequenceAreInvalidFields() {
        int length = encodeScan("X1");
        buffer.putByte(ScanFlyweight.KIND_OFFSET, (byte) 99);
        assertThat(decode(length)).isEqualTo(-1);
        assertThat(decoder.error().code()).isEqualTo(ErrorCode.INVALID_FIELD);
        assertThat(decoder.error().message()).contains("event kind").contains("99");

        length = encodeScan("X1");
        buffer.putLong(ScanFlyweight.SEQUENCE_OFFSET, 0, Frame.BYTE_ORDER);
        assertThat(decode(length)).isEqualTo(-1);
        assertThat(decoder.error().message()).contains("sequence");
    }

    @Test
    void fixedSizeMessagesMustHaveTheirExactLength() {
        final int length = new AckFlyweight().wrapForEncode(buffer, 0).sourceId(1).sequence(1).frameLength();
        buffer.putInt(0, length + 8, Frame.BYTE_ORDER);
        assertThat(decode(length + 8)).isEqualTo(-1);
        assertThat(decoder.error().code()).isEqualTo(ErrorCode.MALFORMED_FRAME);
        assertThat(decoder.error().message()).contains("ACK has the wrong length");
    }

    @Test
    void truncatedHelloAndZeroSourceIdAreRefused() {
        int length = new HelloFlyweight().wrapForEncode(buffer, 0).sourceId(3).strings("abc", "").frameLength();
        buffer.putInt(0, length - 2, Frame.BYTE_ORDER);
        assertThat(decode(length - 2)).isEqualTo(-1);
        assertThat(decoder.error().code()).isEqualTo(ErrorCode.TRUNCATED_FIELD);

        length = new HelloFlyweight().wrapForEncode(buffer, 0).sourceId(0).strings("abc", "").frameLength();
        assertThat(decode(length)).isEqualTo(-1);
        assertThat(decoder.error().code()).isEqualTo(ErrorCode.INVALID_FIELD);
        assertThat(decoder.error().message()).contains("source id");
    }

    @Test
    void randomGarbageNeverThrows() {
        final Random random = new Random(7);
        final byte[] bytes = buffer.byteArray();
        for (int i = 0; i < 20_000; i++) {
            final int length = random.nextInt(300);
            random.nextBytes(bytes);
            if (random.nextBoolean()) { // make the header plausible so the body checks run
                buffer.putInt(0, length, Frame.BYTE_ORDER);
                buffer.putByte(Frame.VERSION_OFFSET, Frame.PROTOCOL_VERSION);
                buffer.putByte(Frame.TYPE_OFFSET, random.nextBoolean() ? MessageType.SCAN : MessageType.HELLO);
            }
            final int type = decode(length);
            if (type < 0) {
                assertThat(decoder.error().code()).isNotNull();
                assertThat(decoder.error().message()).isNotBlank();
            }
        }
    }
}
