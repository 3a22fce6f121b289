package com.example.images.product;

import com.example.images.http.FieldError;
import com.example.images.http.JsonBody;
import com.example.images.http.ProblemException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The field rules of the write API. Each check adds what is wrong to a list, so that one 422
 * names every bad field at once rather than one per round trip.
 */
final class FieldRules {

    static final int MAX_NAME = 255;
    static final int MAX_URL = 2048;
    static final int MAX_ALT = 512;
    static final int MAX_DIMENSION = 20_000;

    private final List<FieldError> errors = new ArrayList<>();

    static void check(NewProduct product) {
        var rules = new FieldRules();
        rules.name("name", product.name());
        if (product.images() != null) {
            if (product.images().size() > ProductWrites.MAX_IMAGES) {
                rules.add("images", "must have at most " + ProductWrites.MAX_IMAGES + " items, got " + product.images().size());
            }
            for (int i = 0; i < product.images().size(); i++) {
                NewImage image = product.images().get(i);
                String prefix = "images[" + i + "]";
                if (image == null) {
                    rules.add(prefix, "must be an image object, not null");
                    continue;
                }
                rules.image(prefix + ".", image);
                if (image.position() != null) {
                    rules.add(prefix + ".position", "is not accepted here: the order of the images array is the gallery order");
                }
            }
        }
        rules.throwIfAny();
    }

    static void check(ProductPatch patch) {
        var rules = new FieldRules();
        rules.name("name", patch.name());
        rules.throwIfAny();
    }

    static void check(NewImage image) {
        var rules = new FieldRules();
        rules.image("", image);
        if (image.position() != null && image.position() < 0) {
            rules.add("position", "must be 0 or more, got " + image.position());
        }
        rules.throwIfAny();
    }

    static void check(JsonBody.Parsed<ImagePatch> parsed) {
        var rules = new FieldRules();
        ImagePatch patch = parsed.value();
        if (parsed.members().isEmpty()) {
            rules.add("(body)", "name at least one of url, thumbnailUrl, alt, width, height, position");
        }
        if (parsed.has("url")) {
            rules.url("url", patch.url(), false);
        }
        if (parsed.has("thumbnailUrl")) {
            rules.url("thumbnailUrl", patch.thumbnailUrl(), false);
        }
        if (parsed.has("alt")) {
            rules.alt("alt", patch.alt(), true);
        }
        rules.dimension("width", patch.width());
        rules.dimension("height", patch.height());
        if (parsed.has("position")) {
            if (patch.position() == null) {
                rules.add("position", "must not be null");
            } else if (patch.position() < 0) {
                rules.add("position", "must be 0 or more, got " + patch.position());
            }
        }
        rules.throwIfAny();
    }

    static void check(ImageOrder order) {
        var rules = new FieldRules();
        if (order.imageIds() == null) {
            rules.add("imageIds", "is required: every image id of the product, in the new order");
        } else {
            for (int i = 0; i < order.imageIds().size(); i++) {
                Long id = order.imageIds().get(i);
                if (id == null) {
                    rules.add("imageIds[" + i + "]", "must be an image id, not null");
                } else if (id < 1) {
                    rules.add("imageIds[" + i + "]", "must be a positive image id, got " + id);
                }
            }
        }
        rules.throwIfAny();
    }

    private void image(String prefix, NewImage image) {
        url(prefix + "url", image.url(), true);
        if (image.thumbnailUrl() != null) {
            url(prefix + "thumbnailUrl", image.thumbnailUrl(), false);
        }
        if (image.alt() != null) {
            alt(prefix + "alt", image.alt(), false);
        }
        dimension(prefix + "width", image.width());
        dimension(prefix + "height", image.height());
    }

    private void name(String field, String value) {
        if (value == null) {
            add(field, "is required: 1 to " + MAX_NAME + " characters, not blank");
            return;
        }
        int length = value.codePointCount(0, value.length());
        if (length > MAX_NAME) {
            add(field, "must be at most " + MAX_NAME + " characters, got " + length);
        } else if (value.isBlank()) {
            add(field, "must not be blank");
        } else {
            characters(field, value);
        }
    }

    private void url(String field, String value, boolean required) {
        if (value == null) {
            add(field, required ? "is required: an absolute http or https URL" : "must not be null");
            return;
        }
        if (value.length() > MAX_URL) {
            add(field, "must be at most " + MAX_URL + " characters, got " + value.length());
            return;
        }
        if (!characters(field, value)) {
            return;
        }
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            add(field, "must be an absolute http or https URL; it is malformed at index " + e.getIndex()
                    + " (" + e.getReason() + ")");
            return;
        }
        if (!uri.isAbsolute()) {
            add(field, "must be an absolute http or https URL, not a relative one");
            return;
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            add(field, "must use http or https, not " + shorten(scheme) + ":");
        } else if (uri.getHost() == null || uri.getHost().isEmpty()) {
            add(field, "must name a host, as in https://cdn.example.com/image.jpg");
        }
    }

    private void alt(String field, String value, boolean patching) {
        if (value == null) {
            add(field, patching ? "must not be null; send \"\" for no alt text" : "must not be null");
            return;
        }
        int length = value.codePointCount(0, value.length());
        if (length > MAX_ALT) {
            add(field, "must be at most " + MAX_ALT + " characters, got " + length);
        } else {
            characters(field, value);
        }
    }

    private void dimension(String field, Integer value) {
        if (value != null && (value < 1 || value > MAX_DIMENSION)) {
            add(field, "must be between 1 and " + MAX_DIMENSION + " pixels, got " + value);
        }
    }

    private void add(String field, String reason) {
        errors.add(new FieldError(field, reason));
    }

    private void throwIfAny() {
        if (!errors.isEmpty()) {
            throw ProblemException.invalidFields(errors);
        }
    }

    /**
     * Whether the text holds only characters that can be stored as they are: no control
     * characters, and no half of a UTF-16 surrogate pair, which JSON's \\u escapes can carry
     * but UTF-8 cannot (the driver stored it as '?', which turned a URL's path into a query).
     */
    private boolean characters(String field, String value) {
        if (value.codePoints().anyMatch(Character::isISOControl)) {
            add(field, "must not contain control characters (such as newlines or NUL)");
            return false;
        }
        int lone = value.codePoints().filter(c -> c <= Character.MAX_VALUE && Character.isSurrogate((char) c))
                .findFirst().orElse(-1);
        if (lone >= 0) {
            add(field, "must be valid Unicode text; it holds a lone surrogate \\u" + Integer.toHexString(lone)
                    + ", half of a pair");
            return false;
        }
        return true;
    }

    private static String shorten(String value) {
        return value.length() > 20 ? value.substring(0, 20) + "…" : value;
    }
}
