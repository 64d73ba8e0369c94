package io.sorthub.hub.routing;

import io.sorthub.protocol.ScanFlyweight;
import org.agrona.DirectBuffer;

import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;

/**
 * One compiled rule. Its destination condition lives in the plan's {@link PrefixIndex}; the
 * other conditions are checked here, cheapest first, on the candidates the index yields.
 * The condition values are kept for tools (the unreachable-rule lint); the hot path reads
 * their contents copied into plain fields, so a check touches no other object.
 */
public final class Rule {
    /** Matches abandoned over the step budget (BoundedBarcodeView), all rules of all plans. */
    private static final LongAdder PATTERNS_ABANDONED = new LongAdder();

    private final int id;
    private final int position;
    private final int line;
    private final RuleConditions conditions;
    private final Target target;

    // The conditions, flattened for matchesResidual.
    private final int rangeDigits;
    private final long serviceMask;
    private final byte[][] barcodePrefixes;  // null = any
    private final byte[][] customers;        // null = any
    private final java.util.regex.Pattern barcodePattern; // null = any
    private final int patternIndex;
    private final int minWeight;
    private final int maxWeight;
    private final boolean unweighed;
    private final int minDimension;
    private final int maxDimension;
    private final boolean unmeasured;
    private final int fromMinute;            // -1 = any time
    private final int toMinute;
    final int[] targets;

    /**
     * @param position the rule's place in plan order, from 0: the earlier, the stronger
     * @param line     where the rule starts in the plan file (1-based), 0 when unknown
     */
    public Rule(int id, int position, int line, RuleConditions conditions, Target target) {
        this.id = id;
        this.position = position;
        this.line = line;
        this.conditions = conditions;
        this.target = target;
        this.rangeDigits = conditions.destination().rangeDigits();
        this.serviceMask = conditions.serviceClasses();
        this.barcodePrefixes = conditions.barcodePrefixes().bytesOrNull();
        this.customers = conditions.customers().bytesOrNull();
        this.barcodePattern = conditions.barcodePattern().pattern();
        this.patternIndex = conditions.barcodePattern().index();
        this.minWeight = conditions.weight().min();
        this.maxWeight = conditions.weight().max();
        this.unweighed = conditions.weight().unmeasured();
        this.minDimension = conditions.dimension().min();
        this.maxDimension = conditions.dimension().max();
        this.unmeasured = conditions.dimension().unmeasured();
        this.fromMinute = conditions.time().fromMinute();
        this.toMinute = conditions.time().toMinute();
        this.targets = target.outlets();
    }

    public int id() {
        return id;
    }

    public int position() {
        return position;
    }

    /** Where the rule starts in the plan file (1-based), 0 when unknown. */
    public int line() {
        return line;
    }

    public RuleConditions conditions() {
        return conditions;
    }

    /** The outlet or group the rule sends to, as the plan names it. */
    public String target() {
        return target.name();
    }

    boolean hasTimeWindow() {
        return fromMinute >= 0;
    }

    /** Every condition but the destination prefixes, which the index already matched. */
    boolean matchesResidual(ScanFlyweight scan, int minuteOfDay, Decision scratch, SortPlan plan) {
        if (serviceMask != RuleConditions.ANY_SERVICE) {
            final int serviceClass = scan.serviceClass();
            if (serviceClass > 63 || (serviceMask & (1L << serviceClass)) == 0) {
                return false;
            }
        }
        // 0 (or less) is "not weighed"/"not measured": it matches only where the rule says so.
        final int weight = scan.weightGrams();
        if (weight <= 0 ? !unweighed : weight < minWeight || weight > maxWeight) {
            return false;
        }
        final int dimension = Math.max(scan.lengthMm(), Math.max(scan.widthMm(), scan.heightMm()));
        if (dimension <= 0 ? !unmeasured : dimension < minDimension || dimension > maxDimension) {
            return false;
        }
        if (fromMinute >= 0 && !inWindow(minuteOfDay)) {
            return false;
        }
        final DirectBuffer buffer = scan.buffer();
        if (rangeDigits > 0 && !leadingDigits(buffer, scan.destinationOffset(), scan.destinationLength())) {
            return false;
        }
        if (customers != null && !equalsAny(customers, buffer, scan.customerOffset(), scan.customerLength())) {
            return false;
        }
        if (barcodePrefixes != null && !startsWithAny(barcodePrefixes, buffer, scan.barcodeOffset(), scan.barcodeLength())) {
            return false;
        }
        if (barcodePattern != null) {
            final Matcher matcher = plan.matcher(scratch, patternIndex);
            scratch.barcodeView.wrap(buffer, scan.barcodeOffset(), scan.barcodeLength());
            try {
                return matcher.reset(scratch.barcodeView).matches();
            } catch (RuntimeException e) {
                if (e != BoundedBarcodeView.EXHAUSTED) {
                    throw e;
                }
                PATTERNS_ABANDONED.increment(); // the exceptional path only: a runaway pattern
                return false;
            }
        }
        return true;
    }

    public static long patternsAbandoned() {
        return PATTERNS_ABANDONED.sum();
    }

    /** A range's covering prefixes fix the first digits; the rest up to its length must be digits too. */
    private boolean leadingDigits(DirectBuffer buffer, int offset, int length) {
        if (length < rangeDigits) {
            return false;
        }
        for (int i = 0; i < rangeDigits; i++) {
            final byte b = buffer.getByte(offset + i);
            if (b < '0' || b > '9') {
                return false;
            }
        }
        return true;
    }

    private boolean inWindow(int minute) {
        return fromMinute <= toMinute ? minute >= fromMinute && minute < toMinute
            : minute >= fromMinute || minute < toMinute; // window across midnight
    }

    private static boolean equalsAny(byte[][] values, DirectBuffer buffer, int offset, int length) {
        for (byte[] value : values) {
            if (value.length == length && regionEquals(value, buffer, offset)) {
                return true;
            }
        }
        return false;
    }

    private static boolean startsWithAny(byte[][] prefixes, DirectBuffer buffer, int offset, int length) {
        for (byte[] prefix : prefixes) {
            if (prefix.length <= length && regionEquals(prefix, buffer, offset)) {
                return true;
            }
        }
        return false;
    }

    private static boolean regionEquals(byte[] value, DirectBuffer buffer, int offset) {
        for (int i = 0; i < value.length; i++) {
            if (value[i] != buffer.getByte(offset + i)) {
                return false;
            }
        }
        return true;
    }
}
