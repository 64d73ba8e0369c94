package io.sorthub.hub.ops;

import io.sorthub.protocol.Ascii;
import io.sorthub.protocol.ScanFlyweight;

import java.util.ArrayList;
import java.util.List;

/**
 * An operator's change to the hub's operations tables as journaled (record type 10): an op
 * code and UTF-8 lines of tab-separated fields. The text is checked when the change is made
 ({@link #checkCode}, {@link #checkReason}); {@link #apply} trusts what the journal holds, so replay, a hub pair's
 * standby and the writer apply a change the same way. Not hot.
 *
 * <pre>
 *   HOLD             barcode TAB reason      (one line per barcode; a bulk load is many records)
 *   RELEASE          barcode                 (one line per barcode)
 *   CLEAR_HOLDS      (no lines)              (before a bulk load that replaces the list)
 *   OVERRIDE         barcode|destination TAB key TAB outlet TAB until (epoch ms)
 *   CANCEL_OVERRIDE  barcode|destination TAB key
 *   REKEY            parcel id TAB barcode
 *   OPEN_BAG         outlet TAB bag id       (seals the bag open at the outlet)
 *   SEAL_BAG         outlet TAB bag id       (empty bag id: whichever is open)
 * </pre>
 */
public final class OpsChange {
    /** The change; the code is the byte in the journal: never renumber. */
    public enum Op {
        HOLD(1), RELEASE(2), CLEAR_HOLDS(3), OVERRIDE(4), CANCEL_OVERRIDE(5), REKEY(6), OPEN_BAG(7), SEAL_BAG(8),
        /** A replace load: CLEAR_HOLDS begins it, LOAD_HOLDS records fill it aside, COMMIT_HOLDS puts it in force whole. */
        LOAD_HOLDS(9), COMMIT_HOLDS(10),
        /** A cycle's checkpoint: the holds in force when it began (retention may delete the records that made them). */
        HOLDS_IN_FORCE(11);

        public final int code;

        Op(int code) {
            this.code = code;
        }

        public static Op fromCode(int code) {
            for (Op op : values()) {
                if (op.code == code) {
                    return op;
                }
            }
            return null;
        }

        /** The name in exports and the API: {@code hold}, {@code cancel_override}, ... */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Lines per HOLD or RELEASE record: a bulk load of millions becomes records of this size. */
    public static final int LINES_PER_RECORD = 2_000;
    /** Longest hold reason kept. */
    public static final int MAX_REASON = HoldList.MAX_REASON;

    private OpsChange() {
    }

    /** A barcode, bag id or parcel id: printable ASCII, no spaces, 1 to {@code max} characters; null when fine. */
    public static String checkCode(String what, String text, int max) {
        if (text == null || text.isEmpty()) {
            return what + " is missing";
        }
        if (text.length() > max) {
            return what + " is " + text.length() + " characters long; the limit is " + max;
        }
        for (int i = 0; i < text.length(); i++) {
            final char c = text.charAt(i);
            if (!Ascii.isCodeChar(c)) {
                return what + " has " + describe(c) + " at character " + (i + 1) + " (printable ASCII only, no spaces)";
            }
        }
        return null;
    }

    /** A reason: printable ASCII and spaces, at most {@link #MAX_REASON} characters; null when fine. */
    public static String checkReason(String text) {
        if (text.length() > MAX_REASON) {
            return "reason is " + text.length() + " characters long; the limit is " + MAX_REASON;
        }
        for (int i = 0; i < text.length(); i++) {
            final char c = text.charAt(i);
            if (!Ascii.isTextChar(c)) {
                return "reason has " + describe(c) + " at character " + (i + 1) + " (printable ASCII only)";
            }
        }
        return null;
    }

    private static String describe(char c) {
        return Ascii.isControl(c) ? String.format("control character 0x%02X", (int) c)
            : c == ' ' ? "a space" : String.format("non-ASCII character U+%04X", (int) c);
    }

    public static String barcodeError(String barcode) {
        return checkCode("barcode", barcode, ScanFlyweight.MAX_BARCODE_LENGTH);
    }

    // --- payloads --------------------------------------------------------------------------

    public static String hold(String barcode, String reason) {
        return barcode + '\t' + reason + '\n';
    }

    public static String override(Overrides.Scope scope, String key, int outlet, long untilMs) {
        return scope.name().toLowerCase(java.util.Locale.ROOT) + '\t' + key + '\t' + outlet + '\t' + untilMs;
    }

    public static String cancelOverride(Overrides.Scope scope, String key) {
        return scope.name().toLowerCase(java.util.Locale.ROOT) + '\t' + key;
    }

    public static String rekey(String parcelId, String barcode) {
        return parcelId + '\t' + barcode;
    }

    public static String bag(int outlet, String bagId) {
        return outlet + "\t" + (bagId == null ? "" : bagId);
    }

    /** Split a payload into lines of fields (tab-separated); empty lines are skipped. */
    public static List<String[]> lines(String payload) {
        final List<String[]> out = new ArrayList<>();
        for (String line : payload.split("\n")) {
            if (!line.isEmpty()) {
                out.add(line.split("\t", -1));
            }
        }
        return out;
    }

    /**
     * Apply a journaled change. {@code index} and {@code atMs} are the record's journal index
     * and time (a bag opens and seals at them).
     */
    public static void apply(HubOps ops, int opCode, String payload, String actor, long index, long atMs) {
        final Op op = Op.fromCode(opCode);
        if (op == null) {
            return; // a newer hub's change: this version does not know it
        }
        switch (op) {
            case HOLD -> {
                for (String[] f : lines(payload)) {
                    ops.holds().hold(f[0], f.length > 1 ? f[1] : "");
                }
            }
            case RELEASE -> {
                for (String[] f : lines(payload)) {
                    ops.holds().release(f[0]);
                }
            }
            case CLEAR_HOLDS -> ops.holds().beginLoad();
            case LOAD_HOLDS -> {
                for (String[] f : lines(payload)) {
                    ops.holds().load(f[0], f.length > 1 ? f[1] : "");
                }
            }
            case COMMIT_HOLDS -> ops.holds().commitLoad();
            case HOLDS_IN_FORCE -> {
                for (String[] f : lines(payload)) {
                    ops.holds().holdInForce(f[0], f.length > 1 ? f[1] : "");
                }
            }
            case OVERRIDE -> {
                final String[] f = payload.split("\t", -1);
                ops.overrides().set(scope(f[0]), f[1], Integer.parseInt(f[2]), Long.parseLong(f[3]), actor);
            }
            case CANCEL_OVERRIDE -> {
                final String[] f = payload.split("\t", -1);
                ops.overrides().cancel(scope(f[0]), f[1]);
            }
            case REKEY -> {
                final String[] f = payload.split("\t", -1);
                ops.rekeys().bind(f[0], f[1]);
            }
            case OPEN_BAG -> {
                final String[] f = payload.split("\t", -1);
                ops.bags().open(Integer.parseInt(f[0]), f[1], index, atMs);
            }
            case SEAL_BAG -> {
                final String[] f = payload.split("\t", -1);
                ops.bags().seal(Integer.parseInt(f[0]), f[1], index, atMs);
            }
            default -> { }
        }
    }

    /**
     * The operations tables as records for a cycle's checkpoint: replayed where they stand, they
     * give back the holds, the overrides in force and the open bags even once retention has
     * deleted the cycles with the records that made them. Re-keys are not kept (they matter for
     * the minutes a parcel recirculates), nor decisions awaiting confirmation. The writer's thread.
     */
    public static List<byte[]> checkpoint(HubOps ops, long nowNs) {
        final List<byte[]> records = new java.util.ArrayList<>();
        final String actor = "checkpoint";
        final StringBuilder lines = new StringBuilder();
        final int[] inRecord = {0};
        ops.holds().forEach((barcode, reason) -> {
            lines.append(hold(barcode, reason));
            if (++inRecord[0] == LINES_PER_RECORD) {
                records.add(io.sorthub.hub.journal.OpsRecord.encode(Op.HOLDS_IN_FORCE.code, lines.toString(), actor, nowNs));
                lines.setLength(0);
                inRecord[0] = 0;
            }
        });
        if (inRecord[0] > 0) {
            records.add(io.sorthub.hub.journal.OpsRecord.encode(Op.HOLDS_IN_FORCE.code, lines.toString(), actor, nowNs));
        }
        for (Overrides.Override o : ops.overrides().list(nowNs / 1_000_000L)) {
            records.add(io.sorthub.hub.journal.OpsRecord.encode(Op.OVERRIDE.code,
                override(o.scope(), o.key(), o.outlet(), o.untilMs()), o.actor(), nowNs));
        }
        for (Bags.Bag bag : ops.bags().openBags()) {
            records.add(io.sorthub.hub.journal.OpsRecord.encode(Op.OPEN_BAG.code, bag(bag.outlet(), bag.id()), actor, nowNs));
        }
        return records;
    }

    public static Overrides.Scope scope(String text) {
        return "destination".equals(text) ? Overrides.Scope.DESTINATION : Overrides.Scope.BARCODE;
    }
}
