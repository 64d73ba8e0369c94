package io.sorthub.protocol;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Version 2 beside version 1 (PROTOCOL.md, "Version 2"): what each accepts and refuses. */
class ProtocolVersion2Test {
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[2048]);
    private final FrameDecoder decoder = new FrameDecoder();

    @Test
    void aVersion2ScanCarriesTheParcelId() {
        final int length = new ScanFlyweight().wrapForEncode(buffer, 0).sequence(7).kind(EventKind.NO_READ)
            .strings("T1", "", "", "", "TRAY-0042").frameLength();
        assertThat(decoder.decode(buffer, 0, length)).isEqualTo(MessageType.SCAN);
        assertThat(decoder.scan().version()).isEqualTo(2);
        assertThat(decoder.scan().parcelId()).isEqualTo("TRAY-0042");
        assertThat(decoder.scan().barcodeLength()).isZero();
    }

    @Test
    void aVersion1ScanHasNoParcelIdAndAVersion2OneMustEndWithIt() {
        final ScanFlyweight scan = new ScanFlyweight();
        int length = scan.wrapForEncode(buffer, 0).sequence(1).kind(EventKind.SORT_REQUEST).strings("T", "B1", "10", "")
            .frameLength();
        assertThat(decoder.decode(buffer, 0, length)).isEqualTo(MessageType.SCAN);
        assertThat(decoder.scan().parcelId()).isEmpty();
        // The same bytes marked version 2 lack the parcel id field.
        buffer.putByte(Frame.VERSION_OFFSET, Frame.PROTOCOL_VERSION_2);
        assertThat(decoder.decode(buffer, 0, length)).isNegative();
        assertThat(decoder.error().code()).isEqualTo(ErrorCode.TRUNCATED_FIELD);
        assertThat(decoder.error().message()).contains("SCAN parcel id");
        // A version 2 frame written with the four-field call gets an empty parcel id.
        scan.wrapForEncode(buffer, 0).version(Frame.PROTOCOL_VERSION_2);
        length = scan.sequence(1).kind(EventKind.SORT_REQUEST).strings("T", "B1", "10", "").frameLength();
        assertThat(decoder.decode(buffer, 0, length)).isEqualTo(MessageType.SCAN);
        assertThat(decoder.scan().parcelIdLength()).isZero();
    }

    @Test
    void theNewEventKindsAreVersion2Only() {
        final ScanFlyweight scan = new ScanFlyweight();
        final int length = scan.wrapForEncode(buffer, 0).sequence(1).kind(EventKind.REKEY).strings("T", "B1", "", "")
            .frameLength();
        assertThat(decoder.decode(buffer, 0, length)).isNegative();
        assertThat(decoder.error().code()).isEqualTo(ErrorCode.INVALID_FIELD);
        assertThat(decoder.error().message()).contains("SCAN event kind");
        final int v2 = scan.wrapForEncode(buffer, 0).sequence(1).kind(EventKind.REKEY).strings("T", "B1", "", "", "TRAY-1")
            .frameLength();
        assertThat(decoder.decode(buffer, 0, v2)).isEqualTo(MessageType.SCAN);
        assertThat(decoder.scan().kind()).isEqualTo(EventKind.REKEY);
    }

    @Test
    void theNewReasonsAndTheFlagsByteAreVersion2Only() {
        final DecisionFlyweight decision = new DecisionFlyweight();
        decision.wrapForEncode(buffer, 0).sequence(3).reason(DecisionReason.INTERCEPTED).outlet(97);
        assertThat(decoder.decode(buffer, 0, DecisionFlyweight.LENGTH)).as("reason 10 in a version 1 DECISION").isNegative();
        decision.version(Frame.PROTOCOL_VERSION_2);
        decision.flags(DecisionFlyweight.FLAG_REKEYED);
        assertThat(decoder.decode(buffer, 0, DecisionFlyweight.LENGTH)).isEqualTo(MessageType.DECISION);
        assertThat(decoder.decision().reason()).isEqualTo(DecisionReason.INTERCEPTED);
        assertThat(decoder.decision().flags()).isEqualTo(DecisionFlyweight.FLAG_REKEYED);
        assertThat(DecisionReason.INTERCEPTED.forVersion(1)).isEqualTo(DecisionReason.RULE);
        assertThat(DecisionReason.OVERRIDE.forVersion(2)).isEqualTo(DecisionReason.OVERRIDE);
    }

    @Test
    void version3IsRefusedNamingTheNewestSupported() {
        final int length = new HeartbeatFlyweight().wrapForEncode(buffer, 0).timeMs(1).frameLength();
        buffer.putByte(Frame.VERSION_OFFSET, (byte) 3);
        assertThat(decoder.decode(buffer, 0, length)).isNegative();
        assertThat(decoder.error().code()).isEqualTo(ErrorCode.UNSUPPORTED_VERSION);
        assertThat(decoder.error().message()).contains("3").contains("2");
    }
}
