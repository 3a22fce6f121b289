package com.example.images.dbcmp;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchStatementBuilder;
import com.datastax.oss.driver.api.core.cql.BatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Cassandra's wide-row model: one partition per product, its images as clustering rows ordered
 * by position, name and version as static columns. Loaded as SSTables written by
 * {@link SSTableWriterMain} and attached with {@code nodetool import}. A safe write is a
 * lightweight transaction (Paxos) on the version; a plain one is a read, then a write.
 */
final class CassandraStore implements Store {

    static final String KEYSPACE = """
            CREATE KEYSPACE images WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}
            """;

    static final String TABLE = """
            CREATE TABLE images.galleries (
                product_id bigint,
                position int,
                image_id bigint,
                url text,
                thumbnail_url text,
                alt text,
                width int,
                height int,
                name text STATIC,
                version bigint STATIC,
                PRIMARY KEY ((product_id), position)
            ) WITH CLUSTERING ORDER BY (position ASC)
            """;

    static final String LOAD = """
            INSERT INTO images.galleries (product_id, position, image_id, url, thumbnail_url, alt, width, height, name, version)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """;

    private static final String GALLERY = """
            SELECT name, version, position, image_id, url, thumbnail_url, alt, width, height
            FROM images.galleries WHERE product_id = ?
            """;

    private static final String LAST = """
            SELECT version, position FROM images.galleries WHERE product_id = ? ORDER BY position DESC LIMIT 1
            """;

    private static final String PUT_IMAGE = """
            INSERT INTO images.galleries (product_id, position, image_id, url, thumbnail_url, alt, width, height)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """;

    private static final String DELETE_IMAGE = """
            DELETE FROM images.galleries WHERE product_id = ? AND position = ?
            """;

    private static final String BUMP_IF = """
            UPDATE images.galleries SET version = ? WHERE product_id = ? IF version = ?
            """;

    private static final String BUMP = """
            UPDATE images.galleries SET version = ? WHERE product_id = ?
            """;

    private final String heap;
    /**
     * The unsorted writer holds a buffer's rows as objects, several times their serialised
     * --sstable-buffer-mib, while its disk thread writes the previous one: with 1 GB it ran out
     * of memory between 100k and 1M products (OutOfMemoryError in the writer's disk thread).
     */
    static final String WRITER_HEAP = "4g";

    private final int writerBufferMib;
    private Path dir;
    private CassandraServer server;
    private CqlSession session;
    private Statements statements;
    private String loadNote = "";

    CassandraStore(String heap, int writerBufferMib) {
        this.heap = heap;
        this.writerBufferMib = writerBufferMib;
    }

    @Override
    public String name() {
        return "cassandra";
    }

    @Override
    public void start(Path dir) throws Exception {
        this.dir = dir;
        server = CassandraServer.start(dir.resolve("node"), heap, Duration.ofMinutes(5));
        session = CqlSession.builder()
                .addContactPoint(server.contactPoint())
                .withLocalDatacenter("datacenter1")
                .withConfigLoader(DriverConfigLoader.programmaticBuilder()
                        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(30))
                        .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, Duration.ofSeconds(30))
                        .withDuration(DefaultDriverOption.CONTROL_CONNECTION_TIMEOUT, Duration.ofSeconds(30))
                        .withDuration(DefaultDriverOption.METADATA_SCHEMA_REQUEST_TIMEOUT, Duration.ofSeconds(30))
                        .withString(DefaultDriverOption.REQUEST_CONSISTENCY, ConsistencyLevel.LOCAL_ONE.name())
                        .withString(DefaultDriverOption.REQUEST_SERIAL_CONSISTENCY, ConsistencyLevel.LOCAL_SERIAL.name())
                        // One connection per node by default; 64 clients share it, as the driver intends.
                        .build())
                .build();
    }

    @Override
    public void load(Catalog catalog) throws Exception {
        session.execute(KEYSPACE);
        session.execute(TABLE);
        // The importer takes the keyspace and table from the last two directories' names.
        Path sstables = dir.resolve("sstables").resolve("images").resolve("galleries");
        var command = CassandraServer.javaCommand(dir.resolve("writer"), WRITER_HEAP);
        command.addAll(List.of(SSTableWriterMain.class.getName(), sstables.toString(),
                Long.toString(catalog.products()), Long.toString(catalog.seed()), Integer.toString(writerBufferMib)));
        long start = System.nanoTime();
        Process writer = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("writer.log").toFile()).start();
        if (writer.waitFor() != 0) {
            throw new IllegalStateException("the SSTable writer failed (exit " + writer.exitValue() + "): "
                    + firstError(Files.readString(dir.resolve("writer.log"))));
        }
        long written = System.nanoTime();
        // The unsorted writer flushes one SSTable per buffer, each spanning every token; left alone,
        // the node would compact them in the background during the reads, and each read would
        // consult every one of them. A bulk load ends with the major compaction a DBA would run,
        // with the background compactions held off until it is done.
        server.nodetool("disableautocompaction", "images", "galleries");
        server.nodetool("import", "images", "galleries", sstables.toString());
        long imported = System.nanoTime();
        long sstablesImported = sstableCount();
        if (sstablesImported == 0) {
            throw new IllegalStateException("nodetool import attached no SSTables from " + sstables + ": "
                    + server.logTail());
        }
        server.nodetool("compact", "images", "galleries");
        server.nodetool("enableautocompaction", "images", "galleries");
        long compacted = System.nanoTime();
        loadNote = String.format("SSTables written in %.1f s, imported in %.1f s, compacted from %d SSTables to %d in"
                + " %.1f s", (written - start) / 1e9, (imported - written) / 1e9, sstablesImported, sstableCount(),
                (compacted - imported) / 1e9);
        statements = new Statements(session);
    }

    /** The line that names the failure, not the stack frame that happens to come last. */
    static String firstError(String log) {
        var lines = log.lines().filter(l -> !l.isBlank()).toList();
        return lines.stream().filter(l -> l.contains("Exception") || l.contains("Error")).findFirst()
                .orElse(lines.isEmpty() ? "(no output)" : lines.get(lines.size() - 1));
    }

    String loadNote() {
        return loadNote;
    }

    private long sstableCount() throws IOException {
        return tableFiles().keySet().stream().filter(f -> f.getFileName().toString().endsWith("-Data.db")).count();
    }

    @Override
    public long diskBytes() throws IOException {
        return tableFiles().values().stream().mapToLong(Long::longValue).sum();
    }

    /** The table's live files and their sizes; a compaction may remove a file while they are listed. */
    private Map<Path, Long> tableFiles() throws IOException {
        var files = new TreeMap<Path, Long>();
        Files.walkFileTree(server.dataDir().resolve("images"), new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attributes) {
                String name = d.getFileName().toString();
                return name.equals("snapshots") || name.equals("backups") ? FileVisitResult.SKIP_SUBTREE
                        : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attributes) {
                if (attributes.isRegularFile()) {
                    files.put(f, attributes.size());
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path f, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }
        });
        return files;
    }

    @Override
    public void prewarm() throws IOException {
        // The node's own caches fill from reads; its SSTables go into the page cache as a DBA's
        // warm-up (cat, vmtouch) would put them there.
        byte[] buffer = new byte[1 << 20];
        for (Path f : tableFiles().keySet()) {
            try (var in = Files.newInputStream(f)) {
                while (in.read(buffer) > 0) {
                    // reading is the point
                }
            } catch (NoSuchFileException compactedAway) {
                // its rows are in the compaction's output, which is listed too or read by the node
            }
        }
    }

    @Override
    public List<Long> serverPids() {
        return List.of(server.pid());
    }

    @Override
    public String configuration() {
        return "Cassandra 5.0.6 (cassandra-all from Maven Central) on OpenJDK 17, one node, -Xms" + heap + " -Xmx" + heap
                + ", the G1 and JPMS flags of its conf/jvm17-server.options, num_tokens 1, commitlog_sync periodic 10 s"
                + " (its default), key cache and chunk cache at their defaults (5% of the heap, min(512 MiB, heap/4)),"
                + " row cache off; SSTables read into the page cache before the reads; one driver session (DataStax"
                + " java-driver-core 4.19) shared by all clients, prepared statements, consistency LOCAL_ONE,"
                + " serial LOCAL_SERIAL. SSTable writer: CQLSSTableWriter, unsorted, " + writerBufferMib
                + " MiB buffer, " + WRITER_HEAP + " heap. " + loadNote;
    }

    @Override
    public Client client() {
        return new CassandraClient(session, statements);
    }

    @Override
    public void close() {
        if (session != null) {
            session.close();
            session = null;
        }
        if (server != null) {
            server.close();
            server = null;
        }
    }

    private record Statements(PreparedStatement gallery, PreparedStatement last, PreparedStatement put,
                              PreparedStatement delete, PreparedStatement bumpIf, PreparedStatement bump) {
        Statements(CqlSession s) {
            this(s.prepare(GALLERY), s.prepare(LAST), s.prepare(PUT_IMAGE), s.prepare(DELETE_IMAGE),
                    s.prepare(BUMP_IF), s.prepare(BUMP));
        }
    }

    private static final class CassandraClient implements Client {
        private final CqlSession session;
        private final Statements st;

        CassandraClient(CqlSession session, Statements st) {
            this.session = session;
            this.st = st;
        }

        @Override
        public Optional<Gallery> gallery(long productId) {
            var rows = session.execute(st.gallery().bind(productId));
            String name = null;
            long version = 0;
            var images = new ArrayList<Gallery.Img>();
            for (Row r : rows) {
                name = r.getString(0);
                version = r.getLong(1);
                if (!r.isNull(2)) {
                    images.add(new Gallery.Img(r.getLong(3), r.getString(4), r.getString(5), r.getString(6),
                            r.getInt(7), r.getInt(8)));
                }
            }
            return name == null ? Optional.empty() : Optional.of(new Gallery(productId, name, version, List.copyOf(images)));
        }

        @Override
        public void append(long productId, Gallery.Img image) {
            while (!appendOnce(productId, image, true)) {
                Thread.onSpinWait();
            }
        }

        @Override
        public void appendPlain(long productId, Gallery.Img image) {
            appendOnce(productId, image, false);
        }

        @Override
        public String plainAppend() {
            return "read the last position, write the image after it and the version (no IF)";
        }

        private boolean appendOnce(long productId, Gallery.Img image, boolean conditional) {
            Row last = session.execute(st.last().bind(productId)).one();
            long version = last.getLong(0);
            int position = last.isNull(1) ? 0 : last.getInt(1) + 1;
            var batch = batch(conditional);
            batch.addStatement(put(productId, position, image));
            batch.addStatement(bump(productId, version, conditional));
            return session.execute(batch.build()).wasApplied();
        }

        @Override
        public void moveFirstToLast(long productId) throws Exception {
            Reorders.rewrite(this, productId, images -> images.add(images.remove(0)), this::rewrite);
        }

        @Override
        public void deleteFirst(long productId) throws Exception {
            Reorders.rewrite(this, productId, images -> images.remove(0), this::rewrite);
        }

        @Override
        public boolean reorder(long productId, long version, List<Long> imageIds) {
            var g = gallery(productId).orElseThrow();
            if (g.version() != version || !Reorders.sameIds(g, imageIds)) {
                return false;
            }
            return rewrite(g, Reorders.inOrder(g, imageIds));
        }

        /** Rows whose image changed, the rows past the new end deleted, and the version, if unchanged. */
        private boolean rewrite(Gallery read, List<Gallery.Img> images) {
            var batch = batch(true);
            for (int p = 0; p < images.size(); p++) {
                if (p >= read.images().size() || !images.get(p).equals(read.images().get(p))) {
                    batch.addStatement(put(read.productId(), p, images.get(p)));
                }
            }
            for (int p = images.size(); p < read.images().size(); p++) {
                batch.addStatement(st.delete().bind(read.productId(), p));
            }
            batch.addStatement(bump(read.productId(), read.version(), true));
            return session.execute(batch.build()).wasApplied();
        }

        private static BatchStatementBuilder batch(boolean conditional) {
            // All of a batch is one partition, so it is applied atomically either way.
            return BatchStatement.builder(conditional ? BatchType.LOGGED : BatchType.UNLOGGED);
        }

        private com.datastax.oss.driver.api.core.cql.BoundStatement put(long productId, int position, Gallery.Img i) {
            return st.put().bind(productId, position, i.id(), i.url(), i.thumbnailUrl(), i.alt(), i.width(), i.height());
        }

        private com.datastax.oss.driver.api.core.cql.BoundStatement bump(long productId, long version, boolean conditional) {
            return conditional ? st.bumpIf().bind(version + 1, productId, version) : st.bump().bind(version + 1, productId);
        }

        @Override
        public void close() {
            // the session is the store's
        }
    }
}
