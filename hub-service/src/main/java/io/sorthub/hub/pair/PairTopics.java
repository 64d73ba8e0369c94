package io.sorthub.hub.pair;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The pair's two topics, made if absent and checked at every start: a pair whose log could
 * lose a replicated batch (one replica, unclean leader election, fewer than two in-sync
 * replicas) would break "acknowledged means durable on more than one machine", so the hub
 * refuses to start on it and says which setting is wrong.
 */
public final class PairTopics {
    private PairTopics() {
    }

    /** A topic setting that cannot keep the pair's promise: the operator fixes the topic (exit 2, not a restart). */
    public static final class UnsafeTopicException extends Exception {
        UnsafeTopicException(String message) {
            super(message);
        }
    }

    static void ensure(PairSettings settings) throws Exception {
        final Properties props = new Properties();
        props.putAll(settings.kafka());
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrap());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
        try (Admin admin = Admin.create(props)) {
            final Map<String, String> logConfig = Map.of(
                TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(settings.minInsyncReplicas()),
                TopicConfig.UNCLEAN_LEADER_ELECTION_ENABLE_CONFIG, "false",
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, Long.toString(settings.retentionMs()));
            create(admin, new NewTopic(settings.logTopic(), 1, settings.replicationFactor()).configs(logConfig));
            create(admin, new NewTopic(settings.electionTopic(), 1, settings.replicationFactor()));
            check(admin, settings);
        }
    }

    private static void create(Admin admin, NewTopic topic) throws Exception {
        try {
            admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }

    private static void check(Admin admin, PairSettings settings) throws Exception {
        final String topic = settings.logTopic();
        final TopicDescription description;
        try {
            description = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw new UnsafeTopicException("the pair's log topic " + topic + " does not exist and could not be made");
            }
            throw e;
        }
        if (description.partitions().size() != 1) {
            throw new UnsafeTopicException("the pair's log topic " + topic + " has " + description.partitions().size()
                + " partitions; it must have exactly 1 (one order for the whole hub)");
        }
        final int replicas = description.partitions().get(0).replicas().size();
        if (replicas < settings.replicationFactor()) {
            throw new UnsafeTopicException("the pair's log topic " + topic + " has " + replicas + " replicas; the pair needs "
                + settings.replicationFactor() + " (pairReplicationFactor)");
        }
        final ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        final Config config = admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
        final int minInsync = Integer.parseInt(config.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG).value());
        if (minInsync < settings.minInsyncReplicas()) {
            throw new UnsafeTopicException("the pair's log topic " + topic + " has min.insync.replicas=" + minInsync
                + "; the pair needs at least " + settings.minInsyncReplicas() + " (pairMinInsyncReplicas)");
        }
        if (Boolean.parseBoolean(config.get(TopicConfig.UNCLEAN_LEADER_ELECTION_ENABLE_CONFIG).value())) {
            throw new UnsafeTopicException("the pair's log topic " + topic + " allows unclean leader election, which can "
                + "drop acknowledged batches: set unclean.leader.election.enable=false on it");
        }
    }
}
