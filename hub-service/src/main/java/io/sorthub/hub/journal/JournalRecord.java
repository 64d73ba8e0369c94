package io.sorthub.hub.journal;

import io.sorthub.protocol.DecisionReason;
import io.sorthub.protocol.Frame;
import io.sorthub.protocol.FrameError;
import io.sorthub.protocol.ScanFlyweight;
import io.sorthub.hub.routing.Decision;
import org.agrona.MutableDirectBuffer;

import static io.sorthub.protocol.Frame.BYTE_ORDER;

/**
 * One journal document. Type 1 (almost all of them): a SCAN as it arrived, with the hub's
 * decision about it; the scan is kept as its wire frame, so the journal holds exactly what
 * the source sent. Type 2: an operator set an outlet's state. Type 3: a sort plan was put
 * in force (its full text, so every decision's plan can be found again).
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------+---------------+-------------------------------+
 *  |  Record Type  | Record Version| Reserved (0)  | Record flags  |  0
 *  +---------------+---------------+-------------------------------+
 *  |                  Source Id (int32)                            |  4
 *  +---------------------------------------------------------------+
 *  |                  Received At (int64, epoch ns, hub clock)     |  8
 *  +---------------------------------------------------------------+
 *  |                  Sort Plan Version (int64)                    | 16
 *  +---------------------------------------------------------------+
 *  |                  Rule Id (int32)                              | 24
 *  +-------------------------------+---------------+---------------+
 *  |        Outlet (uint16)        |    Reason     | Decision flags| 28
 *  +-------------------------------+---------------+---------------+
 *  |  Previous (int64): journal index of the previous record of    | 32
 *  |  the same barcode (hash), 0 when none; set by the writer      |
 *  +---------------------------------------------------------------+
 *  |                  SCAN frame, as received (see PROTOCOL.md)   ... 40
 *  +---------------------------------------------------------------+
 *  | len | barcode routed by, when decision flag 1 (re-keyed) is set ...
 *  +---------------------------------------------------------------+
 *  | len | the hold's reason, when the reason is INTERCEPTED        ...
 *  +---------------------------------------------------------------+
 * </pre>
 */
public final class JournalRecord {
    public static final byte TYPE_SCAN = 1;
    public static final byte TYPE_OUTLET_STATE = 2;
    public static final byte TYPE_PLAN = 3;
    public static final byte TYPE_CHECKPOINT = 4;
    public static final byte TYPE_AUDIT = 5;
    public static final byte TYPE_SOURCE_RESET = 6;
    /** Hub pair, local only: the pair's log position of the batch just appended. */
    public static final byte TYPE_PAIR_POSITION = 7;
    /** Hub pair, replicated: an instance became the pair's active. */
    public static final byte TYPE_PAIR_ACTIVE = 8;
    /** Hub pair, replicated: the device credentials as SHA-256 digests, after an admin changed them. */
    public static final byte TYPE_DEVICES = 9;
    /** Replicated: an operator changed the hold list, an override, a re-key or a bag (see ops.OpsChange). */
    public static final byte TYPE_OPS = 10;
    /** The highest record type this version reads; readers skip higher ones. */
    public static final byte TYPE_MAX = TYPE_OPS;

    /** Records that exist in one journal only; every other type is replicated in a hub pair. */
    public static boolean localOnly(int type) {
        return type == TYPE_CHECKPOINT || type == TYPE_PAIR_POSITION;
    }

    /** Byte 3 of every record: flags. */
    public static final int RECORD_FLAGS_OFFSET = 3;
    /**
     * Written by this instance's checkpoint (a copy of the plan, of the operations tables): not
     * part of any batch of a hub pair's log, so never counted as one.
     */
    public static final int RECORD_FLAG_CHECKPOINT = 1;

    /** Whether this record belongs to this instance's journal only (never to a pair's log). */
    public boolean localOnly() {
        return localOnly(type()) || (buffer.getByte(offset + RECORD_FLAGS_OFFSET) & RECORD_FLAG_CHECKPOINT) != 0;
    }

    /** Mark a record (bytes as made by this class) as a checkpoint's copy. */
    public static byte[] checkpointCopy(byte[] record) {
        record[RECORD_FLAGS_OFFSET] |= RECORD_FLAG_CHECKPOINT;
        return record;
    }
    public static final byte VERSION = 1;

    public static final int TYPE_OFFSET = 0;
    public static final int VERSION_OFFSET = 1;
    public static final int SOURCE_ID_OFFSET = 4;
    public static final int RECEIVED_AT_OFFSET = 8;
    public static final int PLAN_VERSION_OFFSET = 16;
    public static final int RULE_ID_OFFSET = 24;
    public static final int OUTLET_OFFSET = 28;
    public static final int REASON_OFFSET = 30;
    /** Decision flags (protocol version 2's DECISION flags; 0 before). */
    public static final int DECISION_FLAGS_OFFSET = 31;
    public static final int PREVIOUS_OFFSET = 32;
    public static final int SCAN_OFFSET = 40;
    public static final int HEADER_LENGTH = SCAN_OFFSET;
    public static final int MAX_LENGTH = HEADER_LENGTH + Frame.MAX_FRAME_LENGTH + 1 + ScanFlyweight.MAX_BARCODE_LENGTH
        + 1 + 64; // and a hold's reason, 64 characters at most

    // Type 2, outlet state:  0 type | 1 version | 4 outlet int32 | 8 at (epoch ns) | 16 status u8
    //                        | 17 actor length u8 | 18 actor (ASCII)
    public static final int OUTLET_OFFSET_STATE = 4;
    public static final int STATUS_OFFSET = 16;
    public static final int ACTOR_OFFSET = 17;
    // Type 3, plan:          0 type | 1 version | 4 text length int32 | 8 at (epoch ns)
    //                        | 16 plan version int64 | 24 plan text (UTF-8)
    public static final int PLAN_TEXT_LENGTH_OFFSET = 4;
    public static final int PLAN_TEXT_OFFSET = 24;

    private final ScanFlyweight scan = new ScanFlyweight();
    private final FrameError error = new FrameError();
    private MutableDirectBuffer buffer;
    private int offset;

    /** Write a record for {@code source}'s scan and decision; returns its length. */
    public static int encode(MutableDirectBuffer dst, int offset, int sourceId, long receivedAtNs,
                             Decision decision, ScanFlyweight source) {
        return encode(dst, offset, sourceId, receivedAtNs, decision, source, source);
    }

    /** The bytes {@link #encode} writes after the SCAN frame: the re-key and hold-reason trailers. */
    public static int trailerLength(Decision decision, ScanFlyweight source, ScanFlyweight routed) {
        return (routed == source ? 0 : 1 + routed.barcodeLength())
            + (decision.reason == DecisionReason.INTERCEPTED ? 1 + decision.noteLength : 0);
    }

    /**
     * As above, for a scan routed by another barcode than its own (a re-keyed no-read): the
     * record keeps the SCAN as sent, then the barcode it was routed by (the re-key trailer);
     * an interception then keeps the hold's reason.
     */
    public static int encode(MutableDirectBuffer dst, int offset, int sourceId, long receivedAtNs,
                             Decision decision, ScanFlyweight source, ScanFlyweight routed) {
        int length = encodeScan(dst, offset, sourceId, receivedAtNs, decision, source);
        if (routed != source) {
            final int barcodeLength = routed.barcodeLength();
            dst.putByte(offset + length, (byte) barcodeLength);
            dst.putBytes(offset + length + 1, routed.buffer(), routed.barcodeOffset(), barcodeLength);
            length += 1 + barcodeLength;
        }
        if (decision.reason == DecisionReason.INTERCEPTED) {
            dst.putByte(offset + length, (byte) decision.noteLength);
            if (decision.noteLength > 0) {
                dst.putBytes(offset + length + 1, decision.note, decision.noteOffset, decision.noteLength);
            }
            length += 1 + decision.noteLength;
        }
        return length;
    }

    private static int encodeScan(MutableDirectBuffer dst, int offset, int sourceId, long receivedAtNs,
                                  Decision decision, ScanFlyweight source) {
        dst.putByte(offset + TYPE_OFFSET, TYPE_SCAN);
        dst.putByte(offset + VERSION_OFFSET, VERSION);
        dst.putShort(offset + 2, (short) 0, BYTE_ORDER);
        dst.putInt(offset + SOURCE_ID_OFFSET, sourceId, BYTE_ORDER);
        dst.putLong(offset + RECEIVED_AT_OFFSET, receivedAtNs, BYTE_ORDER);
        dst.putLong(offset + PLAN_VERSION_OFFSET, decision.planVersion, BYTE_ORDER);
        dst.putInt(offset + RULE_ID_OFFSET, decision.ruleId, BYTE_ORDER);
        dst.putShort(offset + OUTLET_OFFSET, (short) decision.outlet, BYTE_ORDER);
        dst.putByte(offset + REASON_OFFSET, (byte) decision.reason.code());
        dst.putByte(offset + DECISION_FLAGS_OFFSET, (byte) decision.flags);
        dst.putLong(offset + PREVIOUS_OFFSET, 0L, BYTE_ORDER);
        return HEADER_LENGTH + source.copyTo(dst, offset + SCAN_OFFSET);
    }

    /** An operator's outlet state change, for the journal writer's control queue. Not hot. */
    public static byte[] outletState(int outlet, int statusCode, long atNs, String actor) {
        final byte[] actorBytes = actor.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        final int actorLength = Math.min(actorBytes.length, 255);
        final org.agrona.concurrent.UnsafeBuffer b = new org.agrona.concurrent.UnsafeBuffer(new byte[18 + actorLength]);
        b.putByte(TYPE_OFFSET, TYPE_OUTLET_STATE);
        b.putByte(VERSION_OFFSET, VERSION);
        b.putInt(OUTLET_OFFSET_STATE, outlet, BYTE_ORDER);
        b.putLong(RECEIVED_AT_OFFSET, atNs, BYTE_ORDER);
        b.putByte(STATUS_OFFSET, (byte) statusCode);
        b.putByte(ACTOR_OFFSET, (byte) actorLength);
        b.putBytes(18, actorBytes, 0, actorLength);
        return b.byteArray();
    }

    /** A plan put in force, with its whole text. Not hot. */
    public static byte[] plan(long planVersion, String text, long atNs) {
        final byte[] textBytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        final org.agrona.concurrent.UnsafeBuffer b = new org.agrona.concurrent.UnsafeBuffer(
            new byte[PLAN_TEXT_OFFSET + textBytes.length]);
        b.putByte(TYPE_OFFSET, TYPE_PLAN);
        b.putByte(VERSION_OFFSET, VERSION);
        b.putInt(PLAN_TEXT_LENGTH_OFFSET, textBytes.length, BYTE_ORDER);
        b.putLong(RECEIVED_AT_OFFSET, atNs, BYTE_ORDER);
        b.putLong(PLAN_VERSION_OFFSET, planVersion, BYTE_ORDER);
        b.putBytes(PLAN_TEXT_OFFSET, textBytes);
        return b.byteArray();
    }

    // Type 4, checkpoint, once in every cycle so that older cycles can be deleted: first when the
    // cycle turned between batches, else right after the batch during which it turned (the
    // state after every record before it):
    //   0 type | 1 version | 4 source count int32 | 8 at (epoch ns) | 16 outlet count int32
    //   | 24 sources: (source id int32, sequence int64) x n | outlets: (outlet uint16, status u8) x m
    public static final int CHECKPOINT_SOURCES_OFFSET = 4;
    public static final int CHECKPOINT_OUTLETS_OFFSET = 16;
    public static final int CHECKPOINT_BODY_OFFSET = 24;

    /** A checkpoint of the state that replay would otherwise need older cycles for. */
    public static byte[] checkpoint(int[] sourceIds, long[] sequences, int[] outlets, int[] statuses, long atNs) {
        final org.agrona.concurrent.UnsafeBuffer b = new org.agrona.concurrent.UnsafeBuffer(
            new byte[CHECKPOINT_BODY_OFFSET + 12 * sourceIds.length + 3 * outlets.length]);
        b.putByte(TYPE_OFFSET, TYPE_CHECKPOINT);
        b.putByte(VERSION_OFFSET, VERSION);
        b.putInt(CHECKPOINT_SOURCES_OFFSET, sourceIds.length, BYTE_ORDER);
        b.putLong(RECEIVED_AT_OFFSET, atNs, BYTE_ORDER);
        b.putInt(CHECKPOINT_OUTLETS_OFFSET, outlets.length, BYTE_ORDER);
        int at = CHECKPOINT_BODY_OFFSET;
        for (int i = 0; i < sourceIds.length; i++, at += 12) {
            b.putInt(at, sourceIds[i], BYTE_ORDER);
            b.putLong(at + 4, sequences[i], BYTE_ORDER);
        }
        for (int i = 0; i < outlets.length; i++, at += 3) {
            b.putShort(at, (short) outlets[i], BYTE_ORDER);
            b.putByte(at + 2, (byte) statuses[i]);
        }
        return b.byteArray();
    }

    /** Type 4: call back with each (source, sequence) and each (outlet, status). */
    public void checkpoint(java.util.function.ObjLongConsumer<Integer> source, java.util.function.IntBinaryOperator outlet) {
        final int sources = buffer.getInt(offset + CHECKPOINT_SOURCES_OFFSET, BYTE_ORDER);
        final int outlets = buffer.getInt(offset + CHECKPOINT_OUTLETS_OFFSET, BYTE_ORDER);
        int at = offset + CHECKPOINT_BODY_OFFSET;
        for (int i = 0; i < sources; i++, at += 12) {
            source.accept(buffer.getInt(at, BYTE_ORDER), buffer.getLong(at + 4, BYTE_ORDER));
        }
        for (int i = 0; i < outlets; i++, at += 3) {
            outlet.applyAsInt(buffer.getShort(at, BYTE_ORDER) & 0xFFFF, buffer.getByte(at + 2));
        }
    }

    // A record's keys, hashed at most once per wrap: the writer and replay want each of them
    // two or three times (the parcel index's chain, the confirmation map, the re-keys).
    private boolean barcodeKeyKnown;
    private long barcodeKey;
    private boolean parcelIdKeyKnown;
    private long parcelIdKey;

    /** Wrap a record for reading. An embedded scan was validated before it was journaled. */
    public JournalRecord wrap(MutableDirectBuffer buffer, int offset) {
        this.buffer = buffer;
        this.offset = offset;
        barcodeKeyKnown = false;
        parcelIdKeyKnown = false;
        if (type() == TYPE_SCAN) {
            scan.wrap(buffer, offset + SCAN_OFFSET);
            scan.validate(error); // locates the variable fields
        }
        return this;
    }

    /** Type 2: the outlet whose state was set. */
    public int stateOutlet() {
        return buffer.getInt(offset + OUTLET_OFFSET_STATE, BYTE_ORDER);
    }

    /** Type 2: the status code set (see OutletStatus). */
    public int stateCode() {
        return buffer.getByte(offset + STATUS_OFFSET);
    }

    /**
     * Type 5, audit: who did what through the API. 0 type | 1 version | 4 action length int32
     * | 8 at (epoch ns) | 16 actor length u8 | 17 actor (ASCII) | action (UTF-8).
     */
    public static byte[] audit(String actor, String action, long atNs) {
        final byte[] actorBytes = actor.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        final int actorLength = Math.min(actorBytes.length, 255);
        final byte[] actionBytes = action.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        final org.agrona.concurrent.UnsafeBuffer b = new org.agrona.concurrent.UnsafeBuffer(
            new byte[17 + actorLength + actionBytes.length]);
        b.putByte(TYPE_OFFSET, TYPE_AUDIT);
        b.putByte(VERSION_OFFSET, VERSION);
        b.putInt(4, actionBytes.length, BYTE_ORDER);
        b.putLong(RECEIVED_AT_OFFSET, atNs, BYTE_ORDER);
        b.putByte(16, (byte) actorLength);
        b.putBytes(17, actorBytes, 0, actorLength);
        b.putBytes(17 + actorLength, actionBytes);
        return b.byteArray();
    }

    /** Type 5: who. */
    public String auditActor() {
        return buffer.getStringWithoutLengthAscii(offset + 17, buffer.getByte(offset + 16) & 0xFF);
    }

    /** Type 5: what. */
    public String auditAction() {
        final int actorLength = buffer.getByte(offset + 16) & 0xFF;
        final byte[] bytes = new byte[buffer.getInt(offset + 4, BYTE_ORDER)];
        buffer.getBytes(offset + 17 + actorLength, bytes);
        return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    }

    // Type 6, source reset by an operator: the source's sequence starts again at 1 after it.
    //   0 type | 1 version | 4 source id int32 | 8 at (epoch ns) | 16 previous high-water int64
    //   | 24 actor length u8 | 25 actor (ASCII)
    public static final int RESET_SOURCE_OFFSET = 4;
    public static final int RESET_PREVIOUS_OFFSET = 16;
    public static final int RESET_ACTOR_OFFSET = 24;

    /** An operator started {@code sourceId} again at sequence 1 (its high-water mark was {@code previous}). Not hot. */
    public static byte[] sourceReset(int sourceId, long previous, String actor, long atNs) {
        final byte[] actorBytes = actor.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        final int actorLength = Math.min(actorBytes.length, 255);
        final org.agrona.concurrent.UnsafeBuffer b = new org.agrona.concurrent.UnsafeBuffer(
            new byte[RESET_ACTOR_OFFSET + 1 + actorLength]);
        b.putByte(TYPE_OFFSET, TYPE_SOURCE_RESET);
        b.putByte(VERSION_OFFSET, VERSION);
        b.putInt(RESET_SOURCE_OFFSET, sourceId, BYTE_ORDER);
        b.putLong(RECEIVED_AT_OFFSET, atNs, BYTE_ORDER);
        b.putLong(RESET_PREVIOUS_OFFSET, previous, BYTE_ORDER);
        b.putByte(RESET_ACTOR_OFFSET, (byte) actorLength);
        b.putBytes(RESET_ACTOR_OFFSET + 1, actorBytes, 0, actorLength);
        return b.byteArray();
    }

    /** Type 6: the source reset. */
    public int resetSourceId() {
        return buffer.getInt(offset + RESET_SOURCE_OFFSET, BYTE_ORDER);
    }

    /** Type 6: its highest sequence before the reset. */
    public long resetPreviousSequence() {
        return buffer.getLong(offset + RESET_PREVIOUS_OFFSET, BYTE_ORDER);
    }

    /** Type 6: who reset it. */
    public String resetActor() {
        return buffer.getStringWithoutLengthAscii(offset + RESET_ACTOR_OFFSET + 1,
            buffer.getByte(offset + RESET_ACTOR_OFFSET) & 0xFF);
    }

    // Type 7, pair position (local): 0 type | 1 version | 8 at (epoch ns) | 16 log position int64
    public static final int POSITION_OFFSET = 16;

    /** The pair's log position of the batch appended just before. Once a batch. */
    public static byte[] pairPosition(long position, long atNs) {
        final org.agrona.concurrent.UnsafeBuffer b = new org.agrona.concurrent.UnsafeBuffer(new byte[POSITION_OFFSET + 8]);
        b.putByte(TYPE_OFFSET, TYPE_PAIR_POSITION);
        b.putByte(VERSION_OFFSET, VERSION);
        b.putLong(RECEIVED_AT_OFFSET, atNs, BYTE_ORDER);
        b.putLong(POSITION_OFFSET, position, BYTE_ORDER);
        return b.byteArray();
    }

    /** Type 7: the log position. */
    public long pairPosition() {
        return buffer.getLong(offset + POSITION_OFFSET, BYTE_ORDER);
    }

    // Type 8, pair active: 0 type | 1 version | 4 address length int32 | 8 at (epoch ns) | 16 term int64
    //   | 24 instance length u8 | 25 instance (ASCII) | address (ASCII, host:port of its scan port)
    public static final int ACTIVE_TERM_OFFSET = 16;
    public static final int ACTIVE_INSTANCE_OFFSET = 24;

    /** {@code instance} became the pair's active for {@code term}, taking scans at {@code address}. */
    public static byte[] pairActive(String instance, String address, long term, long atNs) {
        final byte[] id = instance.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        final byte[] at = address.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        final org.agrona.concurrent.UnsafeBuffer b = new org.agrona.concurrent.UnsafeBuffer(
            new byte[ACTIVE_INSTANCE_OFFSET + 1 + id.length + at.length]);
        b.putByte(TYPE_OFFSET, TYPE_PAIR_ACTIVE);
        b.putByte(VERSION_OFFSET, VERSION);
        b.putInt(4, at.length, BYTE_ORDER);
        b.putLong(RECEIVED_AT_OFFSET, atNs, BYTE_ORDER);
        b.putLong(ACTIVE_TERM_OFFSET, term, BYTE_ORDER);
        b.putByte(ACTIVE_INSTANCE_OFFSET, (byte) id.length);
        b.putBytes(ACTIVE_INSTANCE_OFFSET + 1, id);
        b.putBytes(ACTIVE_INSTANCE_OFFSET + 1 + id.length, at);
        return b.byteArray();
    }

    /** Type 8: the active's term (1, 2, 3... one more at each takeover). */
    public long activeTerm() {
        return buffer.getLong(offset + ACTIVE_TERM_OFFSET, BYTE_ORDER);
    }

    /** Type 8: the instance that became active. */
    public String activeInstance() {
        return buffer.getStringWithoutLengthAscii(offset + ACTIVE_INSTANCE_OFFSET + 1,
            buffer.getByte(offset + ACTIVE_INSTANCE_OFFSET) & 0xFF);
    }

    /** Type 8: where it takes scans (host:port). */
    public String activeAddress() {
        final int idLength = buffer.getByte(offset + ACTIVE_INSTANCE_OFFSET) & 0xFF;
        return buffer.getStringWithoutLengthAscii(offset + ACTIVE_INSTANCE_OFFSET + 1 + idLength,
            buffer.getInt(offset + 4, BYTE_ORDER));
    }

    // Type 9, devices: 0 type | 1 version | 4 text length int32 | 8 at (epoch ns) | 16 devices YAML (digests only, UTF-8)
    public static final int DEVICES_TEXT_OFFSET = 16;

    /** The device credentials a pair's active took, as a devices file of SHA-256 digests. Not hot. */
    public static byte[] devices(String digestsYaml, long atNs) {
        final byte[] text = digestsYaml.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        final org.agrona.concurrent.UnsafeBuffer b = new org.agrona.concurrent.UnsafeBuffer(
            new byte[DEVICES_TEXT_OFFSET + text.length]);
        b.putByte(TYPE_OFFSET, TYPE_DEVICES);
        b.putByte(VERSION_OFFSET, VERSION);
        b.putInt(4, text.length, BYTE_ORDER);
        b.putLong(RECEIVED_AT_OFFSET, atNs, BYTE_ORDER);
        b.putBytes(DEVICES_TEXT_OFFSET, text);
        return b.byteArray();
    }

    /** Type 9: the devices file (digests only). */
    public String devicesText() {
        final byte[] bytes = new byte[buffer.getInt(offset + 4, BYTE_ORDER)];
        buffer.getBytes(offset + DEVICES_TEXT_OFFSET, bytes);
        return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    }

    // Type 10, an operations change: 0 type | 1 version | 2 op u8 | 4 payload length int32
    //   | 8 at (epoch ns) | 16 actor length u8 | 17 actor (ASCII) | payload (UTF-8 lines, see ops.OpsChange)
    public static final int OPS_OP_OFFSET = 2;
    public static final int OPS_ACTOR_OFFSET = 16;

    /** An operator's change to the hub's operations tables. Not hot. */
    public static byte[] ops(int op, String payload, String actor, long atNs) {
        final byte[] actorBytes = (actor == null || actor.isEmpty() ? "-" : actor).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        final int actorLength = Math.min(actorBytes.length, 255);
        final byte[] text = payload.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        final org.agrona.concurrent.UnsafeBuffer b = new org.agrona.concurrent.UnsafeBuffer(
            new byte[OPS_ACTOR_OFFSET + 1 + actorLength + text.length]);
        b.putByte(TYPE_OFFSET, TYPE_OPS);
        b.putByte(VERSION_OFFSET, VERSION);
        b.putByte(OPS_OP_OFFSET, (byte) op);
        b.putInt(4, text.length, BYTE_ORDER);
        b.putLong(RECEIVED_AT_OFFSET, atNs, BYTE_ORDER);
        b.putByte(OPS_ACTOR_OFFSET, (byte) actorLength);
        b.putBytes(OPS_ACTOR_OFFSET + 1, actorBytes, 0, actorLength);
        b.putBytes(OPS_ACTOR_OFFSET + 1 + actorLength, text);
        return b.byteArray();
    }

    /** Type 10: the change (an ops.OpsChange.Op code). */
    public int opsOp() {
        return buffer.getByte(offset + OPS_OP_OFFSET) & 0xFF;
    }

    /** Type 10: who made it. */
    public String opsActor() {
        return buffer.getStringWithoutLengthAscii(offset + OPS_ACTOR_OFFSET + 1, buffer.getByte(offset + OPS_ACTOR_OFFSET) & 0xFF);
    }

    /** Type 10: what changed, as UTF-8 lines. */
    public String opsPayload() {
        final byte[] bytes = new byte[buffer.getInt(offset + 4, BYTE_ORDER)];
        buffer.getBytes(offset + OPS_ACTOR_OFFSET + 1 + (buffer.getByte(offset + OPS_ACTOR_OFFSET) & 0xFF), bytes);
        return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Type 2: who set it. */
    public String actor() {
        return buffer.getStringWithoutLengthAscii(offset + 18, buffer.getByte(offset + ACTOR_OFFSET) & 0xFF);
    }

    /** Type 3: the plan's text. */
    public String planText() {
        final byte[] bytes = new byte[buffer.getInt(offset + PLAN_TEXT_LENGTH_OFFSET, BYTE_ORDER)];
        buffer.getBytes(offset + PLAN_TEXT_OFFSET, bytes);
        return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    }

    public int type() {
        return buffer.getByte(offset + TYPE_OFFSET);
    }

    /** The buffer the record is read from, and its offset there. */
    public MutableDirectBuffer buffer() {
        return buffer;
    }

    public int offset() {
        return offset;
    }

    /** Type 1: the source that sent the scan. */
    public int sourceId() {
        return buffer.getInt(offset + SOURCE_ID_OFFSET, BYTE_ORDER);
    }

    /** Every type: when the hub received or made it (epoch ns). */
    public long receivedAtNs() {
        return buffer.getLong(offset + RECEIVED_AT_OFFSET, BYTE_ORDER);
    }

    /** Types 1 and 3: the plan version (that decided, or that was put in force). */
    public long planVersion() {
        return buffer.getLong(offset + PLAN_VERSION_OFFSET, BYTE_ORDER);
    }

    public int ruleId() {
        return buffer.getInt(offset + RULE_ID_OFFSET, BYTE_ORDER);
    }

    public int outlet() {
        return buffer.getShort(offset + OUTLET_OFFSET, BYTE_ORDER) & 0xFFFF;
    }

    public DecisionReason reason() {
        return DecisionReason.fromCode(buffer.getByte(offset + REASON_OFFSET) & 0xFF);
    }

    /** Type 1: see {@link #parcelOutlet(org.agrona.DirectBuffer, int)}. */
    public int parcelOutlet() {
        return parcelOutlet(buffer, offset);
    }

    /** Type 1: journal index of the previous record with the same barcode hash; 0 when none. */
    public long previousIndex() {
        return buffer.getLong(offset + PREVIOUS_OFFSET, BYTE_ORDER);
    }

    /** The SCAN frame; its sequence and fixed fields are readable at once. */
    public ScanFlyweight scan() {
        return scan;
    }

    /** Type 1: the decision flags (bit 0: routed by a re-keyed barcode). */
    public int decisionFlags() {
        return buffer.getByte(offset + DECISION_FLAGS_OFFSET) & 0xFF;
    }

    /**
     * Type 1: the offset of the length byte of the barcode the parcel is known by: the re-key
     * trailer when the scan was routed by a re-keyed barcode, else the SCAN's own barcode.
     */
    public static int parcelBarcodeFieldAt(org.agrona.DirectBuffer buffer, int offset) {
        if ((buffer.getByte(offset + DECISION_FLAGS_OFFSET) & io.sorthub.protocol.DecisionFlyweight.FLAG_REKEYED) != 0) {
            return offset + SCAN_OFFSET + buffer.getInt(offset + SCAN_OFFSET + io.sorthub.protocol.Frame.LENGTH_OFFSET,
                BYTE_ORDER);
        }
        return barcodeFieldAt(buffer, offset);
    }

    /** Type 1: the hold's reason of an INTERCEPTED decision; null for any other. */
    public String holdReason() {
        if (reason() != DecisionReason.INTERCEPTED) {
            return null;
        }
        int at = offset + SCAN_OFFSET + buffer.getInt(offset + SCAN_OFFSET + Frame.LENGTH_OFFSET, BYTE_ORDER);
        if ((decisionFlags() & io.sorthub.protocol.DecisionFlyweight.FLAG_REKEYED) != 0) {
            at += 1 + (buffer.getByte(at) & 0xFF);
        }
        return buffer.getStringWithoutLengthAscii(at + 1, buffer.getByte(at) & 0xFF);
    }

    /**
     * Type 1: the key of the barcode the parcel is known by ({@link #parcelBarcodeFieldAt}),
     * never 0; 0 when the record has no barcode. Hashed once per wrap.
     */
    public long barcodeKey() {
        if (!barcodeKeyKnown) {
            final int at = parcelBarcodeFieldAt(buffer, offset);
            final int length = buffer.getByte(at) & 0xFF;
            barcodeKey = length == 0 ? 0 : BarcodeHash.barcodeKey(buffer, at + 1, length);
            barcodeKeyKnown = true;
        }
        return barcodeKey;
    }

    /**
     * Type 1: the key of the record's parcel id ({@link BarcodeHash#parcelIdKey}), 0 when it
     * has none. Hashed once per wrap.
     */
    public long parcelIdKey() {
        if (!parcelIdKeyKnown) {
            final int at = parcelIdFieldAt(buffer, offset);
            final int length = at < 0 ? 0 : buffer.getByte(at) & 0xFF;
            parcelIdKey = length == 0 ? 0 : BarcodeHash.parcelIdKey(buffer, at + 1, length);
            parcelIdKeyKnown = true;
        }
        return parcelIdKey;
    }

    /**
     * Type 1: the key the record is chained under in the parcel index: its barcode's (the
     * re-keyed one for a re-keyed no-read); for a record without a barcode, its parcel id's (a
     * sorter confirming a tray it could not read), so a trace finds it from the decision that
     * carried the same parcel id; 0 when it has neither.
     */
    public long chainKey() {
        final long key = barcodeKey();
        return key != 0 ? key : parcelIdKey();
    }

    /** Type 1: the barcode the parcel is known by (see {@link #parcelBarcodeFieldAt}). */
    public String parcelBarcode() {
        final int at = parcelBarcodeFieldAt(buffer, offset);
        return buffer.getStringWithoutLengthAscii(at + 1, buffer.getByte(at) & 0xFF);
    }

    /**
     * Offset of the parcel id's length byte in a type-1 record at {@code offset} (version 2
     * SCANs: after barcode, destination and customer), or -1 for a version 1 SCAN.
     */
    public static int parcelIdFieldAt(org.agrona.DirectBuffer buffer, int offset) {
        if (buffer.getByte(offset + SCAN_OFFSET + Frame.VERSION_OFFSET) < Frame.PROTOCOL_VERSION_2) {
            return -1;
        }
        int at = barcodeFieldAt(buffer, offset);
        for (int field = 0; field < 3; field++) { // barcode, destination, customer
            at += 1 + (buffer.getByte(at) & 0xFF);
        }
        return at;
    }

    /** Offset of the barcode's length byte in a type-1 record at {@code offset}, without a flyweight. */
    public static int barcodeFieldAt(org.agrona.DirectBuffer buffer, int offset) {
        final int scannerIdAt = offset + SCAN_OFFSET + ScanFlyweight.VAR_FIELDS_OFFSET;
        return scannerIdAt + 1 + (buffer.getByte(scannerIdAt) & 0xFF);
    }

    /** Type 1: the SCAN's event kind, read straight from the record. */
    public static int kindCode(org.agrona.DirectBuffer buffer, int offset) {
        return buffer.getByte(offset + SCAN_OFFSET + ScanFlyweight.KIND_OFFSET) & 0xFF;
    }

    /**
     * Type 1: the outlet that matters for the parcel's quality figures: the decided outlet
     * for a sort request, the outlet the sorter reported for anything else.
     */
    public static int parcelOutlet(org.agrona.DirectBuffer buffer, int offset) {
        return kindCode(buffer, offset) == io.sorthub.protocol.EventKind.SORT_REQUEST.code()
            ? buffer.getShort(offset + OUTLET_OFFSET, BYTE_ORDER) & 0xFFFF
            : buffer.getShort(offset + SCAN_OFFSET + ScanFlyweight.OUTLET_OFFSET, BYTE_ORDER) & 0xFFFF;
    }

    /** The SCAN's sequence, read straight from the record: what replay needs, at replay speed. */
    public static long sequence(org.agrona.DirectBuffer buffer, int offset) {
        return buffer.getLong(offset + SCAN_OFFSET + ScanFlyweight.SEQUENCE_OFFSET, BYTE_ORDER);
    }
}
