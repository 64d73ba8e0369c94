package io.sorthub.hub.security;

import io.sorthub.kit.fs.SecretFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * A secrets file the hub re-reads when it changes (the devices and tokens files): changed
 * means another modification time, size or file (an editor's or {@code mv}'s rename). Each
 * read checks who else may use the file ({@link SecretFile}): others able to write it make it
 * refused, others able to read it make a loud warning.
 */
final class WatchedFile {
    private static final Logger LOG = LoggerFactory.getLogger(WatchedFile.class);

    private final String key;
    private final Path path;
    private String text;
    private Object stamp;

    private record Stamp(long modifiedMs, long size, Object fileKey) {
    }

    private WatchedFile(String key, Path path) {
        this.key = key;
        this.path = path;
    }

    /** Read {@code path} (the setting {@code key}) now. */
    static WatchedFile open(String key, Path path) throws DeviceRegistry.DevicesException {
        final WatchedFile file = new WatchedFile(key, path);
        try {
            file.stamp = file.stamp();
            file.text = file.read();
        } catch (IOException e) {
            throw new DeviceRegistry.DevicesException(e instanceof Refused ? e.getMessage()
                : "cannot read " + key + " " + path + ": " + e.getMessage());
        }
        return file;
    }

    Path path() {
        return path;
    }

    /** What was read at open or at the last change. */
    synchronized String text() {
        return text;
    }

    /** The file's text if it changed since it was last read, else null. */
    synchronized String changedText() throws IOException {
        final Object now = stamp();
        if (Objects.equals(now, stamp)) {
            return null;
        }
        stamp = now; // a refused edit is reported once, not at every check
        text = read();
        return text;
    }

    /** Note the file as it is now, after the hub wrote it itself. */
    synchronized void wrote(String written) throws IOException {
        stamp = stamp();
        text = written;
    }

    private Object stamp() throws IOException {
        final BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
        return new Stamp(a.lastModifiedTime().toMillis(), a.size(), a.fileKey());
    }

    private String read() throws IOException {
        final SecretFile.Problem problem = SecretFile.check(key, path);
        if (problem != null && problem.refuse()) {
            throw new Refused(problem.message());
        }
        if (problem != null) {
            LOG.warn("SECRETS EXPOSED: {}", problem.message());
        }
        return Files.readString(path);
    }

    /** A file the hub must not use as it is. */
    static final class Refused extends IOException {
        Refused(String message) {
            super(message);
        }
    }
}
