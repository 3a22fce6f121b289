package com.example.images.seed;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.images.app.Application;
import com.example.images.app.Settings;
import com.example.images.catalog.CatalogGenerator;
import com.example.images.catalog.GeneratedProduct;
import com.example.images.catalog.ImageUrls;
import com.example.images.cli.ExitCodes;
import com.example.images.db.DatabaseUrl;
import com.example.images.support.Cli;
import com.example.images.support.Http;
import com.example.images.support.ScratchDatabases;
import com.example.images.support.TestDatabase;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class SeedTest {

    private static Cli.Run seed(DatabaseUrl url, String... more) {
        var args = new java.util.ArrayList<>(java.util.List.of("seed", "--database-url", ScratchDatabases.cliUrl(url)));
        args.addAll(java.util.List.of(more));
        return Cli.run(args.toArray(String[]::new));
    }

    @Test
    void seed_loads_every_product_with_one_to_ten_images_in_gallery_order() {
        DatabaseUrl db = ScratchDatabases.create();

        Cli.Run run = seed(db, "--products", "3000");

        assertThat(run.code()).as(run.err()).isZero();
        long images = new CatalogGenerator(42, 1, 10, ImageUrls.local()).imageCount(1, 3000);
        assertThat(run.out()).contains("seeded 3,000 products and " + String.format("%,d", images) + " images");
        assertThat(Tables.count(db, "products")).isEqualTo(3000);
        assertThat(Tables.count(db, "images")).isEqualTo(images);
        assertThat(Tables.string(db, "SELECT min(id) || '..' || max(id) FROM products")).isEqualTo("1..3000");
        assertThat(Tables.string(db, "SELECT min(id) || '..' || max(id) FROM images")).isEqualTo("1.." + images);
        // Every product: 1..10 images at positions 0..n-1, without gaps.
        assertThat(Tables.string(db, """
                SELECT count(*) FROM products p
                LEFT JOIN (SELECT product_id, count(*) n, min(position) lo, max(position) hi FROM images GROUP BY product_id) g
                       ON g.product_id = p.id
                WHERE g.n IS NULL OR g.n NOT BETWEEN 1 AND 10 OR g.lo <> 0 OR g.hi <> g.n - 1""")).isEqualTo("0");
        assertThat(Tables.string(db, "SELECT status || ' ' || products || ' ' || images FROM catalog_state"))
                .isEqualTo("ready 3000 " + images);
    }

    @Test
    void seed_rebuilds_the_keys_and_the_foreign_key_and_sets_the_identity_sequences() {
        DatabaseUrl db = ScratchDatabases.create();

        assertThat(seed(db, "--products", "500").code()).isZero();

        assertThat(Tables.string(db, """
                SELECT string_agg(conname || ' ' || pg_get_constraintdef(oid) || ' ' || convalidated, '; ' ORDER BY conname)
                FROM pg_constraint WHERE conrelid IN ('products'::regclass, 'images'::regclass) AND contype IN ('p', 'f')"""))
                .isEqualTo("images_pkey PRIMARY KEY (product_id, \"position\") DEFERRABLE true; "
                        + "images_product_id_fkey FOREIGN KEY (product_id) REFERENCES products(id) ON DELETE CASCADE true; "
                        + "products_pkey PRIMARY KEY (id) true");
        assertThat(Tables.string(db, "INSERT INTO products (name) VALUES ('New Product') RETURNING id")).isEqualTo("501");
        long images = Tables.count(db, "images");
        assertThat(Tables.string(db, "INSERT INTO images (product_id, position, url, thumbnail_url) VALUES (501, 0, 'u', 't') RETURNING id"))
                .isEqualTo(Long.toString(images + 1));
    }

    @Test
    void the_same_options_give_the_same_rows_whatever_the_jobs_and_the_copy_format() {
        DatabaseUrl a = ScratchDatabases.create();
        DatabaseUrl b = ScratchDatabases.create();
        DatabaseUrl c = ScratchDatabases.create();
        DatabaseUrl other = ScratchDatabases.create();

        assertThat(seed(a, "--products", "2500", "--random-seed", "7", "--jobs", "1").code()).isZero();
        assertThat(seed(b, "--products", "2500", "--random-seed", "7", "--jobs", "3").code()).isZero();
        assertThat(seed(c, "--products", "2500", "--random-seed", "7", "--format", "text").code()).isZero();
        assertThat(seed(other, "--products", "2500", "--random-seed", "8").code()).isZero();

        assertThat(Tables.checksum(b)).isEqualTo(Tables.checksum(a));
        assertThat(Tables.checksum(c)).isEqualTo(Tables.checksum(a));
        assertThat(Tables.checksum(other)).isNotEqualTo(Tables.checksum(a));
    }

    @Test
    void seed_refuses_a_database_that_holds_products_unless_replace_is_given() {
        DatabaseUrl db = ScratchDatabases.create();
        assertThat(seed(db, "--products", "100").code()).isZero();
        String before = Tables.checksum(db);

        Cli.Run refused = seed(db, "--products", "200");

        assertThat(refused.code()).isEqualTo(ExitCodes.REFUSED);
        assertThat(refused.lastError()).isEqualTo("error: the database already holds 100 products; pass --replace to replace them");
        assertThat(Tables.checksum(db)).isEqualTo(before);

        Cli.Run replaced = seed(db, "--products", "200", "--replace");

        assertThat(replaced.code()).as(replaced.err()).isZero();
        assertThat(Tables.count(db, "products")).isEqualTo(200);
    }

    @Test
    void replacing_the_catalog_leaves_the_blobs_its_images_referenced_unreferenced_for_the_collector() {
        DatabaseUrl db = ScratchDatabases.create();
        assertThat(seed(db, "--products", "10").code()).isZero();
        String key = "a".repeat(64) + ".jpg";
        Tables.execute(db, "INSERT INTO media_blobs (key, bytes, content_type, refs, orphaned_at)"
                + " VALUES ('" + key + "', 10, 'image/jpeg', 2, NULL)");
        Tables.execute(db, "UPDATE images SET original_key = '" + key + "' WHERE id IN (1, 2)");

        assertThat(seed(db, "--products", "10", "--replace").code()).isZero();

        assertThat(Tables.string(db, "SELECT refs || ' ' || (orphaned_at IS NOT NULL) FROM media_blobs WHERE key = '"
                + key + "'")).isEqualTo("0 true");
    }

    @Test
    void seed_refuses_products_that_were_not_seeded_too() {
        DatabaseUrl db = ScratchDatabases.create();
        assertThat(seed(db, "--products", "10").code()).isZero();
        Tables.execute(db, "DELETE FROM catalog_state");

        Cli.Run refused = seed(db, "--products", "10");

        assertThat(refused.code()).isEqualTo(ExitCodes.REFUSED);
        assertThat(refused.lastError()).contains("already holds 10 products");
    }

    @Test
    void the_service_serves_the_seeded_galleries_as_generated() throws Exception {
        DatabaseUrl db = ScratchDatabases.create();
        assertThat(seed(db, "--products", "50", "--image-base-url", "https://cdn.example.com/").code()).isZero();
        GeneratedProduct expected = new CatalogGenerator(42, 1, 10, new ImageUrls("https://cdn.example.com")).product(37);
        long firstImageId = new CatalogGenerator(42, 1, 10, ImageUrls.local()).imageCount(1, 36) + 1;

        try (Application app = Application.start(Settings.defaults(TestDatabase.tempDir("seed-serve"))
                .withDatabase(db).withDemoData(false))) {
            var response = new Http("http://127.0.0.1:" + app.port()).get("/api/products/37/images");

            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode json = new ObjectMapper().readTree(response.body());
            assertThat(json.get("name").asText()).isEqualTo(expected.name());
            assertThat(json.get("images")).hasSize(expected.images().size());
            for (int i = 0; i < expected.images().size(); i++) {
                JsonNode image = json.get("images").get(i);
                assertThat(image.get("id").asLong()).isEqualTo(firstImageId + i);
                assertThat(image.get("position").asInt()).isEqualTo(i);
                assertThat(image.get("url").asText()).isEqualTo(expected.images().get(i).url()).startsWith("https://cdn.example.com/img/37/");
                assertThat(image.get("alt").asText()).isEqualTo(expected.images().get(i).alt());
            }
        }
    }

    @Test
    void an_empty_database_gets_the_demo_catalog_which_is_the_first_thousand_seeded_products() throws Exception {
        DatabaseUrl demo = ScratchDatabases.create();
        DatabaseUrl seeded = ScratchDatabases.create();

        try (Application app = Application.start(Settings.defaults(TestDatabase.tempDir("seed-demo")).withDatabase(demo))) {
            assertThat(app.port()).isPositive();
        }
        assertThat(seed(seeded, "--products", "1000").code()).isZero();

        assertThat(Tables.string(demo, "SELECT status || ' ' || products FROM catalog_state")).isEqualTo("ready 1000");
        assertThat(Tables.checksum(demo)).isEqualTo(Tables.checksum(seeded));
    }
}
