package com.example.images.gallery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class BenchmarkSqlTest {

    @Test
    void pgbench_bound_runs_exactly_the_services_gallery_sql() throws Exception {
        String script = Files.readString(Path.of("bench/pgbench/gallery.sql"));
        String pgbenchSql = script.lines().filter(line -> !line.startsWith("\\")).reduce("", (a, b) -> a + " " + b);

        assertThat(normalize(pgbenchSql.replace(":id", "?").replaceAll(";\\s*$", "")))
                .isEqualTo(normalize(GalleryRepository.SELECT_GALLERY));
    }

    private static String normalize(String sql) {
        return sql.replaceAll("\\s+", " ").replaceAll(";\\s*$", "").trim();
    }
}
