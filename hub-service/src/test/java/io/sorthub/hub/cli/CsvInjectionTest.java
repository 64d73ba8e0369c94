package io.sorthub.hub.cli;

import io.sorthub.test.StandardStreams;
import io.sorthub.hub.ScanSender;
import io.sorthub.hub.TestHub;
import io.sorthub.hub.HubService;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import io.sorthub.protocol.EventKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A barcode a spreadsheet would run as a formula is journaled as sent and exported as text:
 * OWASP's leading apostrophe, quoted where CSV needs it, read back whole by a CSV reader.
 */
@Timeout(60)
class CsvInjectionTest {
    @TempDir
    Path dir;

    @Test
    void cellsThatWouldRunAsFormulasAreExportedAsText() throws Exception {
        final String[] hostile = {"=HYPERLINK(\"http://e.x\",\"T\")", "+1+cmd|' /C calc'!A0", "-2+3",
            "@SUM(1,2)", "\tTAB", "\rCR", "a,\"q\"\nb"};
        try (HubService hub = TestHub.start(dir); ScanSender sender = new ScanSender(hub.scanPort(), 9)) {
            for (int i = 0; i < hostile.length; i++) {
                sender.client.scan().sequence(i + 1).deviceTimeMs(System.currentTimeMillis()).kind(EventKind.SORT_REQUEST)
                    .weightGrams(500).strings("T1", hostile[i], "518057", hostile[i]);
                sender.client.sendScan();
            }
            sender.client.flush();
            sender.awaitAck(hostile.length, Duration.ofSeconds(20));
        }
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(StandardStreams.capture(out, null, () -> new CommandLine(new HubMain()).execute("journal", "export",
            "--data-dir", dir.toString(), "--format", "csv"))).isZero();
        final List<List<String>> rows = new ArrayList<>();
        try (MappingIterator<List<String>> it = new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY)
            .readerForListOf(String.class).readValues(out.toString(StandardCharsets.UTF_8))) {
            it.forEachRemaining(rows::add);
        }
        final List<String> header = rows.get(0);
        final int barcode = header.indexOf("barcode");
        final int customer = header.indexOf("customer");
        final int weight = header.indexOf("weight_g");
        final List<List<String>> scans = rows.stream().filter(r -> r.get(0).equals("scan")).toList();
        assertThat(scans).hasSize(hostile.length);
        for (int i = 0; i < hostile.length; i++) {
            final String expected = i < 6 ? "'" + hostile[i] : hostile[i];
            assertThat(scans.get(i).get(barcode)).isEqualTo(expected);
            assertThat(scans.get(i).get(customer)).isEqualTo(expected);
            assertThat(scans.get(i).get(weight)).isEqualTo("500"); // numbers stay numbers
            assertThat(scans.get(i)).hasSize(header.size());
        }
        // To a file: the same text, and the file the owner's alone (it holds barcodes and customers).
        final Path file = dir.resolve("export.csv");
        assertThat(new CommandLine(new HubMain()).execute("journal", "export", "--data-dir", dir.toString(),
            "--format", "csv", "--out", file.toString())).isZero();
        assertThat(java.nio.file.Files.readString(file)).isEqualTo(out.toString(StandardCharsets.UTF_8));
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(java.nio.file.Files.getPosixFilePermissions(file)))
            .isEqualTo("rw-------");
        assertThat(CsvRows.defused(-5)).isEqualTo(-5);
        assertThat(new CsvRows(List.of("a", "b")).row(java.util.Arrays.asList("-5", null))).isEqualTo("'-5,\n");
    }
}
