package io.sorthub.kit.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A broken YAML text is described by line, column and problem; the lines themselves (a secret among them) never. */
class YamlErrorsTest {
    private static JsonProcessingException error(String yaml) {
        try {
            new YAMLMapper().readTree(yaml);
        } catch (JsonProcessingException e) {
            return e;
        }
        throw new AssertionError("parsed: " + yaml);
    }

    @Test
    void anUnclosedQuoteNamesTheLineNotTheSecret() {
        final JsonProcessingException e = error("devices:\n  - {sourceId: 1, secret: \"hunter2-secret\n  - x: [\n");
        assertThat(e.getOriginalMessage()).as("what YAML itself says").contains("hunter2-secret");
        assertThat(YamlErrors.describe(e)).isEqualTo("line 4, column 1: found unexpected end of stream")
            .doesNotContain("hunter2");
        assertThat(YamlErrors.problem(e)).isEqualTo("found unexpected end of stream");
    }

    @Test
    void aBadIndentNamesTheLine() {
        final String described = YamlErrors.describe(error("devices:\n  - sourceId: 1\n    secret: hunter2-secret\n   bad: : x\n"));
        assertThat(described).startsWith("line 4, column 4: ").doesNotContain("hunter2");
    }

    @Test
    void aSettingsFileWithASyntaxErrorIsRefusedWithoutItsText() {
        final SettingsReader<Holder> reader = new SettingsReader<>(new YAMLMapper(), Holder.class, "T_");
        assertThatThrownBy(() -> reader.file(new Holder(), "credential: \"s3cr3t-value\nport: [", "gateway.yaml"))
            .isInstanceOf(SettingsException.class)
            .hasMessageStartingWith("gateway.yaml line ")
            .hasMessageNotContaining("s3cr3t");
    }

    /** A settings class with a secret. */
    public static final class Holder {
        public String credential = "";
        public int port = 1;
    }
}
