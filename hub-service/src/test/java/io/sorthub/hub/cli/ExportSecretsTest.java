package io.sorthub.hub.cli;

import io.sorthub.test.CapturedLog;
import io.sorthub.hub.HubConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** export-kafka's producer file holds the broker's credentials: refused if others may write it, warned of if they may read it. */
class ExportSecretsTest {
    @TempDir
    Path dir;

    private HubConfig settings(String... args) throws Exception {
        final CommandLine.ParseResult parsed = HubMain.commandLine().parseArgs(args);
        final ExportCommand command = (ExportCommand) parsed.subcommand().commandSpec().userObject();
        command.environment = new HashMap<>();
        return command.settings();
    }

    @Test
    void theProducerFileMustBeTheOwnersAlone() throws Exception {
        final Path producer = Files.writeString(dir.resolve("producer.properties"),
            "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"pw-42\";\n");
        Files.setPosixFilePermissions(producer, PosixFilePermissions.fromString("rw-rw-rw-"));
        assertThatThrownBy(() -> settings("export-kafka", "--bootstrap", "kafka-1:9092", "--producer-config", producer.toString()))
            .isInstanceOf(HubConfig.ConfigException.class)
            .hasMessage("--producer-config " + producer + " is rw-rw-rw-: others may write the secrets in it; run chmod 600 "
                + producer);
        Files.setPosixFilePermissions(producer, PosixFilePermissions.fromString("rw-r--r--"));
        try (CapturedLog log = new CapturedLog()) {
            assertThat(settings("export-kafka", "--bootstrap", "kafka-1:9092", "--producer-config", producer.toString())
                .exportKafkaProperties).containsKey("sasl.jaas.config");
            assertThat(log.lines()).anyMatch(l -> l.contains("SECRETS EXPOSED: --producer-config " + producer + " is rw-r--r--"))
                .noneMatch(l -> l.contains("pw-42"));
        }
        Files.setPosixFilePermissions(producer, PosixFilePermissions.fromString("rw-------"));
        try (CapturedLog log = new CapturedLog()) {
            settings("export-kafka", "--bootstrap", "kafka-1:9092", "--producer-config", producer.toString());
            assertThat(log.lines()).noneMatch(l -> l.contains("SECRETS EXPOSED"));
        }
    }
}
