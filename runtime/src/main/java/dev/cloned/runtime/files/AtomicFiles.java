package dev.cloned.runtime.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Crash-safe file writes: write a temporary file beside the target, fsync it, atomically rename it over the
 * target and fsync the directory, so a reader sees either the old or the new content, never a mix.
 */
public final class AtomicFiles {
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final Map<Path, ReentrantLock> LOCAL_LOCKS = new ConcurrentHashMap<>();
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");

    private AtomicFiles() {
    }

    /** Replaces {@code target} with {@code content} atomically; the file is readable by its owner only. */
    public static void writePrivate(Path target, byte[] content) throws IOException {
        write(target, content, true);
    }

    /** Replaces {@code target} with {@code content} atomically, with default permissions. */
    public static void write(Path target, byte[] content) throws IOException {
        write(target, content, false);
    }

    private static void write(Path target, byte[] content, boolean ownerOnly) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = ownerOnly && POSIX
                ? Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp",
                        PosixFilePermissions.asFileAttribute(OWNER_ONLY))
                : Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            fsyncDirectory(dir);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Creates {@code file} empty and readable by its owner only, unless it exists (then it is left as it is). */
    public static void createPrivate(Path file) throws IOException {
        if (Files.exists(file)) {
            return;
        }
        try {
            if (POSIX) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } else {
                Files.createFile(file);
            }
        } catch (java.nio.file.FileAlreadyExistsException raced) {
            // another process created it first: fine
        }
    }

    /** Creates {@code dir} (and its parents) with the last one open to its owner only, unless it exists. */
    public static void createPrivateDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Files.createDirectories(dir);
        if (POSIX) {
            Files.setPosixFilePermissions(dir, OWNER_DIR);
        }
    }

    /** Flushes a directory entry change (rename, create) to disk where the platform allows it. */
    public static void fsyncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Not every platform can open a directory (Windows); the rename itself is still atomic there.
        }
    }

    /**
     * Takes an exclusive advisory lock on {@code lockFile} (created if missing) so that several processes
     * (CLI, gateway) serialise their read-modify-write cycles. Close the returned lock to release it.
     */
    public static ExclusiveLock lock(Path lockFile) throws IOException {
        Path key = lockFile.toAbsolutePath().normalize();
        Files.createDirectories(key.getParent());
        // A FileLock is held per process, so threads of this JVM queue on a plain lock first.
        ReentrantLock local = localLock(key);
        local.lock();
        FileChannel ch = null;
        try {
            createPrivate(key);
            ch = FileChannel.open(key, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            return new ExclusiveLock(ch, ch.lock(), local);
        } catch (IOException | RuntimeException e) {
            if (ch != null) {
                ch.close();
            }
            local.unlock();
            throw e;
        }
    }

    /**
     * The lock that threads (and objects) of this JVM take before a {@link FileLock} on {@code file}: the OS lock is
     * held per process, and a second {@code lock()} on the same file from this JVM throws instead of waiting.
     */
    public static ReentrantLock localLock(Path file) {
        return LOCAL_LOCKS.computeIfAbsent(file.toAbsolutePath().normalize(), k -> new ReentrantLock());
    }

    /** Whether the default file system has POSIX permissions. */
    public static boolean posix() {
        return POSIX;
    }

    /** A held inter-process lock; {@link #close()} releases it. */
    public static final class ExclusiveLock implements AutoCloseable {
        private final FileChannel channel;
        private final FileLock lock;
        private final ReentrantLock local;

        private ExclusiveLock(FileChannel channel, FileLock lock, ReentrantLock local) {
            this.channel = channel;
            this.lock = lock;
            this.local = local;
        }

        @Override
        public void close() throws IOException {
            try {
                lock.release();
            } finally {
                try {
                    channel.close();
                } finally {
                    local.unlock();
                }
            }
        }
    }
}
