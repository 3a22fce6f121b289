package com.example.images.gallery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.images.http.PathIds;
import com.example.images.http.ProblemException;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

class PathIdsProperties {

    @Property
    void every_positive_long_round_trips(@ForAll @LongRange(min = 1, max = Long.MAX_VALUE) long id) {
        assertThat(PathIds.parse("id", Long.toString(id))).isEqualTo(id);
    }

    @Property
    void anything_that_is_not_a_plain_positive_long_is_rejected(@ForAll String raw) {
        boolean plain = raw.matches("[1-9][0-9]{0,18}") && fitsInLong(raw);
        if (plain) {
            assertThat(PathIds.parse("id", raw)).isPositive();
        } else {
            assertThatThrownBy(() -> PathIds.parse("id", raw)).isInstanceOf(ProblemException.class)
                    .satisfies(e -> assertThat(((ProblemException) e).problem().status()).isEqualTo(400));
        }
    }

    @Property
    void the_fast_path_takes_exactly_the_ids_the_route_accepts(@ForAll String raw) {
        long fast = GalleryEndpoint.idIn("/api/products/" + raw + "/images");
        boolean plain = raw.matches("[1-9][0-9]{0,18}") && fitsInLong(raw);
        assertThat(fast).isEqualTo(plain ? Long.parseLong(raw) : -1);
    }

    @Property
    void the_fast_path_takes_every_positive_long(@ForAll @LongRange(min = 1, max = Long.MAX_VALUE) long id) {
        assertThat(GalleryEndpoint.idIn("/api/products/" + id + "/images")).isEqualTo(id);
    }

    @Property
    void the_fast_path_leaves_the_product_itself_to_its_route(@ForAll @LongRange(min = 1, max = Long.MAX_VALUE) long id) {
        assertThat(GalleryEndpoint.idIn("/api/products/" + id)).isEqualTo(-1);
    }

    private static boolean fitsInLong(String digits) {
        return new java.math.BigInteger(digits).compareTo(java.math.BigInteger.valueOf(Long.MAX_VALUE)) <= 0;
    }
}
