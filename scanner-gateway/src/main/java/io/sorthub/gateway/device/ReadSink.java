package io.sorthub.gateway.device;

import io.netty.channel.Channel;
import io.sorthub.gateway.scanner.LineRejected;
import io.sorthub.gateway.scanner.ScannerRead;

/** Where a device connection's reads go; called on the gateway's event loop. */
public interface ReadSink {
    void onRead(Device device, ScannerRead read, Channel channel);

    void onRejected(Device device, LineRejected rejected, Channel channel);

    /** The end of one read from a device: flush what the reads produced. */
    void onReadBatchEnd();
}
