package io.sorthub.hub.journal;

import org.agrona.DirectBuffer;

/**
 * Where a hub pair's active sends each writer batch before it appends it: the batch must be
 * durable on the pair (another machine) before the local journal takes it and before any
 * of its events is acknowledged. Writer thread only.
 */
public interface BatchReplicator {
    /**
     * Make the batch durable on the pair; blocks until it is or until it cannot be.
     *
     * @return the batch's position in the pair's log (recorded after it in the local journal)
     * @throws DeposedException when another instance took over: this one must never append or acknowledge again
     * @throws Exception any other failure: nothing of the batch counts as replicated
     */
    long replicate(DirectBuffer batch, int length) throws Exception;

    /** This instance is no longer the pair's active: it must not journal or acknowledge as one. */
    final class DeposedException extends Exception {
        public DeposedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
