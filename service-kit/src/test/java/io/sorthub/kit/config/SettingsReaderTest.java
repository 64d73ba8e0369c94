package io.sorthub.kit.config;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Defaults, then a file, then the environment: each error names the file and line or the variable. */
class SettingsReaderTest {
    public static final class Settings {
        public String host = "127.0.0.1";
        public int scanPort = 7400;
        public boolean exitOnFatal = true;
        public List<String> hubs = new ArrayList<>();
        public Map<String, String> exportKafkaProperties = new LinkedHashMap<>();
        public List<Device> devices = new ArrayList<>(List.of(new Device()));
    }

    public static final class Device {
        public String name = "tunnel-1";
        public int port = 7600;
    }

    private final SettingsReader<Settings> reader = new SettingsReader<>(YAMLMapper.builder()
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .defaultSetterInfo(JsonSetter.Value.forValueNulls(Nulls.FAIL, Nulls.FAIL)).build(), Settings.class, "SORTHUB_");

    @Test
    void everyKeyHasAVariable() {
        assertThat(reader.variables()).containsEntry("scanPort", "SORTHUB_SCAN_PORT")
            .containsEntry("exitOnFatal", "SORTHUB_EXIT_ON_FATAL")
            .containsEntry("exportKafkaProperties", "SORTHUB_EXPORT_KAFKA_PROPERTIES").hasSize(6);
    }

    @Test
    void aFileSetsWhatItSaysAndLeavesTheBasesOtherValues() throws Exception {
        final Settings base = new Settings();
        base.scanPort = 1;
        final Settings s = reader.file(base, "host: 0.0.0.0\nexitOnFatal: false\n", "hub.yaml");
        assertThat(s.host).isEqualTo("0.0.0.0");
        assertThat(s.exitOnFatal).isFalse();
        assertThat(s.scanPort).isEqualTo(1);
        assertThat(reader.file(new Settings(), "# nothing\n", "empty.yaml").scanPort).isEqualTo(7400);
    }

    @Test
    void fileErrorsNameTheFileAndLine() {
        assertThatThrownBy(() -> reader.file(new Settings(), "host: a\nscanProt: 1\n", "hub.yaml"))
            .hasMessageStartingWith("hub.yaml line 2, column 12: unknown key 'scanProt'; known keys are [");
        assertThatThrownBy(() -> reader.file(new Settings(), "scanPort: lots\n", "hub.yaml"))
            .hasMessageStartingWith("hub.yaml line 1, column 11: Cannot deserialize value of type `int` from String \"lots\"");
        assertThatThrownBy(() -> reader.file(new Settings(), "scanPort: ~\n", "hub.yaml"))
            .hasMessageStartingWith("hub.yaml line 1");
    }

    @Test
    void variablesSetScalarsListsAndMapsOverTheFile() throws Exception {
        final Settings s = reader.file(new Settings(), "host: file-host\nscanPort: 1\n", "hub.yaml");
        reader.environment(s, Map.of("SORTHUB_SCAN_PORT", "7401", "SORTHUB_EXIT_ON_FATAL", "false",
            "SORTHUB_HUBS", "a:1, b:2", "SORTHUB_EXPORT_KAFKA_PROPERTIES", "{security.protocol: SASL_SSL, sasl.mechanism: PLAIN}",
            "SORTHUB_DEVICES", "[{name: t9, port: 7609}]", "SORTHUB_HOST", "", "PATH", "/usr/bin"));
        assertThat(s.host).as("an empty variable is unset").isEqualTo("file-host");
        assertThat(s.scanPort).isEqualTo(7401);
        assertThat(s.exitOnFatal).isFalse();
        assertThat(s.hubs).containsExactly("a:1", "b:2");
        assertThat(s.exportKafkaProperties).containsExactly(Map.entry("security.protocol", "SASL_SSL"),
            Map.entry("sasl.mechanism", "PLAIN"));
        assertThat(s.devices).singleElement().satisfies(d -> assertThat(d.name + ":" + d.port).isEqualTo("t9:7609"));
        reader.environment(s, Map.of("SORTHUB_HUBS", "[c:3]"));
        assertThat(s.hubs).containsExactly("c:3");
    }

    @Test
    void variableErrorsNameTheVariableAndShowNoStructuredValue() {
        assertThatThrownBy(() -> reader.environment(new Settings(), Map.of("SORTHUB_SCAN_PORT", "lots")))
            .hasMessageStartingWith("environment variable SORTHUB_SCAN_PORT='lots': Cannot deserialize value of type `int`");
        assertThatThrownBy(() -> reader.environment(new Settings(),
            Map.of("SORTHUB_EXPORT_KAFKA_PROPERTIES", "{sasl.jaas.config: {secret: hunter2}}")))
            .hasMessageStartingWith("environment variable SORTHUB_EXPORT_KAFKA_PROPERTIES: ")
            .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> reader.environment(new Settings(), Map.of("SORTHUB_DEVICES", "[{name: t9, port: }")))
            .hasMessageStartingWith("environment variable SORTHUB_DEVICES: not YAML");
    }

    @Test
    void unknownVariablesWithThePrefixAreReportedWithTheNearestKey() {
        assertThat(reader.unknownVariables(Map.of("SORTHUB_SCAN_PROT", "1", "SORTHUB_TOKEN", "x", "SORTHUB_GATEWAY_HUB_PORT", "1",
            "SORTHUB_SCAN_PORT", "1", "SORTHUB_WHATEVER", "1", "HOME", "/root"),
            v -> v.equals("SORTHUB_TOKEN") || v.startsWith("SORTHUB_GATEWAY_")))
            .containsExactly("SORTHUB_SCAN_PROT (did you mean SORTHUB_SCAN_PORT?)", "SORTHUB_WHATEVER");
    }
}
