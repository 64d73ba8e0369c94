package io.sorthub.hub.ingest;

import io.sorthub.kit.net.LengthPrefixedFrameDecoder;

/**
 * The scan port's frame decoder: hub protocol frames ({@link LengthPrefixedFrameDecoder})
 * up to the hub's {@code maxFrameLength}; its own type so the session finds it in the
 * pipeline to name a refused length.
 */
public final class ScanFrameDecoder extends LengthPrefixedFrameDecoder {
    public ScanFrameDecoder(int maxFrameLength) {
        super(maxFrameLength);
    }
}
