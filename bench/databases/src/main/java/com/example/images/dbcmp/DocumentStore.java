package com.example.images.dbcmp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.postgresql.PGConnection;

/**
 * The document model (MongoDB's, on an engine we can run): one jsonb document per product
 * holding its name, version and gallery, read and written by key. An append is one atomic
 * in-place update (as MongoDB's {@code $push} with {@code $inc}); every other change reads the
 * document and rewrites it whole if its version is unchanged, else reads again.
 */
final class DocumentStore extends PostgresStore {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String SCHEMA = """
            CREATE TABLE products_doc (id bigint NOT NULL, doc jsonb NOT NULL)
            """;

    private static final String READ = """
            SELECT doc::text FROM products_doc WHERE id = ?
            """;

    private static final String APPEND = """
            UPDATE products_doc
            SET doc = jsonb_set(jsonb_set(doc, '{images}', (doc -> 'images') || jsonb_build_array(?::jsonb)),
                                '{version}', to_jsonb((doc ->> 'version')::bigint + 1))
            WHERE id = ?
            """;

    private static final String WRITE_IF_VERSION = """
            UPDATE products_doc SET doc = ?::jsonb WHERE id = ? AND (doc ->> 'version')::bigint = ?
            """;

    private static final String WRITE = """
            UPDATE products_doc SET doc = ?::jsonb WHERE id = ?
            """;

    DocumentStore(String sharedBuffers) {
        super(sharedBuffers);
    }

    @Override
    public String name() {
        return "document";
    }

    @Override
    List<String> tables() {
        return List.of("products_doc");
    }

    @Override
    public void load(Catalog catalog) throws Exception {
        try (Connection c = connect()) {
            inTransaction(c, () -> {
                try (var s = c.createStatement()) {
                    s.execute(SCHEMA);
                    var docs = new CopyRows(c.unwrap(PGConnection.class).getCopyAPI()
                            .copyIn("COPY products_doc (id, doc) FROM STDIN (FORMAT csv, FREEZE)"));
                    catalog.forEach(g -> RelationalStore.row(() -> docs.field(g.productId()).field(json(g)).endRow()));
                    docs.finish();
                    s.execute("ALTER TABLE products_doc ADD CONSTRAINT products_doc_pkey PRIMARY KEY (id)");
                }
                return null;
            });
            try (var s = c.createStatement()) {
                s.execute("ANALYZE products_doc");
            }
        }
    }

    static String json(Gallery g) {
        var b = new StringBuilder(256 + 200 * g.images().size());
        b.append("{\"name\": ");
        string(b, g.name());
        b.append(", \"version\": ").append(g.version()).append(", \"images\": [");
        for (int i = 0; i < g.images().size(); i++) {
            if (i > 0) {
                b.append(", ");
            }
            image(b, g.images().get(i));
        }
        return b.append("]}").toString();
    }

    static String json(Gallery.Img i) {
        var b = new StringBuilder(200);
        image(b, i);
        return b.toString();
    }

    private static void image(StringBuilder b, Gallery.Img i) {
        b.append("{\"id\": ").append(i.id()).append(", \"url\": ");
        string(b, i.url());
        b.append(", \"thumbnailUrl\": ");
        string(b, i.thumbnailUrl());
        b.append(", \"alt\": ");
        string(b, i.alt());
        b.append(", \"width\": ").append(i.width()).append(", \"height\": ").append(i.height()).append('}');
    }

    private static void string(StringBuilder b, String s) {
        b.append('"');
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        b.append('"');
    }

    static Gallery parse(long productId, String text) throws java.io.IOException {
        JsonNode doc = JSON.readTree(text);
        var images = new ArrayList<Gallery.Img>();
        for (JsonNode i : doc.get("images")) {
            images.add(new Gallery.Img(i.get("id").asLong(), i.get("url").asText(), i.get("thumbnailUrl").asText(),
                    i.get("alt").asText(), i.get("width").asInt(), i.get("height").asInt()));
        }
        return new Gallery(productId, doc.get("name").asText(), doc.get("version").asLong(), List.copyOf(images));
    }

    @Override
    public Client client() throws Exception {
        return new DocumentClient(connect());
    }

    private static final class DocumentClient implements Client {
        private final Connection c;
        private final PreparedStatement read;
        private final PreparedStatement append;
        private final PreparedStatement writeIfVersion;
        private final PreparedStatement write;

        DocumentClient(Connection c) throws SQLException {
            this.c = c;
            c.unwrap(PGConnection.class).setPrepareThreshold(1);
            read = c.prepareStatement(READ);
            append = c.prepareStatement(APPEND);
            writeIfVersion = c.prepareStatement(WRITE_IF_VERSION);
            write = c.prepareStatement(WRITE);
        }

        @Override
        public Optional<Gallery> gallery(long productId) throws Exception {
            read.setLong(1, productId);
            try (var rs = read.executeQuery()) {
                return rs.next() ? Optional.of(parse(productId, rs.getString(1))) : Optional.empty();
            }
        }

        @Override
        public void append(long productId, Gallery.Img image) throws SQLException {
            append.setString(1, json(image));
            append.setLong(2, productId);
            append.executeUpdate();
        }

        @Override
        public void appendPlain(long productId, Gallery.Img image) throws Exception {
            var g = gallery(productId).orElseThrow();
            var images = new ArrayList<>(g.images());
            images.add(image);
            write.setString(1, json(g.withImages(images)));
            write.setLong(2, productId);
            write.executeUpdate();
        }

        @Override
        public String plainAppend() {
            return "read the document, add the image, write it back (no version check)";
        }

        @Override
        public void moveFirstToLast(long productId) throws Exception {
            Reorders.rewrite(this, productId, images -> images.add(images.remove(0)), this::writeIfVersion);
        }

        @Override
        public void deleteFirst(long productId) throws Exception {
            Reorders.rewrite(this, productId, images -> images.remove(0), this::writeIfVersion);
        }

        @Override
        public boolean reorder(long productId, long version, List<Long> imageIds) throws Exception {
            var g = gallery(productId).orElseThrow();
            if (g.version() != version || !Reorders.sameIds(g, imageIds)) {
                return false;
            }
            return writeIfVersion(g, Reorders.inOrder(g, imageIds));
        }

        private boolean writeIfVersion(Gallery read, List<Gallery.Img> images) throws SQLException {
            writeIfVersion.setString(1, json(read.withImages(images)));
            writeIfVersion.setLong(2, read.productId());
            writeIfVersion.setLong(3, read.version());
            return writeIfVersion.executeUpdate() == 1;
        }

        @Override
        public void close() {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing a broken connection
            }
        }
    }
}
