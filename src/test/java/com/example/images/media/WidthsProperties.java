package com.example.images.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class WidthsProperties {

    @Property
    void widths_rise_never_exceed_the_original_and_end_at_its_width_capped_at_2048(@ForAll @IntRange(min = 1, max = 20000) int width) {
        List<Integer> widths = ImageProcessor.widthsFor(width);

        assertThat(widths).isSorted().doesNotHaveDuplicates().allSatisfy(w -> assertThat(w).isBetween(1, width));
        assertThat(widths.getLast()).isEqualTo(Math.min(width, 2048));
        assertThat(widths.subList(0, widths.size() - 1)).allSatisfy(w -> assertThat(ImageProcessor.WIDTHS).contains(w));
        assertThat(widths).containsAll(ImageProcessor.WIDTHS.stream().filter(w -> w <= width).toList());
    }
}
