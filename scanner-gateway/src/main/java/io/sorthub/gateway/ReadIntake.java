package io.sorthub.gateway;

import io.netty.channel.Channel;
import io.sorthub.gateway.decision.PendingDecisions;
import io.sorthub.gateway.device.AnswerWriter;
import io.sorthub.gateway.device.Device;
import io.sorthub.gateway.device.ReadSink;
import io.sorthub.gateway.forward.HubLink;
import io.sorthub.gateway.forward.ScanEncoder;
import io.sorthub.gateway.forward.SpoolForwarder;
import io.sorthub.gateway.scanner.LineRejected;
import io.sorthub.gateway.scanner.ScannerRead;
import io.sorthub.gateway.spool.Spool;
import io.sorthub.kit.fs.DiskGuard;
import io.sorthub.kit.log.DistinctLog;
import io.sorthub.protocol.EventKind;
import io.sorthub.protocol.Frame;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.LoggerFactory;

/**
 * Reads in, on the gateway's event loop: each read is spooled before anything else, then
 * waits for its outlet (the hub's, or the fallback at its deadline) and is offered to the
 * forwarder. Every telegram that stands for a parcel gets an answer: a refused one at once
 * with the device's reject outlet, a read the spool cannot take with the fallback outlet.
 */
final class ReadIntake implements ReadSink {
    private final EpochClock clock;
    private final GatewayMetrics metrics;
    private final Spool spool;
    private final DiskGuard disk;
    private final SpoolForwarder forwarder;
    private final PendingDecisions<Device.Reply> decisions;
    private final AnswerWriter answers;
    private final ScanEncoder encoder = new ScanEncoder();
    private final UnsafeBuffer frame = new UnsafeBuffer(new byte[Frame.MAX_FRAME_LENGTH]);
    /** The first refusal of each kind per device; the rest are counted in the device's meters. */
    private final DistinctLog refusals;
    private HubLink hub;

    ReadIntake(EpochClock clock, GatewayMetrics metrics, Spool spool, DiskGuard disk, SpoolForwarder forwarder,
               PendingDecisions<Device.Reply> decisions, AnswerWriter answers) {
        this.clock = clock;
        this.refusals = DistinctLog.once(LoggerFactory.getLogger("io.sorthub.gateway.DeviceErrors"),
            (log, error, device, detail) -> log.warn("device {}: {}: {}; further ones are counted only", device, error,
                detail), 1_000, clock);
        this.metrics = metrics;
        this.spool = spool;
        this.disk = disk;
        this.forwarder = forwarder;
        this.decisions = decisions;
        this.answers = answers;
    }

    void hub(HubLink hub) {
        this.hub = hub;
    }

    @Override
    public void onRead(Device device, ScannerRead read, Channel channel) {
        final long now = clock.time();
        device.seen(now);
        device.meters().read(read.type());
        if (read.type() == ScannerRead.Type.HEARTBEAT) {
            return;
        }
        if (disk.blocked()) {
            metrics.spoolRejected();
            if (device.answers()) { // the parcel must go somewhere
                decisions.answerNow(device.lane(), device.replyFor(channel), read.parcelId(), read.barcode(),
                    device.lane().fallbackOutlet(), PendingDecisions.Why.FALLBACK);
            }
            return;
        }
        final EventKind kind = read.type() == ScannerRead.Type.NO_READ && device.kind() == EventKind.SORT_REQUEST
            ? EventKind.NO_READ : device.kind();
        final int length = encoder.encode(frame, read, kind, device.name(), now);
        final long sequence = spool.append(frame, length, now); // durable locally before anything else
        if (device.answers()) {
            decisions.expect(device.lane(), sequence, device.replyFor(channel), read.parcelId(), read.barcode());
        }
        forwarder.spooled();
    }

    @Override
    public void onRejected(Device device, LineRejected rejected, Channel channel) {
        device.seen(clock.time());
        device.meters().error(rejected.error());
        refusals.record(String.valueOf(rejected.error()), device.name(), rejected.detail());
        // A parcel stands behind a refused telegram: answer it, unless nothing could say which
        // parcel (a profile with ids whose id was unreadable).
        if (rejected.telegram() && device.answers()
            && (!device.profile().answersById() || !rejected.parcelId().isEmpty())) {
            decisions.answerNow(device.lane(), device.replyFor(channel), rejected.parcelId(), "",
                device.config().rejectOutlet, PendingDecisions.Why.REJECT);
        }
    }

    @Override
    public void onReadBatchEnd() {
        if (hub.connected()) {
            hub.flush();
        }
        answers.flush();
    }
}
