package com.example.images.product;

import static com.example.images.support.Api.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.example.images.http.Echo;
import com.example.images.support.Api;
import com.example.images.support.Fixtures;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** A problem says how many things were wrong and lists the first few, however many the body had. */
class ProblemEchoTest {

    private final Api api = Api.shared();
    private final Fixtures fixtures = Fixtures.shared();

    @Test
    void an_order_of_thousands_of_unknown_ids_gets_a_short_422_with_their_count() {
        var product = fixtures.product("Long order", 2);
        // 11,999 short ids fit the 64 KB limit, as in the probe; none of them is one of this product's.
        var sent = LongStream.rangeClosed(1, 13_000).filter(id -> !product.imageIds().contains(id)).limit(11_999).boxed().toList();
        String ids = sent.stream().map(String::valueOf).collect(Collectors.joining(","));

        var response = api.write("PUT", "/api/products/" + product.id() + "/images/order", "{\"imageIds\": [" + ids + "]}");

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.body().length()).as(response.body()).isLessThan(4_000);
        var problem = json(response);
        assertThat(problem.get("unknown")).hasSize(Echo.MAX_ITEMS);
        assertThat(problem.get("unknownCount").asInt()).isEqualTo(11_999);
        assertThat(problem.get("missing")).hasSize(2);
        assertThat(problem.get("missingCount").asInt()).isEqualTo(2);
        assertThat(problem.get("detail").asText()).contains("names 11999 ids, the first 10: " + sent.subList(0, 10));
    }

    @Test
    void a_body_with_hundreds_of_bad_fields_lists_the_first_few_and_counts_them() {
        String images = LongStream.range(0, 300).mapToObj(i -> "{\"url\": \"ftp://x/" + i + "\"}").collect(Collectors.joining(","));

        var response = api.write("POST", "/api/products", "{\"name\": \"Many bad\", \"images\": [" + images + "]}");

        assertThat(response.statusCode()).isEqualTo(422);
        var problem = json(response);
        assertThat(problem.get("errors")).hasSize(Echo.MAX_ITEMS);
        assertThat(problem.get("errorCount").asInt()).isEqualTo(301);
        assertThat(problem.get("detail").asText()).startsWith("301 fields are invalid");
    }
}
