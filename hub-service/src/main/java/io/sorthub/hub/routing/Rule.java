package io.sorthub.hub.routing;

import io.sorthub.protocol.ScanFlyweight;
import org.agrona.DirectBuffer;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One compiled rule. Its destination condition lives in the {@link PrefixIndex}; the
 * other conditions are checked here, cheapest first, on the candidates the index yields.
 * A condition left out of the plan matches everything.
 */
public final class Rule {
    static final long ANY_SERVICE = -1L;

    final int id;
    final int position;
    final int line;
    final List<String> destinationPrefixes; // empty = any destination
    final int rangeDigits;                   // > 0: the first rangeDigits characters must be digits
    final long serviceMask;
    final byte[][] barcodePrefixes;          // null = any
    /** Matches abandoned over the step budget (BoundedBarcodeView), all rules of all plans. */
    private static final java.util.concurrent.atomic.LongAdder PATTERNS_ABANDONED = new java.util.concurrent.atomic.LongAdder();

    final Pattern barcodePattern;            // null = any
    final int patternIndex;
    final byte[][] customers;                // null = any
    final int minWeight;
    final int maxWeight;
    final int minDimension;
    final int maxDimension;
    final int fromMinute;                    // -1 = any time
    final int toMinute;
    final int[] targets;                     // outlet, then its alternates, in order
    final String targetName;

    Rule(int id, int position, int line, List<String> destinationPrefixes, int rangeDigits, long serviceMask, byte[][] barcodePrefixes,
         Pattern barcodePattern, int patternIndex, byte[][] customers, int minWeight, int maxWeight,
         int minDimension, int maxDimension, int fromMinute, int toMinute, int[] targets, String targetName) {
        this.id = id;
        this.position = position;
        this.line = line;
        this.destinationPrefixes = destinationPrefixes;
        this.rangeDigits = rangeDigits;
        this.serviceMask = serviceMask;
        this.barcodePrefixes = barcodePrefixes;
        this.barcodePattern = barcodePattern;
        this.patternIndex = patternIndex;
        this.customers = customers;
        this.minWeight = minWeight;
        this.maxWeight = maxWeight;
        this.minDimension = minDimension;
        this.maxDimension = maxDimension;
        this.fromMinute = fromMinute;
        this.toMinute = toMinute;
        this.targets = targets;
        this.targetName = targetName;
    }

    public int id() {
        return id;
    }

    /** Where the rule starts in the plan file (1-based), 0 when unknown. */
    public int line() {
        return line;
    }

    /** The outlet or group the rule sends to, as the plan names it. */
    public String target() {
        return targetName;
    }

    /** Every condition but the destination, which the index already matched. */
    boolean matchesResidual(ScanFlyweight scan, int minuteOfDay, Decision scratch, SortPlan plan) {
        if (serviceMask != ANY_SERVICE) {
            final int serviceClass = scan.serviceClass();
            if (serviceClass > 63 || (serviceMask & (1L << serviceClass)) == 0) {
                return false;
            }
        }
        final int weight = scan.weightGrams();
        if (weight < minWeight || weight > maxWeight) {
            return false;
        }
        final int dimension = Math.max(scan.lengthMm(), Math.max(scan.widthMm(), scan.heightMm()));
        if (dimension < minDimension || dimension > maxDimension) {
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

    boolean inWindow(int minute) {
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
