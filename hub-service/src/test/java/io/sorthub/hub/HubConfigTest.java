package io.sorthub.hub;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HubConfigTest {
    @Test
    void emptyFileGivesTheEmbeddedDefaults() throws Exception {
        final HubConfig config = HubConfig.parse("", "hub.yaml");
        assertThat(config.host).isEqualTo("127.0.0.1");
        assertThat(config.scanPort).isEqualTo(7400);
        assertThat(config.httpPort).isEqualTo(7480);
        assertThat(config.sortPlan).isNull();
    }

    @Test
    void fileOverridesDefaults() throws Exception {
        final HubConfig config = HubConfig.parse("scanPort: 9000\ndataDir: /var/lib/sorthub\njournalRollCycle: LARGE_DAILY\n", "hub.yaml");
        assertThat(config.scanPort).isEqualTo(9000);
        assertThat(config.dataDir).isEqualTo("/var/lib/sorthub");
        assertThat(config.journalRollCycle).isEqualTo("LARGE_DAILY");
    }

    private void rejected(String yaml, String... fragments) {
        assertThatThrownBy(() -> HubConfig.parse(yaml, "hub.yaml")).isInstanceOf(HubConfig.ConfigException.class)
            .satisfies(e -> assertThat(e.getMessage()).contains("hub.yaml").contains(fragments));
    }

    @Test
    void misspeltKeyIsAnErrorWithItsLine() {
        rejected("scanPort: 9000\nscan_port: 9001\n", "unknown key 'scan_port'", "line 2");
    }

    @Test
    void wrongTypesAndRangesAreNamed() {
        rejected("scanPort: lots\n", "line 1");
        rejected("httpPort: 70000\n", "httpPort 70000");
        rejected("journalQueueBytes: 1000\n", "journalQueueBytes");
        rejected("journalRollCycle: FORTNIGHTLY\n", "journalRollCycle", "FORTNIGHTLY");
        rejected("maxFrameLength: 100\n", "maxFrameLength");
        rejected("ingestThreads: 0\n", "ingestThreads");
        rejected("host: ''\n", "host");
        rejected("scanPort: [1, 2]\n", "line 1");
    }

    /** Found by HubConfigFuzzTest and GatewayConfigFuzzTest: nulls used to fail later, unnamed. */
    @Test
    void aCommentOnlyFileIsTheDefaultsAndAnExplicitNullIsNamed() throws Exception {
        assertThat(HubConfig.parse("# nothing set yet\n", "hub.yaml").scanPort).isEqualTo(7400);
        rejected("scanPort: 9000\ndataDir: ~\n", "dataDir", "line 2");
    }

    @Test
    void exportSettingsThatCannotWorkOrWouldWeakenItsGuaranteesAreRefused() throws Exception {
        final HubConfig ok = HubConfig.parse("exportKafkaBootstrap: k1:9092\nhubId: SZ-01\n"
            + "exportKafkaProperties: {security.protocol: SSL}\n", "hub.yaml");
        assertThat(ok.exportTopic).isEqualTo("sorthub.scans");
        rejected("exportKafkaBootstrap: k1:9092\nexportTopic: 'a topic'\n", "exportTopic");
        rejected("exportKafkaBootstrap: k1:9092\nexportName: ../x\n", "exportName");
        rejected("exportKafkaBootstrap: k1:9092\nexportKafkaProperties: {acks: '1'}\n", "acks must stay all");
        rejected("exportKafkaBootstrap: k1:9092\nexportKafkaProperties: {enable.idempotence: 'false'}\n", "enable.idempotence");
        rejected("hubId: ''\n", "hubId");
        rejected("hubId: " + "H".repeat(33) + "\n", "hubId");
    }
}
