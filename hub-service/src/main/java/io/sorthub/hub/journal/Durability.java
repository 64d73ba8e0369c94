package io.sorthub.hub.journal;

import java.util.Locale;

/**
 * What an ACK promises about the events it covers (PROTOCOL.md, "What an ACK guarantees").
 */
public enum Durability {
    /**
     * The writer forces each batch to the disk (fdatasync of the cycle file, plus the folder
     * and the queue's metadata when a new cycle file appears) before it publishes the batch's
     * sequences: acknowledged events survive a power cut or a kernel crash. One force per
     * batch (group commit), never one per event. The production default.
     */
    SYNC,
    /**
     * The batch is in the memory-mapped journal file, i.e. in the operating system's page
     * cache: acknowledged events survive the hub process being killed, but not a power cut
     * or a kernel crash. For development, demos and benchmarks.
     */
    PAGECACHE;

    /** @throws IllegalArgumentException naming the levels, for a bad config value */
    public static Durability parse(String text) {
        for (Durability d : values()) {
            if (d.name().equalsIgnoreCase(text)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown durability '" + text + "'; use sync or pagecache");
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
