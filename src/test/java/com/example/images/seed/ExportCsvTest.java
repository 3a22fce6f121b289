package com.example.images.seed;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.images.db.Database;
import com.example.images.db.DatabaseUrl;
import com.example.images.support.Cli;
import com.example.images.support.ScratchDatabases;
import com.example.images.support.TestDatabase;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

class ExportCsvTest {

    @Test
    void exported_csv_loaded_with_copy_gives_the_same_tables_as_the_seed() throws Exception {
        Path dir = TestDatabase.tempDir("export-csv").resolve("out");
        DatabaseUrl seeded = ScratchDatabases.create();
        DatabaseUrl loaded = ScratchDatabases.create();

        Cli.Run export = Cli.run("export-csv", "--products", "1500", "--random-seed", "3", "--image-base-url",
                "https://cdn.example.com", "--out", dir.toString());
        Cli.Run seed = Cli.run("seed", "--products", "1500", "--random-seed", "3", "--image-base-url",
                "https://cdn.example.com", "--database-url", ScratchDatabases.cliUrl(seeded));

        assertThat(export.code()).as(export.err()).isZero();
        assertThat(seed.code()).as(seed.err()).isZero();
        assertThat(Files.readAllLines(dir.resolve("products.csv")).get(0)).isEqualTo("id,name");
        assertThat(Files.readAllLines(dir.resolve("images.csv")).get(0))
                .isEqualTo("product_id,position,id,url,thumbnail_url,alt,width,height");
        Database.migrate(loaded);
        try (Connection c = ScratchDatabases.connect(loaded);
             Reader products = Files.newBufferedReader(dir.resolve("products.csv"));
             Reader images = Files.newBufferedReader(dir.resolve("images.csv"))) {
            var copy = c.unwrap(PGConnection.class).getCopyAPI();
            // What psql's \copy sends, with the column lists from the header rows.
            copy.copyIn("COPY products (id, name) FROM STDIN (FORMAT csv, HEADER true)", products);
            copy.copyIn("COPY images (product_id, position, id, url, thumbnail_url, alt, width, height) "
                    + "FROM STDIN (FORMAT csv, HEADER true)", images);
        }
        assertThat(Tables.count(loaded, "images")).isEqualTo(Tables.count(seeded, "images"));
        assertThat(Tables.checksum(loaded)).isEqualTo(Tables.checksum(seeded));
    }

    @Test
    void two_exports_with_the_same_options_are_byte_for_byte_equal() throws Exception {
        Path a = TestDatabase.tempDir("export-a");
        Path b = TestDatabase.tempDir("export-b");

        assertThat(Cli.run("export-csv", "--products", "3000", "--jobs", "1", "--out", a.toString()).code()).isZero();
        assertThat(Cli.run("export-csv", "--products", "3000", "--jobs", "4", "--out", b.toString()).code()).isZero();

        assertThat(Files.mismatch(a.resolve("products.csv"), b.resolve("products.csv"))).isEqualTo(-1);
        assertThat(Files.mismatch(a.resolve("images.csv"), b.resolve("images.csv"))).isEqualTo(-1);
        try (var files = Files.list(a)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted()).containsExactly("images.csv", "products.csv");
        }
    }
}
