package com.example.images.product;

import static com.example.images.support.Api.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.example.images.support.Api;
import com.example.images.support.TestApp;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Write bodies are UTF-8 JSON as they were sent: other encodings and compressed bodies are 415. */
class BodyEncodingTest {

    private static final String BODY = "{\"name\": \"Encoded product\"}";

    private final Api api = Api.shared();

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"UTF-16LE", "UTF-16BE", "UTF-16", "UTF-32LE", "UTF-32BE", "UTF-16LE+BOM", "UTF-32LE+BOM"})
    void a_json_body_that_is_not_utf8_is_415(String encoding) {
        boolean bom = encoding.endsWith("+BOM");
        Charset charset = Charset.forName(encoding.replace("+BOM", ""));
        byte[] body = ((bom ? "\uFEFF" : "") + BODY).getBytes(charset);

        var response = send(body, "Content-Type", "application/json");

        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(json(response).get("detail").asText()).startsWith("JSON bodies must be UTF-8; this one is UTF-");
    }

    @Test
    void utf8_with_or_without_a_byte_order_mark_is_accepted() {
        assertThat(send(BODY.getBytes(StandardCharsets.UTF_8), "Content-Type", "application/json").statusCode()).isEqualTo(201);
        assertThat(send(("\uFEFF" + BODY).getBytes(StandardCharsets.UTF_8), "Content-Type", "application/json").statusCode())
                .isEqualTo(201);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"deflate", "gzip", "br", "identity, gzip"})
    void a_compressed_body_is_415(String coding) throws IOException {
        byte[] compressed = coding.equals("deflate") ? deflate(BODY) : coding.equals("br") ? BODY.getBytes(StandardCharsets.UTF_8) : gzip(BODY);

        var response = send(compressed, "Content-Type", "application/json", "Content-Encoding", coding);

        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(response.headers().firstValue("Accept-Encoding")).hasValue("identity");
        assertThat(json(response).get("detail").asText()).contains("Content-Encoding").contains("uncompressed");
    }

    @Test
    void identity_is_no_encoding() {
        assertThat(send(BODY.getBytes(StandardCharsets.UTF_8), "Content-Type", "application/json", "Content-Encoding", "identity")
                .statusCode()).isEqualTo(201);
    }

    private java.net.http.HttpResponse<String> send(byte[] body, String... headers) {
        String[] all = new String[headers.length + 2];
        all[0] = "Authorization";
        all[1] = "Bearer " + TestApp.TOKEN;
        System.arraycopy(headers, 0, all, 2, headers.length);
        return api.http().sendBytes("POST", "/api/products", body, all);
    }

    private static byte[] deflate(String text) throws IOException {
        var out = new ByteArrayOutputStream();
        try (var deflater = new DeflaterOutputStream(out)) {
            deflater.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    private static byte[] gzip(String text) throws IOException {
        var out = new ByteArrayOutputStream();
        try (var gzip = new GZIPOutputStream(out)) {
            gzip.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }
}
