package com.example.images.media;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.jetty.http.QuotedQualityCSV;

/**
 * Chooses the format of a per-width rendition from a request's {@code Accept} header: the first
 * of the offered formats (AVIF, WebP, JPEG) that the header accepts. Jetty's
 * {@link QuotedQualityCSV} parses the header (quoting, parameters, q-values); a type is judged
 * by the most specific range that matches it ({@code image/webp;q=0} refuses WebP even beside
 * {@code image/*}), and a range with q=0 refuses what it matches.
 *
 * <p>AVIF and WebP must be named: browsers that cannot decode them send {@code image/*} and
 * {@code *}{@code /*} too (Safari before 16 asks for images with
 * {@code image/png,image/svg+xml,image/*;q=0.8,*}{@code /*;q=0.5}), so a wildcard is no evidence
 * that they can. JPEG, which every client decodes, is accepted by a wildcard, and by a request
 * with no {@code Accept} at all.
 */
final class AcceptedFormat {

    /** Formats every client decodes, which a wildcard (or no header) accepts. */
    private static final List<ImageFormat> UNIVERSAL = List.of(ImageFormat.JPEG);

    private AcceptedFormat() {
    }

    /**
     * The first of {@code offered} (in the server's order of preference) that {@code accept}
     * accepts; empty when it accepts none of them.
     *
     * @param accept the request's {@code Accept} header, or null when it sent none
     */
    static Optional<ImageFormat> choose(String accept, List<ImageFormat> offered) {
        if (accept == null || accept.isBlank()) {
            return offered.stream().filter(UNIVERSAL::contains).findFirst();
        }
        var ranges = new QuotedQualityCSV();
        ranges.addValue(accept);
        List<QuotedQualityCSV.QualityValue> values = ranges.getQualityValues();
        return offered.stream().filter(format -> accepts(values, format)).findFirst();
    }

    private static boolean accepts(List<QuotedQualityCSV.QualityValue> ranges, ImageFormat format) {
        String type = format.contentType();
        String family = type.substring(0, type.indexOf('/') + 1) + "*";
        boolean wildcards = UNIVERSAL.contains(format);
        Double exact = null;
        Double ofFamily = null;
        Double any = null;
        for (QuotedQualityCSV.QualityValue range : ranges) {
            String media = mediaRange(range.getValue());
            // Several ranges naming one type: the best one counts.
            if (media.equals(type)) {
                exact = max(exact, range.getWeight());
            } else if (wildcards && media.equals(family)) {
                ofFamily = max(ofFamily, range.getWeight());
            } else if (wildcards && media.equals("*/*")) {
                any = max(any, range.getWeight());
            }
        }
        Double weight = exact != null ? exact : ofFamily != null ? ofFamily : any;
        return weight != null && weight > 0;
    }

    /** The range without its parameters (q is already taken out), in lower case. */
    private static String mediaRange(String value) {
        int semicolon = value.indexOf(';');
        return (semicolon < 0 ? value : value.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
    }

    private static Double max(Double current, double weight) {
        return current == null ? weight : Math.max(current, weight);
    }
}
