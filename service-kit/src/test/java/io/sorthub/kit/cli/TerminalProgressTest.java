package io.sorthub.kit.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class TerminalProgressTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final long[] now = {0};

    private TerminalProgress progress() {
        return new TerminalProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8), "reading the journal", () -> now[0]);
    }

    private String shown() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void redrawsAtMostTwiceASecondWithTheRate() {
        final TerminalProgress p = progress();
        p.update(10, 0);
        assertThat(shown()).isEmpty();
        now[0] = 1_000_000_000L;
        p.update(2_000_000, 0);
        assertThat(shown()).isEqualTo("\rreading the journal 2,000,000 records, 2,000,000/s ");
        now[0] += 100_000_000L;
        p.update(2_100_000, 0);
        assertThat(shown()).doesNotContain("2,100,000");
    }

    @Test
    void showsHowFarWhenTheTotalIsKnownAndClearsTheLineAtTheEnd() {
        try (TerminalProgress p = progress()) {
            now[0] = 2_000_000_000L;
            p.update(500, 1_000);
        }
        assertThat(shown()).startsWith("\rreading the journal [###############...............]  50% 500 of 1,000 records, 250/s ")
            .endsWith("\r");
    }

    @Test
    void printsNothingWhenNotOnATerminal() {
        final TerminalProgress p = new TerminalProgress(null, "x", () -> now[0]);
        now[0] = 5_000_000_000L;
        p.update(1, 1);
        p.close();
        assertThat(shown()).isEmpty();
    }
}
