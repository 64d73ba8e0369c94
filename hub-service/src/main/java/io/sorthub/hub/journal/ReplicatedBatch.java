package io.sorthub.hub.journal;

/**
 * A batch read from the hub pair's log by a standby: its position in the log and its
 * replicated bytes (see {@link StagedBatch}). Handed from the follower's thread to the writer.
 */
public record ReplicatedBatch(long position, byte[] value) {
}
