package io.sorthub.hub.outlet;

import io.sorthub.protocol.EventKind;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The live state of every outlet id (1..65535): available, full or disabled. It belongs to
 * the chutes, not to a plan, so it survives plan swaps. Updated from chute-status events
 * and the HTTP API, rebuilt from the journal at start; read by every decision (one
 * acquire-load of a byte), written rarely.
 */
public final class OutletStates {
    private static final VarHandle STATES = MethodHandles.arrayElementVarHandle(byte[].class);
    private final byte[] states = new byte[0x1_0000];

    public boolean available(int outlet) {
        return (byte) STATES.getAcquire(states, outlet) == 0;
    }

    public OutletStatus status(int outlet) {
        return OutletStatus.fromCode((byte) STATES.getAcquire(states, outlet));
    }

    public void set(int outlet, OutletStatus status) {
        STATES.setRelease(states, outlet, (byte) status.code());
    }

    /** Every outlet that is not available, as (outlet, status code) pairs. */
    public int[][] unavailable() {
        int count = 0;
        for (int outlet = 1; outlet < states.length; outlet++) {
            if (!available(outlet)) {
                count++;
            }
        }
        final int[][] result = {new int[count], new int[count]};
        int i = 0;
        for (int outlet = 1; outlet < states.length && i < count; outlet++) {
            if (!available(outlet)) {
                result[0][i] = outlet;
                result[1][i++] = status(outlet).code();
            }
        }
        return result;
    }

    /** Apply a chute-status event (full, cleared, disabled); other kinds change nothing. */
    public void apply(int eventKind, int outlet) {
        if (eventKind == EventKind.CHUTE_FULL.code()) {
            set(outlet, OutletStatus.FULL);
        } else if (eventKind == EventKind.CHUTE_CLEARED.code()) {
            set(outlet, OutletStatus.AVAILABLE);
        } else if (eventKind == EventKind.CHUTE_DISABLED.code()) {
            set(outlet, OutletStatus.DISABLED);
        }
    }
}
