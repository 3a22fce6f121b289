package com.example.images.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads a JSON request body into a record, strictly: {@code application/json} only (415),
 * at most {@link #MAX_BYTES} (413), well-formed with no duplicate or unknown members (400),
 * and every member of the type the record declares, with no coercion of {@code "12"} to 12
 * or of 1.5 to 1 (422, naming the field).
 */
public final class JsonBody {

    /** The largest body accepted; Javalin's own limit is set to the same. */
    public static final int MAX_BYTES = 64 * 1024;

    /** A parsed body, and which top-level members it had (present with null counts as present). */
    public record Parsed<T>(T value, Set<String> members) {
        public boolean has(String member) {
            return members.contains(member);
        }
    }

    private final ObjectMapper mapper = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            // Jackson turns 42 or true into "42" or "true" for a string field unless told not to.
            .withCoercionConfig(LogicalType.Textual, config -> config
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .build();

    public <T> Parsed<T> read(Context ctx, Class<T> type) {
        requireJsonContentType(ctx);
        requireNoContentEncoding(Collections.list(ctx.req().getHeaders("Content-Encoding")));
        requireSmallEnough(ctx.header("Content-Length"));
        byte[] bytes = body(ctx);
        if (bytes.length > MAX_BYTES) {
            throw tooLarge();
        }
        if (bytes.length == 0) {
            throw ProblemException.badRequest("The request body is empty; send a JSON object.");
        }
        requireUtf8(bytes);
        JsonNode tree;
        try {
            tree = mapper.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw malformed(e);
        } catch (IOException e) {
            throw ProblemException.badRequest("The request body could not be read.");
        }
        if (tree == null || !tree.isObject()) {
            throw ProblemException.badRequest("The request body must be a JSON object, got "
                    + (tree == null ? "nothing" : article(tree.getNodeType().name().toLowerCase(Locale.ROOT))) + ".");
        }
        var members = new LinkedHashSet<String>();
        tree.fieldNames().forEachRemaining(members::add);
        try {
            return new Parsed<>(mapper.treeToValue(tree, type), Set.copyOf(members));
        } catch (UnrecognizedPropertyException e) {
            String field = path(e.getPath());
            throw ProblemException.invalidBody(400, "Bad Request",
                    "Unknown field " + field + "; the accepted fields are " + known(e.getKnownPropertyIds()) + ".",
                    List.of(new FieldError(field, "unknown field")));
        } catch (MismatchedInputException e) {
            throw ProblemException.invalidField(path(e.getPath()), "must be " + describe(e.getTargetType()));
        } catch (JsonMappingException e) {
            throw ProblemException.invalidField(path(e.getPath()), "has a value of the wrong type or out of range");
        } catch (InputCoercionException e) {
            throw ProblemException.invalidField(fieldOf(e), "is out of range");
        } catch (JsonProcessingException e) {
            throw malformed(e);
        }
    }

    private static void requireJsonContentType(Context ctx) {
        String contentType = ctx.header("Content-Type");
        if (contentType == null || contentType.isBlank()) {
            throw unsupported("The request has no Content-Type; send the body as application/json.");
        }
        String[] parts = contentType.split(";");
        String mediaType = parts[0].trim().toLowerCase(Locale.ROOT);
        if (!mediaType.equals("application/json")) {
            throw unsupported("The Content-Type must be application/json, got '" + printable(mediaType) + "'.");
        }
        for (int i = 1; i < parts.length; i++) {
            String[] parameter = parts[i].trim().split("=", 2);
            if (parameter[0].trim().equalsIgnoreCase("charset") && parameter.length == 2
                    && !parameter[1].trim().replace("\"", "").equalsIgnoreCase("utf-8")) {
                throw unsupported("JSON bodies must be UTF-8, got charset '" + printable(parameter[1].trim()) + "'.");
            }
        }
    }

    /** The body's bytes; a 408 problem when it arrives too slowly ({@link ErrorMapping#bodyTooSlow}). */
    private static byte[] body(Context ctx) {
        try {
            return ctx.bodyAsBytes();
        } catch (Exception e) {
            if (ErrorMapping.bodyTooSlow(e)) {
                throw ErrorMapping.tooSlow();
            }
            throw e;
        }
    }

    /** Nothing decodes a compressed request body here: read as it is, it would be parsed as garbage. */
    private static void requireNoContentEncoding(List<String> contentEncodings) {
        for (String header : contentEncodings) {
            for (String coding : header.split(",")) {
                String name = coding.trim().toLowerCase(Locale.ROOT);
                if (!name.isEmpty() && !name.equals("identity")) {
                    throw new ProblemException(new Problem(415, "Unsupported Media Type",
                            "A request body with Content-Encoding '" + printable(name) + "' is not accepted; send it uncompressed."),
                            Map.of("Accept-Encoding", "identity"));
                }
            }
        }
    }

    /**
     * JSON bodies are UTF-8 (RFC 8259). Jackson would detect UTF-16 and UTF-32 by their byte
     * order mark or by the zero bytes around the first ASCII character and read them anyway,
     * which the docs never promised. A body in one of them is refused with 415 (RFC 9110 allows
     * it for a format found by inspecting the content); a UTF-8 byte order mark is let through.
     */
    private static void requireUtf8(byte[] bytes) {
        String encoding = wideEncoding(bytes);
        if (encoding != null) {
            throw unsupported("JSON bodies must be UTF-8; this one is " + encoding + ".");
        }
    }

    /** UTF-16 or UTF-32 as Jackson would detect them, or null. */
    static String wideEncoding(byte[] b) {
        int n = b.length;
        if (n >= 4 && b[0] == 0 && b[1] == 0 && (b[2] & 0xff) == 0xfe && (b[3] & 0xff) == 0xff) {
            return "UTF-32BE (with a byte order mark)";
        }
        if (n >= 4 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xfe && b[2] == 0 && b[3] == 0) {
            return "UTF-32LE (with a byte order mark)";
        }
        if (n >= 2 && (b[0] & 0xff) == 0xfe && (b[1] & 0xff) == 0xff) {
            return "UTF-16BE (with a byte order mark)";
        }
        if (n >= 2 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xfe) {
            return "UTF-16LE (with a byte order mark)";
        }
        if (n >= 4 && b[0] == 0 && b[1] == 0 && b[2] == 0) {
            return "UTF-32BE";
        }
        if (n >= 4 && b[1] == 0 && b[2] == 0 && b[3] == 0) {
            return "UTF-32LE";
        }
        if (n >= 2 && b[0] == 0) {
            return "UTF-16BE";
        }
        if (n >= 2 && b[1] == 0) {
            return "UTF-16LE";
        }
        return null;
    }

    private static void requireSmallEnough(String contentLength) {
        if (contentLength == null) {
            return;
        }
        try {
            if (Long.parseLong(contentLength.trim()) > MAX_BYTES) {
                throw tooLarge();
            }
        } catch (NumberFormatException e) {
            throw ProblemException.badRequest("The Content-Length header is not a number.");
        }
    }

    private static ProblemException unsupported(String detail) {
        return new ProblemException(new Problem(415, "Unsupported Media Type", detail),
                Map.of("Accept-Post", "application/json", "Accept-Patch", "application/json"));
    }

    private static ProblemException tooLarge() {
        return new ProblemException(new Problem(413, "Content Too Large",
                "The request body is larger than " + MAX_BYTES + " bytes, the most accepted."));
    }

    private static ProblemException malformed(JsonProcessingException e) {
        String where = e.getLocation() == null ? ""
                : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
        String why = e.getOriginalMessage() == null ? "" : ": " + firstLine(e.getOriginalMessage());
        return ProblemException.badRequest("The request body is not well-formed JSON" + where + why);
    }

    /** A path like {@code images[2].url} from Jackson's references. */
    static String path(List<JsonMappingException.Reference> references) {
        var out = new StringBuilder();
        for (JsonMappingException.Reference reference : references) {
            if (reference.getFieldName() != null) {
                if (!out.isEmpty()) {
                    out.append('.');
                }
                out.append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                out.append('[').append(reference.getIndex()).append(']');
            }
        }
        return out.isEmpty() ? "(body)" : out.toString();
    }

    private static String fieldOf(InputCoercionException e) {
        try {
            JsonParser parser = (JsonParser) e.getProcessor();
            String name = parser == null ? null : parser.currentName();
            return name == null ? "(body)" : name;
        } catch (IOException | RuntimeException unknown) {
            return "(body)";
        }
    }

    private static String describe(Class<?> type) {
        if (type == null) {
            return "of another type";
        }
        if (type == Integer.class || type == int.class) {
            return "a whole number (JSON integer)";
        }
        if (type == Long.class || type == long.class) {
            return "a positive whole number (a 64-bit id)";
        }
        if (type == String.class) {
            return "a string";
        }
        if (Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        return "a JSON object";
    }

    private static String known(Collection<Object> ids) {
        return ids == null ? "listed in /openapi.json" : ids.stream().map(String::valueOf).sorted().toList().toString();
    }

    private static String article(String word) {
        return ("aeiou".indexOf(word.charAt(0)) >= 0 ? "an " : "a ") + word;
    }

    private static String firstLine(String message) {
        String line = message.lines().findFirst().orElse(message);
        return printable(line.length() > 200 ? line.substring(0, 200) + "…" : line);
    }

    private static String printable(String s) {
        String cut = s.length() > 80 ? s.substring(0, 80) + "…" : s;
        return cut.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }
}
