package io.sorthub.gateway.device;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.sorthub.gateway.GatewayMetrics;
import io.sorthub.gateway.decision.PendingDecisions;

import java.util.ArrayList;
import java.util.List;

/**
 * Writes answer lines to the sorter side, on the gateway's event loop, and flushes each
 * connection once per batch (a read of hub replies, a read of device lines, a deadline tick).
 */
public final class AnswerWriter implements PendingDecisions.Answers<Device.Reply> {
    private final GatewayMetrics metrics;
    private final List<Channel> unflushed = new ArrayList<>();

    public AnswerWriter(GatewayMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void answer(Device.Reply reply, String parcelId, String barcode, long sequence, int outlet,
                       PendingDecisions.Why why) {
        switch (why) {
            case FALLBACK -> reply.source().meters().fallback();
            case REJECT -> reply.source().meters().reject();
            case HUB -> { }
        }
        final Device target = reply.target();
        Channel channel = reply.channel();
        if (channel == null || !channel.isActive()) {
            channel = target.activeChannel();
        }
        if (channel == null) {
            target.meters().undelivered();
            return;
        }
        final ByteBuf line = channel.alloc().buffer(target.answerFormat().maxLength(parcelId, barcode));
        target.answerFormat().encode(line, parcelId, barcode, sequence, outlet);
        channel.write(line, channel.voidPromise());
        if (!unflushed.contains(channel)) {
            unflushed.add(channel);
        }
    }

    @Override
    public void late(long sequence) {
        metrics.lateDecision();
    }

    @Override
    public void roundTrip(Device.Reply reply, long nanos) {
        reply.target().meters().roundTrip(nanos); // by the device the decision answers
    }

    public void flush() {
        for (int i = 0; i < unflushed.size(); i++) {
            unflushed.get(i).flush();
        }
        unflushed.clear();
    }
}
