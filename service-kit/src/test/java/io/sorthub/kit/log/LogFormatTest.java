package io.sorthub.kit.log;

import io.sorthub.kit.cli.CommandFailure;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LogFormatTest {
    private String logged(String message) {
        final PrintStream old = System.err;
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            LoggerFactory.getLogger("io.sorthub.test").info(message);
        } finally {
            System.setErr(old);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void jsonGivesOneObjectPerLineAndTextComesBack() {
        try {
            LogFormat.select(null, Map.of(LogFormat.VARIABLE, "JSON"));
            final String line = logged("hub-service ready \"quoted\"");
            assertThat(line.lines()).hasSize(1);
            final JsonObject json = new JsonObject(line);
            assertThat(json.getString("message")).isEqualTo("hub-service ready \"quoted\"");
            assertThat(json.getString("level")).isEqualTo("INFO");
            assertThat(json.getString("loggerName")).isEqualTo("io.sorthub.test");
        } finally {
            LogFormat.select("text", Map.of());
        }
        assertThat(logged("plain again")).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  \\[.*\\] io.sorthub.test - plain again\\R");
    }

    @Test
    void anotherFormatIsRefusedNamingWhereItCameFrom() {
        assertThatThrownBy(() -> LogFormat.select("xml", Map.of())).isInstanceOf(CommandFailure.class)
            .hasMessage("--log-format 'xml' must be text or json");
        assertThatThrownBy(() -> LogFormat.select(null, Map.of(LogFormat.VARIABLE, "yaml")))
            .hasMessage("SORTHUB_LOG_FORMAT 'yaml' must be text or json");
    }
}
