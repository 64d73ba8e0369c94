package io.sorthub.gateway.capture;

import io.sorthub.test.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** A commissioning engineer's view: the bytes a device sent, escaped, and the profile that parses them. */
@Timeout(60)
class CaptureCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int capture(String... args) {
        return new CommandLine(new CaptureCommand()).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
            .execute(args);
    }

    @Test
    void recordsADeviceUntilItClosesAndNamesTheProfileThatParsesIt() throws Exception {
        final AtomicInteger exit = new AtomicInteger(-1);
        final Path saved = dir.resolve("clv.bin");
        final Thread capture = new Thread(() -> exit.set(capture("--port", "0", "--seconds", "30", "--save", saved.toString())));
        capture.start();
        final Pattern listening = Pattern.compile("listening on 127.0.0.1:(\\d+)");
        Await.until(Duration.ofSeconds(20), () -> listening.matcher(out.toString()).find(), out::toString);
        final Matcher port = listening.matcher(out.toString());
        assertThat(port.find()).isTrue();
        try (Socket device = new Socket(InetAddress.getLoopbackAddress(), Integer.parseInt(port.group(1)))) {
            device.getOutputStream().write("\u00020123412345\r\n\u0003\u0002NoRead\r\n\u0003\u0002JD1,JD2\r\n\u0003"
                .getBytes(StandardCharsets.ISO_8859_1));
        }
        capture.join(30_000);
        assertThat(exit.get()).as(out + "\n" + err).isZero();
        assertThat(out.toString())
            .contains("the device closed the connection")
            .contains("<STX>0123412345<CR><LF><ETX>")
            .contains("control bytes seen: 3×<STX>, 3×<ETX>, 3×<LF>, 3×<CR>")
            .containsPattern("sick-clv .* 1 reads, 1 no-reads, 1 multi-reads; 0 refused")
            .contains("best match: sick-clv (3 of 3 telegrams usable)")
            .contains("read barcode '0123412345'");
        assertThat(Files.size(saved)).isEqualTo(35);
    }

    @Test
    void analysesASavedCaptureAndShowsWhatEachProfileRefused() throws Exception {
        final Path file = dir.resolve("dx.bin");
        Files.write(file, "\u0002YT9988776655\r\n\u0002\u0018\r\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(capture("--file", file.toString())).isZero();
        assertThat(out.toString())
            .contains("<STX>YT9988776655<CR><LF>")
            .contains("best match: datalogic (2 of 2 telegrams usable)")
            .containsPattern("sick-clv .* 0 reads, 0 no-reads, 0 multi-reads; \\d+ refused \\((garbage|untermin)");
    }

    @Test
    void bytesNoProfileParsesSayHowToDescribeTheDevice() throws Exception {
        final Path file = dir.resolve("odd.bin");
        Files.write(file, "\u001b\u0001\u001b\u0001".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(capture("--file", file.toString())).isEqualTo(1);
        assertThat(out.toString()).contains("no profile parses a single telegram").contains("custom:");
    }

    @Test
    void badArgumentsAreOneLine() {
        assertThat(capture("--connect", "nowhere")).isEqualTo(2);
        assertThat(err.toString().trim()).isEqualTo("capture: --connect 'nowhere' must be HOST:PORT");
    }
}
