package io.sorthub.gateway.forward;

import io.sorthub.gateway.GatewayMetrics;
import io.sorthub.gateway.GatewayStatus;
import io.sorthub.gateway.spool.Spool;
import io.sorthub.gateway.spool.SpoolMarks;
import io.sorthub.protocol.Frame;
import io.sorthub.protocol.ScanFlyweight;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams the spool to the hub, on the gateway's event loop: in order from the resume point
 * the hub's WELCOME gives, at most {@link #WINDOW} events unacknowledged, resent from the
 * resume point after every reconnect. It never accepts a resume point above the spool's last
 * sequence: the hub would then answer every new read DUPLICATE and journal none of them. It
 * stops forwarding instead, says so (metric, ERROR line, /health), keeps the spool growing and
 * asks the hub again every {@link #RESUME_AHEAD_RETRY_MS}, until the hub's source is reset (its
 * resume point drops to 0) or the gateway gets a new source id.
 */
public final class SpoolForwarder implements HubLink.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(SpoolForwarder.class);
    /** Events sent and not yet acknowledged, at most: the hub link's window. */
    static final int WINDOW = 1 << 18;
    static final long RESUME_AHEAD_RETRY_MS = 10_000;

    private final Spool spool;
    private final SpoolMarks marks;
    private final GatewayMetrics metrics;
    private final GatewayStatus status;
    private final int sourceId;
    private final UnsafeBuffer outFrame = new UnsafeBuffer(new byte[Frame.MAX_FRAME_LENGTH]);
    private final long[] spooledAt = new long[1];
    private final long[] windowSeq = new long[WINDOW];
    private final long[] windowTime = new long[WINDOW];
    private HubLink hub;
    private int windowHead;
    private int windowTail;
    private long acked;
    private long highestEverSent;
    /** While set, no resume point above it is accepted; -1 when none stands. */
    private long refusedAbove;
    private boolean refusing;

    public SpoolForwarder(Spool spool, SpoolMarks marks, GatewayMetrics metrics, GatewayStatus status, int sourceId) {
        this.spool = spool;
        this.marks = marks;
        this.metrics = metrics;
        this.status = status;
        this.sourceId = sourceId;
        this.refusedAbove = marks.refusedAbove();
        // Until the hub answers: what it acknowledged before, and at least what was reclaimed.
        this.acked = Math.min(spool.lastSequence(), Math.max(marks.acked(), spool.firstSequence() - 1));
        spool.seekAfter(acked);
        status.spooled(spool.lastSequence());
        status.acked(acked);
        if (refusedAbove >= 0) {
            refusing = true;
            status.resumeAhead(0, refusedAbove); // the hub's number comes with its next WELCOME
            LOG.error("a hub resume point above this spool was refused before (spool then at sequence {}): forwarding"
                + " stays stopped until the hub offers a resume point at or below it", refusedAbove);
        }
    }

    public void hub(HubLink hub) {
        this.hub = hub;
    }

    @Override
    public void onWelcome(long resumeSequence) {
        final long bound = refusedAbove >= 0 ? refusedAbove : spool.lastSequence();
        windowHead = windowTail = 0;
        if (resumeSequence > bound) {
            refuse(resumeSequence);
            return;
        }
        if (refusing) {
            LOG.info("hub resume point {} is within the spool (last sequence {}): forwarding again from sequence {}",
                resumeSequence, spool.lastSequence(), resumeSequence + 1);
            refusing = false;
            refusedAbove = -1;
            marks.clearRefusal();
            status.resumeAheadCleared();
        }
        status.hubConnected(true);
        acked = resumeSequence;
        status.acked(Math.max(acked, spool.firstSequence() - 1));
        spool.seekAfter(resumeSequence);
        pump(true);
    }

    private void refuse(long resumeSequence) {
        final long last = spool.lastSequence();
        if (!refusing || status.resumeAheadHub() != resumeSequence) {
            LOG.error("HUB RESUME POINT AHEAD OF THE SPOOL: hub says it holds source {} up to sequence {}, but this"
                    + " gateway has spooled only up to {}. Forwarding is STOPPED (reads are spooled and answered with the"
                    + " fallback outlet) so that no read is answered DUPLICATE and lost. Fix: reset the source at the hub"
                    + " (POST /api/sources/{}/reset, admin), which starts it at a new epoch, or give this gateway a new"
                    + " sourceId; see docs/SCANNERS.md", sourceId, resumeSequence, refusedAbove >= 0 ? refusedAbove : last,
                sourceId);
        }
        if (refusedAbove < 0) {
            refusedAbove = last;
            marks.refuseAbove(last);
        }
        if (!refusing) {
            spool.seekAfter(acked); // the oldest-unacknowledged figure reads from here while refusing
        }
        refusing = true;
        status.resumeAhead(resumeSequence, refusedAbove);
        status.hubConnected(false);
        hub.restartIn(RESUME_AHEAD_RETRY_MS);
    }

    @Override
    public void onWritable() {
        pump(true);
    }

    /** Called after reads were spooled (the batch's flush comes from the device side). */
    public void spooled() {
        status.spooled(spool.lastSequence());
        pump(false);
    }

    /** Send spooled events while the link is writable and the window has room. */
    private void pump(boolean flush) {
        if (refusing) {
            return;
        }
        int sent = 0;
        while (hub.writable() && windowSize() < WINDOW - 1) {
            final int length = spool.next(outFrame, spooledAt);
            if (length == 0) {
                break;
            }
            final long sequence = outFrame.getLong(ScanFlyweight.SEQUENCE_OFFSET, Frame.BYTE_ORDER);
            windowSeq[windowTail] = sequence;
            windowTime[windowTail] = spooledAt[0];
            windowTail = (windowTail + 1) & (WINDOW - 1);
            hub.write(outFrame, length);
            if (sequence <= highestEverSent) {
                metrics.resends(1);
            } else {
                highestEverSent = sequence;
            }
            sent++;
        }
        if (flush && sent > 0) {
            hub.flush();
        }
    }

    private int windowSize() {
        return (windowTail - windowHead) & (WINDOW - 1);
    }

    @Override
    public void onAck(long sequence) {
        if (refusing) {
            return;
        }
        acked = Math.max(acked, sequence);
        status.acked(acked);
        while (windowSize() > 0 && windowSeq[windowHead] <= sequence) {
            windowHead = (windowHead + 1) & (WINDOW - 1);
        }
        pump(true);
    }

    @Override
    public void onDisconnected() {
        status.hubConnected(false);
        // The window stays as it was: its head is the oldest unacknowledged event until the next WELCOME.
    }

    /** Once a second: the oldest-unacknowledged figure, the acknowledged mark on disk. */
    public void tick() {
        final long oldest;
        if (windowSize() > 0) {
            oldest = windowTime[windowHead];
        } else if (spool.lastSequence() > acked) {
            oldest = Math.max(0, spool.peekTime()); // not sent yet (hub away, or refused): the next to send
        } else {
            oldest = 0;
        }
        status.oldestUnackedAt(oldest);
        if (!refusing) {
            marks.acked(acked);
        }
    }

    /** Delete spool files the hub acknowledged entirely. */
    public void reclaim() {
        if (spool.reclaim(acked) > 0) {
            status.acked(Math.max(acked, spool.firstSequence() - 1));
        }
    }

    public long acked() {
        return acked;
    }
}
