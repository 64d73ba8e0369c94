package io.sorthub.gateway.forward;

import io.sorthub.gateway.scanner.ScannerRead;
import io.sorthub.protocol.EventKind;
import io.sorthub.protocol.ScanFlyweight;
import org.agrona.MutableDirectBuffer;

/**
 * Turns a scanner's read into the SCAN frame that is spooled and sent to the hub. Whatever
 * the line parser lets through must make a frame the hub accepts: a frame it refused would be
 * resent from the spool forever and hold up the whole line behind it.
 */
public final class ScanEncoder {
    private final ScanFlyweight scan = new ScanFlyweight();

    /** @return the frame length */
    public int encode(MutableDirectBuffer frame, ScannerRead read, EventKind kind, String scannerId, long nowMs) {
        return scan.wrapForEncode(frame, 0)
            .deviceTimeMs(read.deviceTimeMs() > 0 ? read.deviceTimeMs() : nowMs)
            .kind(kind)
            .weightGrams(read.weightGrams())
            .dimensionsMm(read.lengthMm(), read.widthMm(), read.heightMm())
            .flags(read.type() == ScannerRead.Type.MULTI_READ ? ScanFlyweight.FLAG_MULTI_READ : 0)
            .strings(scannerId.length() > ScanFlyweight.MAX_SCANNER_ID_LENGTH
                    ? scannerId.substring(0, ScanFlyweight.MAX_SCANNER_ID_LENGTH) : scannerId,
                read.barcode(), read.destination(), "")
            .frameLength();
    }
}
