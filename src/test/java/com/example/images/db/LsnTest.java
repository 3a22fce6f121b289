package com.example.images.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class LsnTest {

    @Test
    void postgres_text_form_is_the_high_and_low_32_bits_in_hex() {
        assertThat(Lsn.parse("16/B374D848")).isEqualTo(0x16_B374_D848L);
        assertThat(Lsn.format(0x16_B374_D848L)).isEqualTo("16/B374D848");
        assertThat(Lsn.parse("0/0")).isZero();
    }

    @Property
    void format_and_parse_round_trip(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long lsn) {
        assertThat(Lsn.parse(Lsn.format(lsn))).isEqualTo(lsn);
    }

    @Test
    void anything_else_is_refused_with_an_example() {
        for (String bad : new String[] {"", "16", "16/", "/1", "-1/2", "G/1", "123456789/1", "1/2/3"}) {
            assertThatThrownBy(() -> Lsn.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("16/B374D848");
        }
    }
}
