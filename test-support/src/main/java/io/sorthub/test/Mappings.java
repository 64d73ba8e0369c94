package io.sorthub.test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * This process's memory mappings as Linux lists them in {@code /proc/self/smaps}: for tests
 * that check what the kernel was told about a mapping (its VmFlags: {@code hg} huge pages
 * asked for, {@code nh} refused, {@code rr} random access, so no read-around) and how much of
 * it is in memory (Rss).
 */
public final class Mappings {
    private static final Path SMAPS = Path.of("/proc/self/smaps");

    /** One mapping: {@code [start, end)}, the file it maps (empty when anonymous), its VmFlags, its resident bytes. */
    public record Mapping(long start, long end, String path, List<String> flags, long residentBytes) {
        public boolean has(String flag) {
            return flags.contains(flag);
        }
    }

    private Mappings() {
    }

    /** Whether this system lists mappings (Linux). */
    public static boolean available() {
        return Files.isReadable(SMAPS);
    }

    /** Every mapping of the process, in address order. */
    public static List<Mapping> all() throws IOException {
        final List<String> lines = Files.readAllLines(SMAPS);
        final List<Mapping> all = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            final String line = lines.get(i);
            final int dash = line.indexOf('-');
            final int space = line.indexOf(' ');
            if (dash <= 0 || space < dash || !line.substring(0, dash).matches("[0-9a-f]+")) {
                continue; // a field line of the mapping above
            }
            final String[] fields = line.trim().split("\\s+", 6);
            final String path = fields.length == 6 ? fields[5] : "";
            long resident = 0;
            for (int j = i + 1; j < lines.size(); j++) {
                if (lines.get(j).startsWith("Rss:")) { // "Rss:   1234 kB"
                    resident = Long.parseLong(lines.get(j).substring("Rss:".length()).trim().split("\\s+")[0]) * 1024;
                }
                if (lines.get(j).startsWith("VmFlags:")) {
                    final List<String> flags = List.of(lines.get(j).substring("VmFlags:".length()).trim().split("\\s+"));
                    all.add(new Mapping(Long.parseUnsignedLong(line.substring(0, dash), 16),
                        Long.parseUnsignedLong(line.substring(dash + 1, space), 16), path, flags, resident));
                    break;
                }
            }
        }
        return all;
    }

    /** The mappings of files in {@code folder} whose names end with {@code suffix} (".cq4"). */
    public static List<Mapping> ofFiles(Path folder, String suffix) throws IOException {
        final String prefix = folder.toRealPath().toString() + "/";
        final List<Mapping> found = new ArrayList<>();
        for (Mapping m : all()) {
            if (m.path().startsWith(prefix) && m.path().endsWith(suffix)) {
                found.add(m);
            }
        }
        return found;
    }

    /** The mapping that holds {@code address}; null when none does. */
    public static Mapping of(long address) throws IOException {
        for (Mapping m : all()) {
            if (address >= m.start() && address < m.end()) {
                return m;
            }
        }
        return null;
    }
}
