package io.sorthub.hub.journal;

import org.agrona.concurrent.EpochClock;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Finds journal cycle files that Chronicle Queue cannot open: a process killed in the
 * milliseconds after the journal rolled to a new cycle can leave that cycle's file created
 * (empty, or full-size and zeroed) but without its header. Chronicle then waits on the
 * header at every start and replay stops at that file, so the events journaled after it
 * would be invisible: the resume point would fall below ACKs already sent.
 *
 * <p>A file without a complete header holds no record: Chronicle writes the header before
 * the first document, and the hub forces (or, in page-cache mode, at least writes) the header
 * before any ACK for a record in it. Such a file is safe to set aside. It is moved, never
 * deleted, to {@code <dataDir>/journal-quarantine/}, and every move is logged by the caller.
 *
 * <pre>
 *  cycle file: | header word (int32 LE) | header document ... | records ...
 *  header word: bit 31 not-complete, bit 30 metadata, bits 0-29 length
 * </pre>
 */
public final class CycleFileCheck {
    private static final int NOT_COMPLETE = 0x8000_0000;
    private static final int META_DATA = 0x4000_0000;
    private static final int LENGTH_MASK = 0x3FFF_FFFF;
    public static final String QUARANTINE = "journal-quarantine";

    private CycleFileCheck() {
    }

    /** A cycle file Chronicle cannot open, and why. */
    public record Unopenable(Path file, long size, String why) {
        @Override
        public String toString() {
            return file.getFileName() + " (" + size + " bytes): " + why;
        }
    }

    /** Every cycle file of {@code journalDir} without a complete header, oldest first. */
    public static List<Unopenable> scan(Path journalDir) throws IOException {
        final List<Unopenable> found = new ArrayList<>();
        if (!Files.isDirectory(journalDir)) {
            return found;
        }
        final List<Path> files;
        try (Stream<Path> list = Files.list(journalDir)) {
            files = list.filter(p -> p.getFileName().toString().endsWith(".cq4")).sorted().toList();
        }
        for (Path file : files) {
            final String why = problem(file);
            if (why != null) {
                found.add(new Unopenable(file, Files.size(file), why));
            }
        }
        return found;
    }

    /** Null when the file starts with a complete header; otherwise what is wrong with it. */
    static String problem(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            final long size = channel.size();
            if (size < 4) {
                return "empty: no header (a kill while the journal rolled to this cycle)";
            }
            final ByteBuffer word = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            channel.read(word, 0);
            final int header = word.getInt(0);
            if (header == 0 || (header & NOT_COMPLETE) != 0) {
                // Set aside only what provably holds nothing: a file with data but no header is damage.
                if (holdsData(channel, size)) {
                    return "does not start with a Chronicle Queue header (word 0x" + Integer.toHexString(header)
                        + ") but holds data";
                }
                return header == 0 ? "no header, the file is zeroed (a kill while the journal rolled to this cycle)"
                    : "header never completed (a kill while the journal rolled to this cycle)";
            }
            if ((header & META_DATA) == 0 || (header & LENGTH_MASK) == 0 || 4L + (header & LENGTH_MASK) > size) {
                return "does not start with a Chronicle Queue header (word 0x" + Integer.toHexString(header) + ")";
            }
            return null;
        }
    }

    /** Any non-zero byte after the first 4 KiB (where an unfinished header document would lie). */
    private static boolean holdsData(FileChannel channel, long size) throws IOException {
        final ByteBuffer chunk = ByteBuffer.allocate(1 << 20);
        for (long at = 4096; at < size; at += chunk.capacity()) {
            chunk.clear();
            final int read = channel.read(chunk, at);
            for (int i = 0; i < read; i++) {
                if (chunk.get(i) != 0) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Move files that never got a header out of the journal, into {@code <dataDir>/journal-quarantine/}.
     * Refuses (and moves nothing) when a file has something other than a missing header: that is
     * damage the hub must not paper over.
     *
     * @return where each file went
     */
    public static List<Path> quarantine(Path journalDir, List<Unopenable> files, EpochClock clock) throws IOException {
        for (Unopenable f : files) {
            if (f.why().startsWith("does not start")) {
                throw new IOException("journal file " + f.file().toAbsolutePath() + " " + f.why()
                    + ": it is damaged, not merely unfinished; the hub will not start on it (move it away only "
                    + "if you know it holds nothing that was acknowledged)");
            }
        }
        final Path target = journalDir.resolveSibling(QUARANTINE);
        final List<Path> moved = new ArrayList<>();
        for (Unopenable f : files) {
            Files.createDirectories(target);
            final Path to = target.resolve(f.file().getFileName() + "." + clock.time());
            Files.move(f.file(), to, StandardCopyOption.ATOMIC_MOVE);
            moved.add(to);
        }
        return moved;
    }
}
