package io.sorthub.hub.journal;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * One hub per data folder. Two hubs writing one journal would each hand out sequence 1 of a
 * source and journal it twice (DESIGN invariants 2 and 4), so the hub takes an exclusive OS
 * lock on {@code <dataDir>/hub.lock} before it opens the journal and holds it until it exits.
 * The OS drops the lock when the process dies, SIGKILL included: no stale lock to clean up.
 * The file's text names the holder, so the second hub's error can say who has the folder.
 */
public final class DataFolderLock implements AutoCloseable {
    public static final String FILE_NAME = "hub.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DataFolderLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Lock {@code dataDir} for this process, or say who holds it. */
    public static DataFolderLock acquire(Path dataDir) throws InUseException, IOException {
        io.sorthub.kit.fs.OwnerOnly.createDirectories(dataDir); // the journal under it is the owner's alone
        final Path file = dataDir.resolve(FILE_NAME);
        final FileChannel channel = FileChannel.open(file, java.util.Set.of(StandardOpenOption.CREATE,
            StandardOpenOption.READ, StandardOpenOption.WRITE), io.sorthub.kit.fs.OwnerOnly.fileAttributes(file));
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // held by another hub in this same JVM (tests run several)
        }
        if (lock == null) {
            final String holder = readHolder(channel);
            channel.close();
            throw new InUseException("data folder " + dataDir.toAbsolutePath() + " is in use by " + holder
                + " (one hub per data folder: two would journal the same events twice)");
        }
        final byte[] me = (holderText() + "\n").getBytes(StandardCharsets.US_ASCII);
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(me), 0);
        channel.force(false);
        return new DataFolderLock(channel, lock);
    }

    private static String holderText() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "this machine";
        }
        return "hub-service pid " + ProcessHandle.current().pid() + " on " + host + " since " + Instant.now()
            + " (" + ManagementFactory.getRuntimeMXBean().getName() + ")";
    }

    private static String readHolder(FileChannel channel) {
        try {
            final ByteBuffer text = ByteBuffer.allocate(512);
            channel.read(text, 0);
            final String holder = new String(text.array(), 0, text.position(), StandardCharsets.US_ASCII).trim();
            return holder.isEmpty() ? "another hub-service process" : holder;
        } catch (IOException e) {
            return "another hub-service process";
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // the process is stopping; the OS releases the lock with the file anyway
        }
    }

    /** The folder is locked by another hub; the message names it. */
    public static final class InUseException extends Exception {
        public InUseException(String message) {
            super(message);
        }
    }
}
