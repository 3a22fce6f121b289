package com.example.images.dbcmp;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.cassandra.dht.Murmur3Partitioner;
import org.apache.cassandra.io.sstable.CQLSSTableWriter;

/**
 * Writes the catalog as SSTables of {@code images.galleries} with Cassandra's
 * {@link CQLSSTableWriter}, for {@code nodetool import}. Runs in a JDK 17 child JVM:
 * {@code SSTableWriterMain DIR PRODUCTS RANDOM_SEED BUFFER_MIB}.
 */
public final class SSTableWriterMain {

    private SSTableWriterMain() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        var catalog = new Catalog(Long.parseLong(args[1]), Long.parseLong(args[2]));
        Files.createDirectories(dir);
        try (var writer = CQLSSTableWriter.builder()
                .inDirectory(dir.toString())
                .forTable(CassandraStore.TABLE)
                .using(CassandraStore.LOAD)
                .withPartitioner(new Murmur3Partitioner())
                .withBufferSizeInMiB(Integer.parseInt(args[3]))
                .build()) {
            catalog.forEach(g -> {
                try {
                    for (int p = 0; p < g.images().size(); p++) {
                        var i = g.images().get(p);
                        writer.addRow(g.productId(), p, i.id(), i.url(), i.thumbnailUrl(), i.alt(), i.width(), i.height(),
                                g.name(), g.version());
                    }
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }
        System.exit(0);
    }
}
