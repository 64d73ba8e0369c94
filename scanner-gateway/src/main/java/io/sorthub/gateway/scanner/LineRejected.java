package io.sorthub.gateway.scanner;

/**
 * Device bytes the codec refused, passed on so the device can count them and, when they
 * stood for a parcel, answer it.
 *
 * @param detail   what was wrong and where, with the bytes escaped ({@code <STX>})
 * @param parcelId the telegram's parcel id when it could be read, else empty
 * @param telegram true when this was a whole telegram from the device (so a parcel is
 *                 waiting for its answer); false for bytes outside telegrams and cut-off ones
 */
public record LineRejected(LineError error, String detail, String parcelId, boolean telegram) {
    public static LineRejected framing(LineError error, String detail) {
        return new LineRejected(error, detail, "", false);
    }
}
