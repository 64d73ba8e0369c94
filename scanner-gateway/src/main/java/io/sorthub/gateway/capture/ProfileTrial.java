package io.sorthub.gateway.capture;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.sorthub.gateway.scanner.LineError;
import io.sorthub.gateway.scanner.LineRejected;
import io.sorthub.gateway.scanner.ScannerLineDecoder;
import io.sorthub.gateway.scanner.ScannerProfile;
import io.sorthub.gateway.scanner.ScannerRead;
import io.sorthub.gateway.scanner.TelegramDecoder;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * One profile run over captured bytes through the gateway's own codec (the pipeline a device
 * connection gets): how many reads of each kind, what it refused and why.
 */
final class ProfileTrial {
    private static final int SAMPLES = 5;

    final ScannerProfile profile;
    final Map<ScannerRead.Type, Integer> reads = new EnumMap<>(ScannerRead.Type.class);
    final Map<LineError, Integer> refused = new EnumMap<>(LineError.class);
    final List<ScannerRead> firstReads = new ArrayList<>();
    final List<LineRejected> firstRefusals = new ArrayList<>();

    private ProfileTrial(ScannerProfile profile) {
        this.profile = profile;
    }

    static ProfileTrial run(ScannerProfile profile, byte[] bytes) {
        final ProfileTrial trial = new ProfileTrial(profile);
        final EmbeddedChannel channel = new EmbeddedChannel(new TelegramDecoder(profile.framing(), profile.maxLineLength()),
            new ScannerLineDecoder(profile));
        channel.writeInbound(Unpooled.wrappedBuffer(bytes));
        channel.finish(); // as if the device closed: an unfinished telegram is reported
        for (Object o = channel.readInbound(); o != null; o = channel.readInbound()) {
            if (o instanceof ScannerRead read) {
                trial.reads.merge(read.type(), 1, Integer::sum);
                if (trial.firstReads.size() < SAMPLES) {
                    trial.firstReads.add(read);
                }
            } else if (o instanceof LineRejected rejected) {
                trial.refused.merge(rejected.error(), 1, Integer::sum);
                if (trial.firstRefusals.size() < SAMPLES) {
                    trial.firstRefusals.add(rejected);
                }
            }
        }
        channel.finishAndReleaseAll();
        return trial;
    }

    int usable() {
        return reads.values().stream().mapToInt(Integer::intValue).sum();
    }

    int refusedCount() {
        return refused.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Telegrams that read as parcels (reads, no-reads, multi-reads; not heartbeats). */
    int parcels() {
        return usable() - reads.getOrDefault(ScannerRead.Type.HEARTBEAT, 0);
    }

    /** Better: more usable telegrams, then fewer refusals. */
    boolean betterThan(ProfileTrial other) {
        return usable() != other.usable() ? usable() > other.usable() : refusedCount() < other.refusedCount();
    }
}
