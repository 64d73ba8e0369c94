package io.sorthub.gateway.scanner;

/**
 * One read, normalised from a scanner's line. Kinds: a read (one code), a no-read, a
 * multi-read (several different codes), or the device's heartbeat.
 */
public record ScannerRead(Type type, String parcelId, String barcode, String destination, int weightGrams,
                          int lengthMm, int widthMm, int heightMm, long deviceTimeMs) {
    public enum Type { READ, NO_READ, MULTI_READ, HEARTBEAT }

    public static final ScannerRead HEARTBEAT_READ = new ScannerRead(Type.HEARTBEAT, "", "", "", 0, 0, 0, 0, 0);
}
