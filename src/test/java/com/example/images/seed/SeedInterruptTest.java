package com.example.images.seed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.images.app.Application;
import com.example.images.app.Settings;
import com.example.images.catalog.CatalogRefusedException;
import com.example.images.db.DatabaseUrl;
import com.example.images.support.Cli;
import com.example.images.support.ScratchDatabases;
import com.example.images.support.TestDatabase;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SeedInterruptTest {

    @Test
    void a_seed_killed_mid_load_leaves_the_old_rows_marked_unfinished_serve_refuses_and_the_next_seed_replaces_them()
            throws Exception {
        DatabaseUrl db = ScratchDatabases.create();
        String url = ScratchDatabases.cliUrl(db);
        assertThat(Cli.run("seed", "--products", "500", "--database-url", url).code()).isZero();
        String old = Tables.checksum(db);

        // A real process, killed with SIGKILL while it streams the images.
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(List.of(java, "-Xmx192m", "-cp", System.getProperty("java.class.path"),
                "com.example.images.cli.Main", "seed", "--products", "400000", "--replace", "--database-url", url))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        var progress = new BufferedReader(new InputStreamReader(child.getErrorStream(), StandardCharsets.UTF_8));
        String line;
        var seen = new StringBuilder();
        while ((line = progress.readLine()) != null && !line.contains("loading images")) {
            seen.append(line).append('\n');
        }
        assertThat(line).as("the child's progress before it ended:\n%s", seen).isNotNull();
        child.destroyForcibly();
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        // Its backend notices the lost client and rolls back.
        for (int i = 0; i < 300 && !"0".equals(Tables.string(db,
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'images-seed'")); i++) {
            Thread.sleep(100);
        }

        assertThat(Tables.string(db, "SELECT status || ' ' || products FROM catalog_state")).isEqualTo("loading 400000");
        assertThat(Tables.checksum(db)).as("the old rows, untouched").isEqualTo(old);
        Settings serve = Settings.defaults(TestDatabase.tempDir("seed-killed")).withDatabase(db).withDemoData(false);
        assertThatThrownBy(() -> Application.start(serve).close())
                .isInstanceOf(CatalogRefusedException.class)
                .hasMessageStartingWith("the catalog is unfinished: a seed of 400000 products started ")
                .hasMessageEndingWith("did not finish; reseed with: bin/images seed --replace --products 400000 --random-seed 42");

        Cli.Run next = Cli.run("seed", "--products", "700", "--database-url", url);

        assertThat(next.code()).as(next.err()).isZero();
        assertThat(Tables.string(db, "SELECT status || ' ' || products FROM catalog_state")).isEqualTo("ready 700");
        assertThat(Tables.count(db, "products")).isEqualTo(700);
        try (Application app = Application.start(serve)) {
            assertThat(app.port()).isPositive();
        }
    }
}
