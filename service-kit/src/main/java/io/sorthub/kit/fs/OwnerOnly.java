package io.sorthub.kit.fs;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * Files and folders for the service's owner alone: journal, spool, export positions and
 * secrets. Folders the service creates are {@code rwx------}: what a library writes into them
 * with its own modes (Chronicle's cycle files) is then out of other users' reach, like a umask
 * of 077 for that tree. Files the service writes itself are {@code rw-------}. On a file system
 * without POSIX permissions these do nothing.
 */
public final class OwnerOnly {
    public static final Set<PosixFilePermission> FOLDER = PosixFilePermissions.fromString("rwx------");
    public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(
        PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
        PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private OwnerOnly() {
    }

    /** Create {@code folder} and its missing parents, each new one {@code rwx------}; existing ones are left as they are. */
    public static Path createDirectories(Path folder) throws IOException {
        final Path absolute = folder.toAbsolutePath();
        if (Files.isDirectory(absolute)) {
            return folder;
        }
        if (absolute.getParent() != null) {
            createDirectories(absolute.getParent());
        }
        try {
            if (posix(absolute.getParent())) {
                Files.createDirectory(absolute, PosixFilePermissions.asFileAttribute(FOLDER));
                restrict(absolute, FOLDER); // the attribute passes through the umask; this does not
            } else {
                Files.createDirectory(absolute);
            }
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(absolute)) {
                throw e;
            }
        }
        return folder;
    }

    /** Create {@code file} (it must not exist) {@code rw-------} from its first byte: no moment where others may open it. */
    public static FileAttribute<?>[] fileAttributes(Path file) {
        return posix(file.toAbsolutePath().getParent())
            ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE)} : new FileAttribute<?>[0];
    }

    /** Write {@code bytes} to a new file beside {@code target}, owner-only, then rename it over {@code target}. */
    public static void replace(Path target, byte[] bytes) throws IOException {
        final Path next = target.resolveSibling(target.getFileName() + ".next");
        Files.deleteIfExists(next); // a left-over would keep its own mode: attributes apply at creation only
        Files.write(Files.createFile(next, fileAttributes(next)), bytes);
        restrict(next, FILE);
        Files.move(next, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** Set {@code path}'s permissions to {@code permissions} where the file system has them. */
    public static void restrict(Path path, Set<PosixFilePermission> permissions) throws IOException {
        final PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
        if (view != null) {
            view.setPermissions(permissions);
        }
    }

    /**
     * What others may do with {@code path}, as {@code ls -l} shows it ({@code rw-r--r--}), or null
     * when only its owner may (or the file system has no POSIX permissions).
     */
    public static String openToOthers(Path path) throws IOException {
        final PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
        if (view == null) {
            return null;
        }
        final Set<PosixFilePermission> permissions = view.readAttributes().permissions();
        for (PosixFilePermission p : permissions) {
            if (OTHERS.contains(p)) {
                return PosixFilePermissions.toString(permissions);
            }
        }
        return null;
    }

    /** May others than the owner write to {@code path}? */
    public static boolean writableByOthers(Path path) throws IOException {
        final PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
        if (view == null) {
            return false;
        }
        final Set<PosixFilePermission> permissions = view.readAttributes().permissions();
        return permissions.contains(PosixFilePermission.GROUP_WRITE) || permissions.contains(PosixFilePermission.OTHERS_WRITE);
    }

    private static boolean posix(Path folder) {
        return folder != null && Files.getFileAttributeView(folder, PosixFileAttributeView.class) != null;
    }
}
