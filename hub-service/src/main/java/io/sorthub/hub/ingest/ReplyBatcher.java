package io.sorthub.hub.ingest;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.sorthub.hub.metrics.HubMetrics;
import io.sorthub.hub.routing.Decision;
import io.sorthub.protocol.AckFlyweight;
import io.sorthub.protocol.DecisionFlyweight;
import io.sorthub.protocol.ErrorCode;
import io.sorthub.protocol.ErrorFlyweight;
import io.sorthub.protocol.HeartbeatFlyweight;
import io.sorthub.protocol.WelcomeFlyweight;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A connection's replies, on its event loop: every frame is encoded into a scratch buffer and
 * appended to one outbound buffer per read batch, written with one flush (one syscall per
 * batch, not per frame). Counts the connection's traffic and adds it to the metrics once per
 * flush, not per frame. Allocation-free in steady state: the outbound buffers come from the
 * channel's pooled allocator.
 */
final class ReplyBatcher {
    private static final int OUT_CHUNK = 16 * 1024;

    private final Channel channel;
    private final HubMetrics metrics;
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[ErrorFlyweight.FIXED_LENGTH
        + ErrorFlyweight.MAX_MESSAGE_LENGTH]);
    private final DecisionFlyweight decision = new DecisionFlyweight();
    private final AckFlyweight ack = new AckFlyweight();
    private final HeartbeatFlyweight heartbeat = new HeartbeatFlyweight();
    private ByteBuf out;
    private long framesIn;
    private long bytesIn;
    private long framesOut;
    private long bytesOut;
    private boolean closing;

    ReplyBatcher(Channel channel, HubMetrics metrics) {
        this.channel = channel;
        this.metrics = metrics;
    }

    /** A frame of {@code bytes} came in (counted, for the traffic metrics). */
    void received(int bytes) {
        framesIn++;
        bytesIn += bytes;
    }

    void welcome(int sourceId, int heartbeatIntervalMs, long resumeSequence, long serverTimeMs, long planVersion,
                 int maxFrameLength) {
        final WelcomeFlyweight welcome = new WelcomeFlyweight().wrapForEncode(scratch, 0) // once a session: may allocate
            .sourceId(sourceId)
            .heartbeatIntervalMs(heartbeatIntervalMs)
            .resumeSequence(resumeSequence)
            .serverTimeMs(serverTimeMs)
            .planVersion(planVersion)
            .maxFrameLength(maxFrameLength);
        append(welcome.frameLength());
    }

    void decision(long sequence, Decision d) {
        decision.wrapForEncode(scratch, 0)
            .sequence(sequence)
            .planVersion(d.planVersion)
            .ruleId(d.ruleId)
            .outlet(d.outlet)
            .reason(d.reason);
        append(DecisionFlyweight.LENGTH);
    }

    void ack(int sourceId, long sequence) {
        ack.wrapForEncode(scratch, 0).sourceId(sourceId).sequence(sequence);
        append(AckFlyweight.LENGTH);
    }

    void heartbeat(long timeMs) {
        heartbeat.wrapForEncode(scratch, 0).timeMs(timeMs);
        append(HeartbeatFlyweight.LENGTH);
    }

    private void append(int length) {
        if (out == null) {
            out = channel.alloc().directBuffer(OUT_CHUNK);
        } else if (out.writableBytes() < length) {
            channel.write(out, channel.voidPromise());
            out = channel.alloc().directBuffer(OUT_CHUNK);
        }
        out.writeBytes(scratch.byteArray(), 0, length);
        framesOut++;
        bytesOut += length;
    }

    /** Write what the batch produced with one flush, and count the batch's traffic. */
    void flush() {
        if (out != null) {
            final ByteBuf buf = out;
            out = null;
            channel.writeAndFlush(buf, channel.voidPromise());
        }
        if (framesIn + framesOut > 0) {
            metrics.traffic(framesIn, bytesIn, framesOut, bytesOut);
            framesIn = 0;
            bytesIn = 0;
            framesOut = 0;
            bytesOut = 0;
        }
    }

    /**
     * Flush what is pending (an ACK, DECISIONs), then send ERROR naming the problem and close
     * without losing it ({@link LingeringClose}). Once only: later calls do nothing.
     *
     * @return false when the connection was already closing
     */
    boolean error(ErrorCode code, String message, long sequence) {
        if (closing) {
            return false;
        }
        closing = true;
        metrics.protocolError(code);
        flush();
        final ErrorFlyweight error = new ErrorFlyweight().wrapForEncode(scratch, 0);
        error.code(code).sequence(sequence).message(message);
        final ByteBuf buf = channel.alloc().buffer(error.frameLength());
        buf.writeBytes(scratch.byteArray(), 0, error.frameLength());
        LingeringClose.after(channel, channel.writeAndFlush(buf));
        return true;
    }

    boolean closing() {
        return closing;
    }

    /** The connection closed: give back what was never written. */
    void release() {
        closing = true;
        if (out != null) {
            out.release();
            out = null;
        }
    }
}
