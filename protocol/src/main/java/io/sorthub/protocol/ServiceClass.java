package io.sorthub.protocol;

/** Service class byte of a SCAN. Codes are stable; 0 means not given. */
public final class ServiceClass {
    public static final int UNKNOWN = 0;
    public static final int STANDARD = 1;
    public static final int EXPRESS = 2;
    public static final int ECONOMY = 3;
    public static final int FREIGHT = 4;

    private ServiceClass() {
    }
}
