package io.sorthub.hub.journal;

import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;

import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Linux's {@code sync_file_range(fd, from, length, SYNC_FILE_RANGE_WRITE)} on one file at a
 * time: starts the write-back of the range's dirty pages (submitting them costs the calling
 * thread CPU) without waiting for the I/O, without a journal commit of the file system and
 * without a cache flush of the device, which fdatasync adds. A write-back thread's only, through
 * {@link JournalWriteBehind}, which it lowers to nice 19 at its first call; a descriptor kept
 * open, read-only, on the file it was last given.
 */
final class SyncFileRange implements JournalWriteBehind.WriteBack {
    private static final int SYNC_FILE_RANGE_WRITE = 2;
    private static final int O_RDONLY_CLOEXEC = 0x80000;
    private static final int PRIO_PROCESS = 0;

    /** The C library's calls, bound by jnr-ffi (the same binding Chronicle's own native calls use). */
    public interface LibC {
        int open(String path, int flags);

        int close(int fd);

        int sync_file_range(int fd, long offset, long nbytes, int flags);

        String strerror(int errno);

        int setpriority(int which, int who, int prio);
    }

    private final LibC libc;
    private final Runtime runtime;
    private static volatile boolean bindFailureLogged;
    private int fd = -1;
    private boolean lowered;
    private Path path;

    private SyncFileRange(LibC libc) {
        this.libc = libc;
        this.runtime = Runtime.getRuntime(libc);
    }

    /** The call bound, or null where there is none (not Linux, no native access): no write-behind then. */
    static SyncFileRange bind() {
        if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
            return null;
        }
        try {
            return new SyncFileRange(LibraryLoader.create(LibC.class).failImmediately().load("c"));
        } catch (LinkageError | RuntimeException e) {
            if (!bindFailureLogged) {
                bindFailureLogged = true;
                LoggerFactory.getLogger(SyncFileRange.class).warn("no sync_file_range ({}): the journal is left to the "
                    + "kernel's write-back, which can hold ACKs once its dirty pages reach the kernel's threshold", e.toString());
            }
            return null;
        }
    }

    @Override
    public void writeBack(Path file, long from, long to) throws IOException {
        if (!lowered) { // on the write-back thread: Linux keeps a nice value per thread
            lowered = true;
            libc.setpriority(PRIO_PROCESS, 0, 19);
        }
        if (!file.equals(path)) {
            close();
            final int opened = libc.open(file.toString(), O_RDONLY_CLOEXEC);
            if (opened < 0) {
                throw new IOException("open: " + libc.strerror(LastError.getLastError(runtime)));
            }
            fd = opened;
            path = file;
        }
        if (libc.sync_file_range(fd, from, to - from, SYNC_FILE_RANGE_WRITE) != 0) {
            throw new IOException("sync_file_range: " + libc.strerror(LastError.getLastError(runtime)));
        }
    }

    @Override
    public long size(Path file) {
        try {
            return java.nio.file.Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    @Override
    public void close() {
        if (fd >= 0) {
            libc.close(fd);
            fd = -1;
            path = null;
        }
    }
}
