package io.sorthub.protocol;

import org.agrona.MutableDirectBuffer;

import static io.sorthub.protocol.Frame.BYTE_ORDER;

/**
 * SCAN: one scan event from a source (type 0x10). Offsets are from the frame start.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                  Frame header (8 bytes)                       |  0
 *  +---------------------------------------------------------------+
 *  |                  Sequence (int64, per source, from 1)         |  8
 *  +---------------------------------------------------------------+
 *  |                  Device Time (int64, epoch ms)                | 16
 *  +---------------------------------------------------------------+
 *  |                  Weight (int32, grams, 0 = not weighed)       | 24
 *  +-------------------------------+-------------------------------+
 *  |        Length (uint16, mm)    |        Width (uint16, mm)     | 28
 *  +-------------------------------+---------------+---------------+
 *  |        Height (uint16, mm)    |     Kind      | Service Class | 32
 *  +---------------+---------------+---------------+---------------+
 *  |     Flags     | Recirculations|     Outlet (uint16, 0 = none) | 36
 *  +---------------+---------------+-------------------------------+
 *  | len | Scanner Id (ASCII, <= 32)                              ... 40
 *  | len | Barcode (ASCII, <= 64)                                 ...
 *  | len | Destination: postcode or routing code (ASCII, <= 32)   ...
 *  | len | Customer (ASCII, <= 32)                                ...
 *  | len | Parcel Id (ASCII, <= 32): version 2 only               ...
 *  +---------------------------------------------------------------+
 * </pre>
 * In version 2 the sorter's own identity of the parcel (tray, carrier or induction id) ties a
 * no-read to the barcode an operator re-keys for it; empty when the sorter has none.
 */
public final class ScanFlyweight extends FrameFlyweight {
    public static final int SEQUENCE_OFFSET = 8;
    public static final int DEVICE_TIME_OFFSET = 16;
    public static final int WEIGHT_OFFSET = 24;
    public static final int LENGTH_MM_OFFSET = 28;
    public static final int WIDTH_MM_OFFSET = 30;
    public static final int HEIGHT_MM_OFFSET = 32;
    public static final int KIND_OFFSET = 34;
    public static final int SERVICE_CLASS_OFFSET = 35;
    public static final int FLAGS_OFFSET = 36;
    public static final int RECIRCULATIONS_OFFSET = 37;
    public static final int OUTLET_OFFSET = 38;
    public static final int VAR_FIELDS_OFFSET = 40;
    public static final int FIXED_LENGTH = VAR_FIELDS_OFFSET;

    public static final int MAX_SCANNER_ID_LENGTH = 32;
    public static final int MAX_BARCODE_LENGTH = 64;
    public static final int MAX_DESTINATION_LENGTH = 32;
    public static final int MAX_CUSTOMER_LENGTH = 32;
    public static final int MAX_PARCEL_ID_LENGTH = 32;
    public static final int MAX_LENGTH = FIXED_LENGTH + 5 + MAX_SCANNER_ID_LENGTH + MAX_BARCODE_LENGTH
        + MAX_DESTINATION_LENGTH + MAX_CUSTOMER_LENGTH + MAX_PARCEL_ID_LENGTH;

    /** Flags bit 0: the scanner read several different barcodes on this parcel. */
    public static final int FLAG_MULTI_READ = 0x01;

    // Absolute offsets of the length bytes of the variable fields, found by validate/encode.
    private int scannerIdAt;
    private int barcodeAt;
    private int destinationAt;
    private int customerAt;
    private int parcelIdAt;

    @Override
    public byte type() {
        return MessageType.SCAN;
    }

    @Override
    public int fixedLength() {
        return FIXED_LENGTH;
    }

    @Override
    public ScanFlyweight wrap(MutableDirectBuffer buffer, int offset) {
        super.wrap(buffer, offset);
        return this;
    }

    @Override
    public ScanFlyweight wrapForEncode(MutableDirectBuffer buffer, int offset) {
        super.wrapForEncode(buffer, offset);
        buffer.setMemory(offset + Frame.HEADER_LENGTH, FIXED_LENGTH - Frame.HEADER_LENGTH, (byte) 0);
        return this;
    }

    @Override
    public int validate(FrameError error) {
        final int end = offset + frameLength();
        int at = checkVarField(offset + VAR_FIELDS_OFFSET, end, MAX_SCANNER_ID_LENGTH, "SCAN scanner id", error);
        if (at < 0) {
            return error.code().code();
        }
        scannerIdAt = offset + VAR_FIELDS_OFFSET;
        barcodeAt = at;
        at = checkVarField(at, end, MAX_BARCODE_LENGTH, "SCAN barcode", error);
        if (at < 0) {
            return error.code().code();
        }
        destinationAt = at;
        at = checkVarField(at, end, MAX_DESTINATION_LENGTH, "SCAN destination", error);
        if (at < 0) {
            return error.code().code();
        }
        customerAt = at;
        at = checkVarField(at, end, MAX_CUSTOMER_LENGTH, "SCAN customer", error);
        if (at < 0) {
            return error.code().code();
        }
        final boolean v2 = version() >= Frame.PROTOCOL_VERSION_2;
        parcelIdAt = v2 ? at : -1;
        if (v2) {
            at = checkVarField(at, end, MAX_PARCEL_ID_LENGTH, "SCAN parcel id", error);
            if (at < 0) {
                return error.code().code();
            }
        }
        if (at != end) {
            return error.set(ErrorCode.MALFORMED_FRAME, "SCAN has bytes after its last field",
                at - offset, end - offset, at - offset);
        }
        if (EventKind.fromCode(kindCode()) == null || (!v2 && kindCode() > EventKind.MAX_CODE_V1)) {
            return error.set(ErrorCode.INVALID_FIELD, "SCAN event kind", KIND_OFFSET, kindCode(),
                v2 ? EventKind.MAX_CODE : EventKind.MAX_CODE_V1);
        }
        if (sequence() < 1) {
            return error.set(ErrorCode.INVALID_FIELD, "SCAN sequence", SEQUENCE_OFFSET, sequence(), 0);
        }
        return 0;
    }

    // --- fixed fields --------------------------------------------------------------------

    public long sequence() {
        return buffer.getLong(offset + SEQUENCE_OFFSET, BYTE_ORDER);
    }

    public ScanFlyweight sequence(long value) {
        buffer.putLong(offset + SEQUENCE_OFFSET, value, BYTE_ORDER);
        return this;
    }

    public long deviceTimeMs() {
        return buffer.getLong(offset + DEVICE_TIME_OFFSET, BYTE_ORDER);
    }

    public ScanFlyweight deviceTimeMs(long value) {
        buffer.putLong(offset + DEVICE_TIME_OFFSET, value, BYTE_ORDER);
        return this;
    }

    public int weightGrams() {
        return buffer.getInt(offset + WEIGHT_OFFSET, BYTE_ORDER);
    }

    public ScanFlyweight weightGrams(int value) {
        buffer.putInt(offset + WEIGHT_OFFSET, value, BYTE_ORDER);
        return this;
    }

    public int lengthMm() {
        return buffer.getShort(offset + LENGTH_MM_OFFSET, BYTE_ORDER) & 0xFFFF;
    }

    public int widthMm() {
        return buffer.getShort(offset + WIDTH_MM_OFFSET, BYTE_ORDER) & 0xFFFF;
    }

    public int heightMm() {
        return buffer.getShort(offset + HEIGHT_MM_OFFSET, BYTE_ORDER) & 0xFFFF;
    }

    public ScanFlyweight dimensionsMm(int length, int width, int height) {
        buffer.putShort(offset + LENGTH_MM_OFFSET, (short) length, BYTE_ORDER);
        buffer.putShort(offset + WIDTH_MM_OFFSET, (short) width, BYTE_ORDER);
        buffer.putShort(offset + HEIGHT_MM_OFFSET, (short) height, BYTE_ORDER);
        return this;
    }

    public int kindCode() {
        return buffer.getByte(offset + KIND_OFFSET) & 0xFF;
    }

    /** @return the kind; valid after {@link #validate} accepted the frame. */
    public EventKind kind() {
        return EventKind.fromCode(kindCode());
    }

    public ScanFlyweight kind(EventKind kind) {
        buffer.putByte(offset + KIND_OFFSET, (byte) kind.code());
        return this;
    }

    public int serviceClass() {
        return buffer.getByte(offset + SERVICE_CLASS_OFFSET) & 0xFF;
    }

    public ScanFlyweight serviceClass(int value) {
        buffer.putByte(offset + SERVICE_CLASS_OFFSET, (byte) value);
        return this;
    }

    public int flags() {
        return buffer.getByte(offset + FLAGS_OFFSET) & 0xFF;
    }

    public ScanFlyweight flags(int value) {
        buffer.putByte(offset + FLAGS_OFFSET, (byte) value);
        return this;
    }

    public boolean multiRead() {
        return (flags() & FLAG_MULTI_READ) != 0;
    }

    public int recirculations() {
        return buffer.getByte(offset + RECIRCULATIONS_OFFSET) & 0xFF;
    }

    public ScanFlyweight recirculations(int value) {
        buffer.putByte(offset + RECIRCULATIONS_OFFSET, (byte) Math.min(value, 255));
        return this;
    }

    public int outlet() {
        return buffer.getShort(offset + OUTLET_OFFSET, BYTE_ORDER) & 0xFFFF;
    }

    public ScanFlyweight outlet(int value) {
        buffer.putShort(offset + OUTLET_OFFSET, (short) value, BYTE_ORDER);
        return this;
    }

    // --- variable fields: written in one call, read as offset + length or as a String ------

    /**
     * Write the four variable fields in wire order and set the frame length; a version 2 frame
     * (see {@link #version(int)}) gets an empty parcel id.
     */
    public ScanFlyweight strings(CharSequence scannerId, CharSequence barcode, CharSequence destination,
                                 CharSequence customer) {
        return write(scannerId, barcode, destination, customer, version() >= Frame.PROTOCOL_VERSION_2 ? "" : null);
    }

    /** Version 2: the variable fields and the parcel id; sets the frame's version to 2. */
    public ScanFlyweight strings(CharSequence scannerId, CharSequence barcode, CharSequence destination,
                                 CharSequence customer, CharSequence parcelId) {
        version(Frame.PROTOCOL_VERSION_2);
        return write(scannerId, barcode, destination, customer, parcelId);
    }

    private ScanFlyweight write(CharSequence scannerId, CharSequence barcode, CharSequence destination,
                                CharSequence customer, CharSequence parcelId) {
        scannerIdAt = offset + VAR_FIELDS_OFFSET;
        barcodeAt = putVarField(scannerIdAt, scannerId, MAX_SCANNER_ID_LENGTH, "scanner id");
        destinationAt = putVarField(barcodeAt, barcode, MAX_BARCODE_LENGTH, "barcode");
        customerAt = putVarField(destinationAt, destination, MAX_DESTINATION_LENGTH, "destination");
        int end = putVarField(customerAt, customer, MAX_CUSTOMER_LENGTH, "customer");
        parcelIdAt = parcelId == null ? -1 : end;
        if (parcelId != null) {
            end = putVarField(parcelIdAt, parcelId, MAX_PARCEL_ID_LENGTH, "parcel id");
        }
        frameLength(end - offset);
        return this;
    }

    /** Offset of the parcel id's first byte (version 2; valid after validate or encode). */
    public int parcelIdOffset() {
        return parcelIdAt < 0 ? 0 : parcelIdAt + 1;
    }

    /** Length of the parcel id; 0 in version 1 or when the sorter gave none. */
    public int parcelIdLength() {
        return parcelIdAt < 0 ? 0 : buffer.getByte(parcelIdAt) & 0xFF;
    }

    public String parcelId() {
        return parcelIdAt < 0 ? "" : buffer.getStringWithoutLengthAscii(parcelIdAt + 1, parcelIdLength());
    }

    /** Offset in {@link #buffer()} of the first barcode byte. */
    public int barcodeOffset() {
        return barcodeAt + 1;
    }

    public int barcodeLength() {
        return buffer.getByte(barcodeAt) & 0xFF;
    }

    public int destinationOffset() {
        return destinationAt + 1;
    }

    public int destinationLength() {
        return buffer.getByte(destinationAt) & 0xFF;
    }

    public int customerOffset() {
        return customerAt + 1;
    }

    public int customerLength() {
        return buffer.getByte(customerAt) & 0xFF;
    }

    public int scannerIdOffset() {
        return scannerIdAt + 1;
    }

    public int scannerIdLength() {
        return buffer.getByte(scannerIdAt) & 0xFF;
    }

    /** Allocates: for tools, tests and the error path, not the event path. */
    public String scannerId() {
        return varFieldString(scannerIdAt);
    }

    public String barcode() {
        return varFieldString(barcodeAt);
    }

    public String destination() {
        return varFieldString(destinationAt);
    }

    public String customer() {
        return varFieldString(customerAt);
    }

    /** Copy this (validated) frame into {@code dst} at {@code dstOffset}; returns its length. */
    public int copyTo(MutableDirectBuffer dst, int dstOffset) {
        final int length = frameLength();
        dst.putBytes(dstOffset, buffer, offset, length);
        return length;
    }
}
