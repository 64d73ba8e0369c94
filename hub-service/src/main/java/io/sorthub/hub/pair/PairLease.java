package io.sorthub.hub.pair;

import org.agrona.concurrent.NanoClock;

/**
 * The active's lease on its role: renewed by the election thread at every poll that finds it
 * still the leader, for half the session timeout. The Kafka coordinator cannot hand the role
 * to a standby before the session timeout passes without a heartbeat from this instance, so
 * while the lease holds no other instance can have taken over unnoticed: a process that was
 * frozen (a long GC pause, SIGSTOP) finds its lease expired when it resumes and sends no ACK
 * until the election confirms it is still the active.
 */
final class PairLease {
    private final NanoClock clock;
    private final long lengthNs;
    private volatile long validUntilNs;
    private volatile boolean lost;
    private volatile boolean handingOver;

    PairLease(NanoClock clock, long sessionTimeoutMs) {
        this.clock = clock;
        this.lengthNs = sessionTimeoutMs * 1_000_000L / 2;
    }

    /** Election thread: still the leader as of now. */
    void renew() {
        if (!lost) {
            validUntilNs = clock.nanoTime() + lengthNs;
        }
    }

    /** Another instance took over (or will): never valid again. */
    void lose() {
        lost = true;
        validUntilNs = 0;
    }

    /**
     * Resigned on purpose (switchover): the standby cannot commit before it fences this instance,
     * and this instance cannot commit after; until then it keeps deciding and acknowledging.
     */
    void handOver() {
        handingOver = true;
    }

    /**
     * Wait (on the writer thread, briefly) until the lease holds: the election renews it within a
     * poll, or loses it. Gives up after one lease length.
     *
     * @return true when held; false when lost or not confirmed in time
     */
    boolean awaitHeld() {
        final long deadline = clock.nanoTime() + lengthNs;
        while (!held()) {
            if (lost || clock.nanoTime() > deadline) {
                return false;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000L);
        }
        return true;
    }

    boolean lost() {
        return lost;
    }

    boolean held() {
        return !lost && (handingOver || clock.nanoTime() < validUntilNs);
    }
}
