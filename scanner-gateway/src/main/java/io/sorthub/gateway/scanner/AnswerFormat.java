package io.sorthub.gateway.scanner;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The line the gateway sends the sorter side for a parcel's outlet, framed like the device's
 * own telegrams: header, the template with {@code {id}}, {@code {barcode}}, {@code {sequence}}
 * and {@code {outlet}} filled in, terminator. The default template is
 * {@code {id}<separator>{outlet}} ({@code P1,5}). A profile without a parcel-id field gives an
 * empty id: such a sorter matches answers by order, or by {@code {barcode}}/{@code {sequence}}.
 */
public final class AnswerFormat {
    private enum Slot { LITERAL, ID, BARCODE, SEQUENCE, OUTLET }

    private final byte[] header;
    private final byte[] terminator;
    private final Slot[] slots;
    private final byte[][] literals;

    private AnswerFormat(byte[] header, byte[] terminator, Slot[] slots, byte[][] literals) {
        this.header = header;
        this.terminator = terminator;
        this.slots = slots;
        this.literals = literals;
    }

    public static String defaultTemplate(ScannerProfile profile) {
        return "{id}" + profile.separator() + "{outlet}";
    }

    /**
     * @param template null for the default
     * @throws IllegalArgumentException naming an unknown {@code {placeholder}} or a template without {outlet}
     */
    public static AnswerFormat of(ScannerProfile profile, String template) {
        final String t = template == null ? defaultTemplate(profile) : template;
        final List<Slot> slots = new ArrayList<>();
        final List<byte[]> literals = new ArrayList<>();
        final StringBuilder literal = new StringBuilder();
        for (int i = 0; i < t.length(); i++) {
            final int close = t.charAt(i) == '{' ? t.indexOf('}', i) : -1;
            if (close < 0) {
                literal.append(t.charAt(i));
                continue;
            }
            final String name = t.substring(i + 1, close);
            final Slot slot = switch (name) {
                case "id" -> Slot.ID;
                case "barcode" -> Slot.BARCODE;
                case "sequence" -> Slot.SEQUENCE;
                case "outlet" -> Slot.OUTLET;
                default -> throw new IllegalArgumentException("answerFormat '" + t + "': unknown placeholder {" + name
                    + "}; use {id}, {barcode}, {sequence}, {outlet}");
            };
            if (!literal.isEmpty()) {
                slots.add(Slot.LITERAL);
                literals.add(ControlNames.parse(literal.toString()));
                literal.setLength(0);
            }
            slots.add(slot);
            literals.add(null);
            i = close;
        }
        if (!literal.isEmpty()) {
            slots.add(Slot.LITERAL);
            literals.add(ControlNames.parse(literal.toString()));
        }
        if (!slots.contains(Slot.OUTLET)) {
            throw new IllegalArgumentException("answerFormat '" + t + "' must contain {outlet}");
        }
        final byte[] terminator = profile.framing().terminator();
        return new AnswerFormat(profile.framing().header(), terminator, slots.toArray(new Slot[0]),
            literals.toArray(new byte[0][]));
    }

    /** Write one answer line into {@code out}. */
    public void encode(ByteBuf out, String parcelId, String barcode, long sequence, int outlet) {
        out.writeBytes(header);
        for (int i = 0; i < slots.length; i++) {
            switch (slots[i]) {
                case LITERAL -> out.writeBytes(literals[i]);
                case ID -> out.writeCharSequence(parcelId, StandardCharsets.ISO_8859_1);
                case BARCODE -> out.writeCharSequence(barcode, StandardCharsets.ISO_8859_1);
                case SEQUENCE -> writeNumber(out, sequence);
                case OUTLET -> writeNumber(out, outlet);
            }
        }
        out.writeBytes(terminator);
    }

    private static void writeNumber(ByteBuf out, long value) {
        if (value == 0) {
            out.writeByte('0');
            return;
        }
        long divisor = 1;
        while (value / divisor >= 10) {
            divisor *= 10;
        }
        for (; divisor > 0; divisor /= 10) {
            out.writeByte((int) ('0' + value / divisor % 10));
        }
    }

    /** An upper bound of one answer's bytes, to size its buffer. */
    public int maxLength(String parcelId, String barcode) {
        int n = header.length + terminator.length + parcelId.length() + barcode.length() + 40;
        for (byte[] literal : literals) {
            n += literal == null ? 0 : literal.length;
        }
        return n;
    }
}
