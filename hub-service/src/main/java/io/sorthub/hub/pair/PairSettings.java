package io.sorthub.hub.pair;

import java.util.Map;

/**
 * A hub pair's settings (docs/HA.md): the Kafka cluster that replicates, fences and elects,
 * this pair's name, and this instance. Derived names: the pair's log topic, its election
 * topic and consumer group, and the transactional id that fences a deposed active.
 *
 * @param bootstrap         Kafka bootstrap servers of the pair's cluster
 * @param pair              the pair's name: one per hub (several instances share it)
 * @param instance          this instance's name within the pair (its host name by default)
 * @param advertised        host:port where sources reach this instance's scan port (hints to gateways)
 * @param replicationFactor replicas of the pair's log, at least (3: any one broker may fail)
 * @param minInsyncReplicas replicas that must have a batch before it counts as replicated, at least (2)
 * @param sessionTimeoutMs  how long the active may be silent before a standby takes over
 * @param retentionMs       how long the pair's log keeps batches (a replaced machine rebuilds from it)
 * @param kafka             extra Kafka client settings (security.protocol, ssl.*, sasl.*)
 */
public record PairSettings(String bootstrap, String pair, String instance, String advertised, short replicationFactor,
                           int minInsyncReplicas, int sessionTimeoutMs, long retentionMs, Map<String, String> kafka) {
    public String logTopic() {
        return "sorthub.pair." + pair + ".log";
    }

    public String electionTopic() {
        return "sorthub.pair." + pair + ".election";
    }

    public String electionGroup() {
        return "sorthub.pair." + pair + ".active";
    }

    /** One transactional id for the whole pair: whoever initialises it last fences every earlier active. */
    public String transactionalId() {
        return "sorthub.pair." + pair;
    }

    /** The same settings, advertising {@code address} (known once the scan port listens). */
    public PairSettings advertising(String address) {
        return new PairSettings(bootstrap, pair, instance, address, replicationFactor, minInsyncReplicas, sessionTimeoutMs,
            retentionMs, kafka);
    }
}
