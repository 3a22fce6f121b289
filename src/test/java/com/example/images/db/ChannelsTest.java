package com.example.images.db;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.images.gallery.GalleryChangeListener;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** SQL cannot refer to a Java constant, so the migration's literal is checked against it here. */
class ChannelsTest {

    private static final Pattern NOTIFY = Pattern.compile("pg_notify\\('([^']*)'");

    @Test
    void the_gallery_trigger_notifies_the_channel_the_listener_hears() throws IOException {
        String migration = resource("db/migration/V5__gallery_notify.sql");

        var channels = NOTIFY.matcher(migration).results().map(m -> m.group(1)).toList();

        assertThat(channels).isNotEmpty().containsOnly(Channels.GALLERY_CHANGED);
        assertThat(GalleryChangeListener.CHANNEL).isEqualTo(Channels.GALLERY_CHANGED);
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = ChannelsTest.class.getClassLoader().getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
