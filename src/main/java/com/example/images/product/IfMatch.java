package com.example.images.product;

import com.example.images.gallery.GalleryJson;
import com.example.images.http.EntityTags;
import com.example.images.http.Problem;
import com.example.images.http.ProblemException;
import java.util.Map;

/**
 * A write's {@code If-Match} precondition against the product's version: absent means
 * unconditional, {@code *} means "if the product exists", otherwise one of the listed strong
 * ETags must be the current one (weak ETags never match, as RFC 9110 requires).
 */
record IfMatch(String header) {

    static IfMatch none() {
        return new IfMatch(null);
    }

    void check(long productId, long version) {
        if (header == null) {
            return;
        }
        String current = GalleryJson.etag(productId, version);
        if (EntityTags.match(header, current)) {
            return;
        }
        throw new ProblemException(new Problem(412, "Precondition Failed",
                "If-Match " + shorten(header) + " does not match the product's current ETag " + current
                        + ": it changed since you read it. Read it again, reapply your change and retry with the new ETag."),
                Map.of("ETag", current));
    }

    private static String shorten(String value) {
        String cut = value.length() > 100 ? value.substring(0, 100) + "…" : value;
        return cut.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }
}
