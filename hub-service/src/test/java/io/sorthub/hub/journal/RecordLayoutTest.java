package io.sorthub.hub.journal;

import io.sorthub.hub.routing.Decision;
import io.sorthub.protocol.DecisionFlyweight;
import io.sorthub.protocol.DecisionReason;
import io.sorthub.protocol.EventKind;
import io.sorthub.protocol.FrameError;
import io.sorthub.protocol.ScanFlyweight;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The journal's record layouts do not move: each type's bytes as the hub wrote them before its
 * records had one flyweight per type (captured from that code, as hex) are what the flyweights
 * write today, and a journal holding them reads the same through {@link JournalReader}.
 */
class RecordLayoutTest {
    private static final long AT = 1_763_800_000_123_456_789L;

    /** Written by the single JournalRecord class that held every type's encoder and reader. */
    private static final Map<String, String> BEFORE = new LinkedHashMap<>();

    static {
        BEFORE.put("scan",
            "0101000005000000154d314ec1467a180068e5cf8b010000030000000700010000000000000000003b00000001100000"
            + "2a000000000000000026acaa9a010000d20400002c01c800640002000000000002543106414243313233053130313135"
            + "024331");
        BEFORE.put("scan-rekeyed-held",
            "0101000006000000164d314ec1467a180068e5cf8b0100000000000063000a0100000000000000003b00000002100000"
            + "2b00000000000000e829acaa9a010000000000000000000000000f0000000000025431064e4f52454144000006545241"
            + "592d39074b4559454434320d68656c643a2064616d61676564");
        BEFORE.put("outlet-state",
            "020100000c000000154d314ec1467a1802036f7073");
        BEFORE.put("plan",
            "0301000014000000154d314ec1467a184d000000000000006e616d653a2070c3a90a72756c65733a205b5d0a");
        BEFORE.put("checkpoint",
            "0401000002000000154d314ec1467a180100000000000000010000000a00000000000000020000001400000000000000"
            + "030001");
        BEFORE.put("audit",
            "050100000c000000154d314ec1467a18026f70696e7374616c6c656420c3bc");
        BEFORE.put("source-reset",
            "0601000007000000154d314ec1467a180200000000000000026f70");
        BEFORE.put("pair-position",
            "0701000000000000154d314ec1467a1840e2010000000000");
        BEFORE.put("pair-active",
            "080100000e000000154d314ec1467a180300000000000000056875622d613132372e302e302e313a37303030");
        BEFORE.put("devices",
            "0901000014000000154d314ec1467a18646576696365733a0a20202d2069643a2073310a");
        BEFORE.put("ops",
            "0a0102000b000000154d314ec1467a18026f706c696e65310a6c696e6532");
        BEFORE.put("ops-no-actor",
            "0a01030001000000154d314ec1467a18012d78");
        BEFORE.put("plan-checkpoint-copy",
            "0301000101000000154d314ec1467a18010000000000000070");
    }

    @Test
    void everyRecordTypeIsWrittenByteForByteAsBefore() {
        final Map<String, String> now = new LinkedHashMap<>();
        now.put("scan", hex(scanRecord()));
        now.put("scan-rekeyed-held", hex(rekeyedHeldScanRecord()));
        now.put("outlet-state", hex(OutletStateRecord.encode(12, 2, AT, "ops")));
        now.put("plan", hex(PlanRecord.encode(77, "name: p\u00e9\nrules: []\n", AT)));
        now.put("checkpoint", hex(CheckpointRecord.encode(new int[] {1, 2}, new long[] {10, 20}, new int[] {3},
            new int[] {1}, AT)));
        now.put("audit", hex(AuditRecord.encode("op", "installed \u00fc", AT)));
        now.put("source-reset", hex(SourceResetRecord.encode(7, 2, "op", AT)));
        now.put("pair-position", hex(PairPositionRecord.encode(123_456, AT)));
        now.put("pair-active", hex(PairActiveRecord.encode("hub-a", "127.0.0.1:7000", 3, AT)));
        now.put("devices", hex(DevicesRecord.encode("devices:\n  - id: s1\n", AT)));
        now.put("ops", hex(OpsRecord.encode(2, "line1\nline2", "op", AT)));
        now.put("ops-no-actor", hex(OpsRecord.encode(3, "x", null, AT)));
        now.put("plan-checkpoint-copy", hex(RecordFlyweight.checkpointCopy(PlanRecord.encode(1, "p", AT))));
        assertThat(now).containsExactlyEntriesOf(BEFORE);
    }

    @Test
    void aJournalOfTheOldBytesReadsTheSameThroughTheFlyweights(@TempDir Path dir) {
        try (Journal journal = new Journal(dir, Journal.DEFAULT_ROLL_CYCLE)) {
            try (ExcerptAppender appender = journal.queue().createAppender()) {
                for (String hex : BEFORE.values()) {
                    try (DocumentContext dc = appender.writingDocument()) {
                        dc.wire().bytes().write(HexFormat.of().parseHex(hex));
                    }
                }
            }
            final List<String> read = new ArrayList<>();
            try (JournalReader reader = new JournalReader(journal)) {
                reader.readAll((index, record) -> read.add(describe(record)));
            }
            assertThat(read).containsExactly(
                "scan 5 at=" + AT + " local=false plan=1700000000000 rule=3 outlet=7 RULE flags=0 previous=0 seq=42"
                    + " kind=SORT_REQUEST barcode=ABC123 parcel=ABC123 parcelOutlet=7 hold=null"
                    + " barcodeKey=" + barcodeKey("ABC123") + " parcelIdKey=0 chainKey=" + barcodeKey("ABC123"),
                "scan 6 at=" + (AT + 1) + " local=false plan=1700000000000 rule=0 outlet=99 INTERCEPTED flags=1 previous=0"
                    + " seq=43 kind=NO_READ barcode=NOREAD parcel=KEYED42 parcelOutlet=0 hold=held: damaged"
                    + " barcodeKey=" + barcodeKey("KEYED42") + " parcelIdKey=" + parcelIdKey("TRAY-9")
                    + " chainKey=" + barcodeKey("KEYED42"),
                "outlet-state at=" + AT + " local=false outlet=12 status=2 actor=ops",
                "plan at=" + AT + " local=false version=77 text=name: p\u00e9\nrules: []\n",
                "checkpoint at=" + AT + " local=true sources=[1:10, 2:20] outlets=[3:1]",
                "audit at=" + AT + " local=false actor=op action=installed \u00fc",
                "source-reset at=" + AT + " local=false source=7 previous=2 actor=op",
                "pair-position at=" + AT + " local=true position=123456",
                "pair-active at=" + AT + " local=false instance=hub-a address=127.0.0.1:7000 term=3",
                "devices at=" + AT + " local=false text=devices:\n  - id: s1\n",
                "ops at=" + AT + " local=false op=2 actor=op payload=line1\nline2",
                "ops at=" + AT + " local=false op=3 actor=- payload=x",
                "plan at=" + AT + " local=true version=1 text=p");
        }
    }

    /** The offsets each flyweight derives from the field before: the journal's, as OPERATIONS.md lists them. */
    @Test
    void derivedOffsetsAreTheDocumentedOnes() {
        assertThat(new int[] {RecordFlyweight.TYPE_OFFSET, RecordFlyweight.VERSION_OFFSET, RecordFlyweight.TYPE_BYTE_OFFSET,
            RecordFlyweight.RECORD_FLAGS_OFFSET, RecordFlyweight.TYPE_INT_OFFSET, RecordFlyweight.RECEIVED_AT_OFFSET,
            RecordFlyweight.HEADER_LENGTH}).containsExactly(0, 1, 2, 3, 4, 8, 16);
        assertThat(new int[] {ScanRecord.SOURCE_ID_OFFSET, ScanRecord.PLAN_VERSION_OFFSET, ScanRecord.RULE_ID_OFFSET,
            ScanRecord.OUTLET_OFFSET, ScanRecord.REASON_OFFSET, ScanRecord.DECISION_FLAGS_OFFSET, ScanRecord.PREVIOUS_OFFSET,
            ScanRecord.SCAN_OFFSET}).containsExactly(4, 16, 24, 28, 30, 31, 32, 40);
        assertThat(new int[] {OutletStateRecord.OUTLET_OFFSET, OutletStateRecord.STATUS_OFFSET,
            OutletStateRecord.ACTOR_LENGTH_OFFSET, OutletStateRecord.ACTOR_OFFSET}).containsExactly(4, 16, 17, 18);
        assertThat(new int[] {PlanRecord.TEXT_LENGTH_OFFSET, PlanRecord.PLAN_VERSION_OFFSET, PlanRecord.TEXT_OFFSET})
            .containsExactly(4, 16, 24);
        assertThat(new int[] {CheckpointRecord.SOURCE_COUNT_OFFSET, CheckpointRecord.OUTLET_COUNT_OFFSET,
            CheckpointRecord.SOURCES_OFFSET, CheckpointRecord.SOURCE_LENGTH, CheckpointRecord.OUTLET_LENGTH})
            .containsExactly(4, 16, 24, 12, 3);
        assertThat(new int[] {ActorTextRecord.TEXT_LENGTH_OFFSET, ActorTextRecord.ACTOR_LENGTH_OFFSET,
            ActorTextRecord.ACTOR_OFFSET, OpsRecord.OP_OFFSET}).containsExactly(4, 16, 17, 2);
        assertThat(new int[] {SourceResetRecord.SOURCE_ID_OFFSET, SourceResetRecord.PREVIOUS_SEQUENCE_OFFSET,
            SourceResetRecord.ACTOR_LENGTH_OFFSET, SourceResetRecord.ACTOR_OFFSET}).containsExactly(4, 16, 24, 25);
        assertThat(new int[] {PairPositionRecord.POSITION_OFFSET, PairPositionRecord.LENGTH}).containsExactly(16, 24);
        assertThat(new int[] {PairActiveRecord.ADDRESS_LENGTH_OFFSET, PairActiveRecord.TERM_OFFSET,
            PairActiveRecord.INSTANCE_LENGTH_OFFSET, PairActiveRecord.INSTANCE_OFFSET}).containsExactly(4, 16, 24, 25);
        assertThat(new int[] {DevicesRecord.TEXT_LENGTH_OFFSET, DevicesRecord.TEXT_OFFSET}).containsExactly(4, 16);
    }

    /** Replay reads millions of scan records a second: wrapping one and hashing its keys allocates nothing. */
    @Test
    void readingAScanRecordAllocatesNothing() {
        final UnsafeBuffer buffer = new UnsafeBuffer(HexFormat.of().parseHex(BEFORE.get("scan-rekeyed-held")));
        final JournalRecord record = new JournalRecord();
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long sum = read(record, buffer, 20_000); // compiled before it is measured
        threads.getCurrentThreadAllocatedBytes(); // the bean's own first-call garbage, not counted
        // The least of three rounds: a one-off (a compilation finishing mid-round on a busy
        // machine, the bean) is not the reads'; an allocation per read would be 1.6 MB or more
        // in every round.
        long allocated = Long.MAX_VALUE;
        for (int round = 0; round < 3; round++) {
            final long before = threads.getCurrentThreadAllocatedBytes();
            sum += read(record, buffer, 100_000);
            allocated = Math.min(allocated, threads.getCurrentThreadAllocatedBytes() - before);
        }
        assertThat(sum).isNotZero();
        assertThat(allocated).as("bytes allocated by 100,000 reads").isLessThan(1_024);
    }

    private static long read(JournalRecord record, UnsafeBuffer buffer, int times) {
        long sum = 0;
        for (int i = 0; i < times; i++) {
            final ScanRecord scan = record.wrap(buffer, 0).scan();
            sum += scan.chainKey() + scan.parcelIdKey() + scan.sourceId() + scan.frame().sequence() + scan.parcelOutlet()
                + scan.reason().code() + (record.localOnly() ? 1 : 0);
        }
        return sum;
    }

    private static String describe(JournalRecord record) {
        final String head = " at=" + record.receivedAtNs() + " local=" + record.localOnly();
        switch (record.type()) {
            case JournalRecord.TYPE_SCAN -> {
                final ScanRecord s = record.scan();
                return "scan " + s.sourceId() + head + " plan=" + s.planVersion() + " rule=" + s.ruleId()
                    + " outlet=" + s.outlet() + " " + s.reason() + " flags=" + s.decisionFlags() + " previous="
                    + s.previousIndex() + " seq=" + s.frame().sequence() + " kind=" + s.frame().kind() + " barcode="
                    + s.frame().barcode() + " parcel=" + s.parcelBarcode() + " parcelOutlet=" + s.parcelOutlet()
                    + " hold=" + s.holdReason() + " barcodeKey=" + s.barcodeKey() + " parcelIdKey=" + s.parcelIdKey()
                    + " chainKey=" + s.chainKey();
            }
            case JournalRecord.TYPE_OUTLET_STATE -> {
                final OutletStateRecord r = record.outletState();
                return "outlet-state" + head + " outlet=" + r.outlet() + " status=" + r.status() + " actor=" + r.actor();
            }
            case JournalRecord.TYPE_PLAN -> {
                final PlanRecord r = record.plan();
                return "plan" + head + " version=" + r.planVersion() + " text=" + r.text();
            }
            case JournalRecord.TYPE_CHECKPOINT -> {
                final List<String> sources = new ArrayList<>();
                final List<String> outlets = new ArrayList<>();
                record.checkpoint().forEach((source, sequence) -> sources.add(source + ":" + sequence), (outlet, status) -> {
                    outlets.add(outlet + ":" + status);
                    return 0;
                });
                return "checkpoint" + head + " sources=" + sources + " outlets=" + outlets;
            }
            case JournalRecord.TYPE_AUDIT -> {
                final AuditRecord r = record.audit();
                return "audit" + head + " actor=" + r.actor() + " action=" + r.action();
            }
            case JournalRecord.TYPE_SOURCE_RESET -> {
                final SourceResetRecord r = record.sourceReset();
                return "source-reset" + head + " source=" + r.sourceId() + " previous=" + r.previousSequence()
                    + " actor=" + r.actor();
            }
            case JournalRecord.TYPE_PAIR_POSITION -> {
                return "pair-position" + head + " position=" + record.pairPosition().position();
            }
            case JournalRecord.TYPE_PAIR_ACTIVE -> {
                final PairActiveRecord r = record.pairActive();
                return "pair-active" + head + " instance=" + r.instance() + " address=" + r.address() + " term=" + r.term();
            }
            case JournalRecord.TYPE_DEVICES -> {
                return "devices" + head + " text=" + record.devices().text();
            }
            case JournalRecord.TYPE_OPS -> {
                final OpsRecord r = record.ops();
                return "ops" + head + " op=" + r.op() + " actor=" + r.actor() + " payload=" + r.payload();
            }
            default -> {
                return "type " + record.type();
            }
        }
    }

    /** A version 1 sort request decided by rule 3 to outlet 7. */
    private static byte[] scanRecord() {
        final ScanFlyweight scan = scan(frame -> frame.sequence(42).deviceTimeMs(1_763_800_000_000L)
            .kind(EventKind.SORT_REQUEST).weightGrams(1234).dimensionsMm(300, 200, 100).outlet(0)
            .strings("T1", "ABC123", "10115", "C1"));
        final UnsafeBuffer record = new UnsafeBuffer(new byte[ScanRecord.MAX_LENGTH]);
        final int length = ScanRecord.encode(record, 0, 5, AT, new Decision().set(7, DecisionReason.RULE, 3,
            1_700_000_000_000L), scan);
        return java.util.Arrays.copyOf(record.byteArray(), length);
    }

    /** A version 2 no-read of tray TRAY-9, routed by the barcode an operator keyed for it, then held. */
    private static byte[] rekeyedHeldScanRecord() {
        final ScanFlyweight scan = scan(frame -> frame.sequence(43).deviceTimeMs(1_763_800_001_000L)
            .kind(EventKind.NO_READ).outlet(0).strings("T1", "NOREAD", "", "", "TRAY-9"));
        final ScanFlyweight routed = scan(frame -> frame.sequence(43).kind(EventKind.NO_READ)
            .strings("T1", "KEYED42", "", "", "TRAY-9"));
        final Decision held = new Decision().set(99, DecisionReason.INTERCEPTED, 0, 1_700_000_000_000L);
        held.flags = DecisionFlyweight.FLAG_REKEYED;
        final byte[] note = "held: damaged".getBytes(StandardCharsets.US_ASCII);
        held.note = new UnsafeBuffer(note);
        held.noteOffset = 0;
        held.noteLength = note.length;
        final UnsafeBuffer record = new UnsafeBuffer(new byte[ScanRecord.MAX_LENGTH]);
        final int length = ScanRecord.encode(record, 0, 6, AT + 1, held, scan, routed);
        assertThat(length).isEqualTo(ScanRecord.FIXED_LENGTH + scan.frameLength()
            + ScanRecord.trailerLength(held, scan, routed));
        return java.util.Arrays.copyOf(record.byteArray(), length);
    }

    private static ScanFlyweight scan(java.util.function.Consumer<ScanFlyweight> fields) {
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[512]);
        fields.accept(new ScanFlyweight().wrapForEncode(frame, 0));
        final ScanFlyweight scan = new ScanFlyweight().wrap(frame, 0);
        scan.validate(new FrameError());
        return scan;
    }

    private static long barcodeKey(String barcode) {
        final byte[] bytes = barcode.getBytes(StandardCharsets.US_ASCII);
        return BarcodeHash.barcodeKey(new UnsafeBuffer(bytes), 0, bytes.length);
    }

    private static long parcelIdKey(String parcelId) {
        final byte[] bytes = parcelId.getBytes(StandardCharsets.US_ASCII);
        return BarcodeHash.parcelIdKey(new UnsafeBuffer(bytes), 0, bytes.length);
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
