package com.example.images.media;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;

/**
 * Blobs as files under one directory, two hex digits of fan-out ({@code ab/abcd...jpg}), so
 * nginx can serve them as they are. A put writes a temporary file, forces it to disk, renames
 * it into place and forces the directory: a blob is either whole or absent, also after a crash.
 * Several instances may share the directory: each writes its own temporary file, and renaming
 * the same bytes over a blob another one just stored changes nothing a reader can see. Blobs are
 * public, so files and fan-out directories are readable by all: nginx may run as another user.
 */
public final class FileBlobStore implements BlobStore {

    private static final Set<PosixFilePermission> PUBLIC_FILE = PosixFilePermissions.fromString("rw-r--r--");
    private static final Set<PosixFilePermission> PUBLIC_DIRECTORY = PosixFilePermissions.fromString("rwxr-xr-x");

    private final Path root;

    public FileBlobStore(Path root) throws IOException {
        this.root = Files.createDirectories(root).toAbsolutePath();
    }

    public Path root() {
        return root;
    }

    /** Where the blob's file is (or would be). */
    public Path path(String key) {
        BlobStore.requireKey(key);
        return root.resolve(key.substring(0, 2)).resolve(key);
    }

    @Override
    public Blob put(Blob blob, Path file, String contentType) throws IOException {
        Path target = path(blob.key());
        if (Files.exists(target) && Files.size(target) == blob.size()) {
            return blob;
        }
        Path dir = fanOut(target.getParent());
        // A temporary file is private (0600) whatever the umask; the blob must not be.
        Path temp = Files.createTempFile(dir, ".put-", ".tmp");
        try {
            Files.copy(file, temp, StandardCopyOption.REPLACE_EXISTING);
            permit(temp, PUBLIC_FILE);
            force(temp);
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            force(dir);
        } finally {
            Files.deleteIfExists(temp);
        }
        return blob;
    }

    @Override
    public Optional<Long> size(String key) throws IOException {
        Path path = path(key);
        try {
            return Optional.of(Files.size(path));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public InputStream open(String key, long offset, long length) throws IOException {
        FileChannel channel = FileChannel.open(path(key), StandardOpenOption.READ);
        try {
            channel.position(offset);
            return new java.io.FilterInputStream(Channels.newInputStream(channel)) {
                private long left = length;

                @Override
                public int read() throws IOException {
                    if (left <= 0) {
                        return -1;
                    }
                    int b = super.read();
                    if (b >= 0) {
                        left--;
                    }
                    return b;
                }

                @Override
                public int read(byte[] buffer, int off, int len) throws IOException {
                    if (left <= 0) {
                        return -1;
                    }
                    int n = super.read(buffer, off, (int) Math.min(len, left));
                    if (n > 0) {
                        left -= n;
                    }
                    return n;
                }
            };
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public void copyTo(String key, Path target) throws IOException {
        Files.copy(path(key), target, StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void delete(String key) throws IOException {
        Path path = path(key);
        if (Files.deleteIfExists(path)) {
            force(path.getParent());
        }
    }

    /** The blob's directory, made public when this put creates it (another instance's may exist already). */
    private static Path fanOut(Path dir) throws IOException {
        try {
            Files.createDirectory(dir);
            permit(dir, PUBLIC_DIRECTORY);
        } catch (FileAlreadyExistsException e) {
            // Made by an earlier put, here or in another instance.
        }
        return dir;
    }

    private static void permit(Path path, Set<PosixFilePermission> permissions) throws IOException {
        if (path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(path, permissions);
        }
    }

    private static void force(Path path) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
