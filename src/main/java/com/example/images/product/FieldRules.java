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
 * names every bad field at once rather than one per round trip. Checks that accept a URL return
 * the body with its host in ASCII (an IDN host in its punycode form), as it is stored.
 */
public final class FieldRules {

    static final int MAX_NAME = 255;
    static final int MAX_URL = 2048;
    static final int MAX_ALT = 512;
    static final int MAX_DIMENSION = 20_000;

    private final boolean allowPrivateHosts;

    /** @param allowPrivateHosts whether image URLs may name loopback, private and link-local hosts (local development) */
    public FieldRules(boolean allowPrivateHosts) {
        this.allowPrivateHosts = allowPrivateHosts;
    }

    NewProduct check(NewProduct product) {
        var rules = new Check();
        rules.name("name", product.name());
        List<NewImage> images = product.images();
        if (product.images() != null) {
            images = new ArrayList<>(product.images());
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
                images.set(i, rules.image(prefix + ".", image));
                if (image.position() != null) {
                    rules.add(prefix + ".position", "is not accepted here: the order of the images array is the gallery order");
                }
            }
        }
        rules.throwIfAny();
        return new NewProduct(product.name(), images);
    }

    void check(ProductPatch patch) {
        var rules = new Check();
        rules.name("name", patch.name());
        rules.throwIfAny();
    }

    NewImage check(NewImage image) {
        var rules = new Check();
        NewImage checked = rules.image("", image);
        if (image.position() != null && image.position() < 0) {
            rules.add("position", "must be 0 or more, got " + image.position());
        }
        rules.throwIfAny();
        return checked;
    }

    JsonBody.Parsed<ImagePatch> check(JsonBody.Parsed<ImagePatch> parsed) {
        var rules = new Check();
        ImagePatch patch = parsed.value();
        if (parsed.members().isEmpty()) {
            rules.add("(body)", "name at least one of url, thumbnailUrl, alt, width, height, position");
        }
        String url = patch.url();
        String thumbnailUrl = patch.thumbnailUrl();
        if (parsed.has("url")) {
            url = rules.url("url", patch.url(), false);
        }
        if (parsed.has("thumbnailUrl")) {
            thumbnailUrl = rules.url("thumbnailUrl", patch.thumbnailUrl(), false);
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
        return new JsonBody.Parsed<>(new ImagePatch(url, thumbnailUrl, patch.alt(), patch.width(), patch.height(),
                patch.position()), parsed.members());
    }

    void check(ImageOrder order) {
        var rules = new Check();
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

    /** One check's findings. */
    private final class Check {

        private final List<FieldError> errors = new ArrayList<>();

        private NewImage image(String prefix, NewImage image) {
            String url = url(prefix + "url", image.url(), true);
            String thumbnailUrl = image.thumbnailUrl();
            if (thumbnailUrl != null) {
                thumbnailUrl = url(prefix + "thumbnailUrl", thumbnailUrl, false);
            }
            if (image.alt() != null) {
                alt(prefix + "alt", image.alt(), false);
            }
            dimension(prefix + "width", image.width());
            dimension(prefix + "height", image.height());
            return new NewImage(url, thumbnailUrl, image.alt(), image.width(), image.height(), image.position());
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
            } else if (characters(field, value) && value.codePoints().noneMatch(FieldRules::visible)) {
                add(field, "must contain a visible character; it has only spaces and invisible (zero-width) ones");
            }
        }

        /** The URL as it is stored: its host in ASCII, an IDN host in punycode. */
        private String url(String field, String value, boolean required) {
            if (value == null) {
                add(field, required ? "is required: an absolute http or https URL" : "must not be null");
                return null;
            }
            if (value.length() > MAX_URL) {
                add(field, "must be at most " + MAX_URL + " characters, got " + value.length());
                return value;
            }
            if (!characters(field, value)) {
                return value;
            }
            ImageHosts.Parsed ascii = ImageHosts.toAscii(value);
            if (ascii.reason() != null) {
                add(field, ascii.reason());
                return value;
            }
            URI uri;
            try {
                uri = new URI(ascii.url());
            } catch (URISyntaxException e) {
                add(field, "must be an absolute http or https URL; it is malformed at index " + e.getIndex()
                        + " (" + e.getReason() + ")");
                return value;
            }
            if (!uri.isAbsolute()) {
                add(field, "must be an absolute http or https URL, not a relative one");
                return value;
            }
            String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
            // java.net.URI knows no host ending in a number unless it is a dotted quad; browsers read it as IPv4.
            String host = uri.getHost() != null ? uri.getHost()
                    : ascii.host() != null && ImageHosts.looksLikeIpv4(ascii.host()) ? ascii.host() : null;
            if (!scheme.equals("http") && !scheme.equals("https")) {
                add(field, "must use http or https, not " + shorten(scheme) + ":");
            } else if (host == null || host.isEmpty()) {
                add(field, "must name a host, as in https://cdn.example.com/image.jpg");
            } else if (uri.getPort() == 0 || uri.getPort() > 65535) {
                add(field, "must have a port between 1 and 65535, got " + uri.getPort());
            } else if (ImageHosts.looksLikeIpv4(host) && ImageHosts.ipv4(host) < 0) {
                add(field, "must name a valid host; '" + shorten(host) + "' is a malformed IPv4 address");
            } else if (!allowPrivateHosts) {
                ImageHosts.privateHost(host).ifPresent(what -> add(field, "must not point at " + what + " ("
                        + shorten(host) + "): every shopper's browser would request it; use a public host"));
            }
            return ascii.url();
        }

        private void alt(String field, String value, boolean patching) {
            if (value == null) {
                add(field, patching ? "must not be null; send \"\" for no alt text" : "must not be null");
                return;
            }
            int length = value.codePointCount(0, value.length());
            if (length > MAX_ALT) {
                add(field, "must be at most " + MAX_ALT + " characters, got " + length);
            } else if (characters(field, value) && !value.isEmpty() && value.codePoints().noneMatch(FieldRules::visible)) {
                add(field, "must not be only spaces or invisible characters; send \"\" for no alt text");
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
            if (value.codePoints().anyMatch(FieldRules::isBidiControl)) {
                add(field, "must not contain bidirectional control characters (U+202A to U+202E, U+2066 to U+2069, "
                        + "U+200E, U+200F, U+061C): they make text display in another order than it is stored");
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
    }

    private static boolean isBidiControl(int c) {
        return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) || c == 0x200E || c == 0x200F || c == 0x061C;
    }

    /** Not a space, a format character (zero-width joiners, U+FEFF), a lone combining mark or a blank filler. */
    private static boolean visible(int c) {
        if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
            return false;
        }
        int type = Character.getType(c);
        if (type == Character.FORMAT || type == Character.CONTROL || type == Character.NON_SPACING_MARK
                || type == Character.ENCLOSING_MARK || type == Character.UNASSIGNED) {
            return false;
        }
        return c != 0x115F && c != 0x1160 && c != 0x3164 && c != 0xFFA0 && c != 0x2800;
    }

    static String shorten(String value) {
        return value.length() > 20 ? value.substring(0, 20) + "…" : value;
    }
}
