package io.sorthub.hub.export;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Properties;

/**
 * An exporter's named, restartable position: a small text file {@code <name>.position} in
 * the export directory, replaced atomically (written beside, forced to disk, renamed).
 *
 * <ul>
 *   <li>{@code acknowledged}: every journal record up to this index was acknowledged by the
 *       broker (0: none yet). A restart resumes after it.</li>
 *   <li>{@code reservedUpTo}: records up to this index may have been handed to a producer.
 *       Written <em>before</em> such records are sent, so after a crash everything between
 *       the two can be flagged as a possible duplicate when it is sent again.</li>
 * </ul>
 * Operators may read it, and edit it with the exporter stopped (e.g. to skip ahead).
 */
public final class ExportPosition {
    private final Path file;
    private long acknowledged;
    private long reservedUpTo;

    private ExportPosition(Path file, long acknowledged, long reservedUpTo) {
        this.file = file;
        this.acknowledged = acknowledged;
        this.reservedUpTo = reservedUpTo;
    }

    /** @throws IOException naming the file and what is wrong in it */
    public static ExportPosition open(Path directory, String name) throws IOException {
        io.sorthub.kit.fs.OwnerOnly.createDirectories(directory);
        final Path file = directory.resolve(name + ".position");
        if (!Files.exists(file)) {
            return new ExportPosition(file, 0, 0);
        }
        final Properties p = new Properties();
        try (var in = Files.newBufferedReader(file, StandardCharsets.US_ASCII)) {
            p.load(in);
        }
        return new ExportPosition(file, number(p, "acknowledged", file), number(p, "reservedUpTo", file));
    }

    private static long number(Properties p, String key, Path file) throws IOException {
        final String value = p.getProperty(key);
        try {
            final long n = Long.parseLong(value == null ? "" : value.trim());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IOException(file + ": " + key + " must be a journal index (a number >= 0), not '" + value + "'");
        }
    }

    /**
     * The oldest journal index any exporter with a position file in {@code directory} still
     * needs (0: none): how the hub's retention keeps cycles for an exporter running in a
     * process of its own. A retired exporter's position file must be deleted, or it keeps
     * holding cycles (up to the size budget).
     */
    public static long oldestNeeded(Path directory, long journalFirstIndex) {
        if (!Files.isDirectory(directory)) {
            return 0;
        }
        long oldest = 0;
        try (var files = Files.list(directory)) {
            for (Path file : (Iterable<Path>) files.filter(f -> f.getFileName().toString().endsWith(".position"))::iterator) {
                final String name = file.getFileName().toString();
                try {
                    final long acked = open(directory, name.substring(0, name.length() - ".position".length())).acknowledged();
                    final long needed = acked == 0 ? journalFirstIndex : acked;
                    oldest = oldest == 0 ? needed : Math.min(oldest, needed);
                } catch (IOException e) {
                    // unreadable: it pins nothing (the exporter itself will refuse to start on it)
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return oldest;
    }

    public long acknowledged() {
        return acknowledged;
    }

    public long reservedUpTo() {
        return reservedUpTo;
    }

    public Path file() {
        return file;
    }

    /** Record both values durably; returns once the file is on disk. */
    public void store(long acknowledged, long reservedUpTo) throws IOException {
        final String text = "# SortHub journal export position (docs/EXPORT.md)\n"
            + "acknowledged=" + acknowledged + "\n"
            + "reservedUpTo=" + reservedUpTo + "\n"
            + "updated=" + Instant.now() + "\n";
        final Path next = file.resolveSibling(file.getFileName() + ".next");
        try (FileChannel channel = FileChannel.open(next, java.util.Set.of(StandardOpenOption.CREATE,
            StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING), io.sorthub.kit.fs.OwnerOnly.fileAttributes(next))) {
            channel.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)));
            channel.force(true);
        }
        Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        this.acknowledged = acknowledged;
        this.reservedUpTo = reservedUpTo;
    }
}
