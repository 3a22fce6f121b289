package com.example.images.seed;

import com.example.images.catalog.GeneratedImage;
import java.util.List;

/**
 * How generated rows become bytes: PostgreSQL's COPY text or binary format, or CSV with a
 * header row. The column lists are the tables' own column names, in the order written.
 */
sealed interface RowFormat permits RowFormat.CopyText, RowFormat.CopyBinary, RowFormat.Csv {

    List<String> PRODUCT_COLUMNS = List.of("id", "name");
    List<String> IMAGE_COLUMNS = List.of("product_id", "position", "id", "url", "thumbnail_url", "alt", "width", "height");

    /** What comes before the first row: a header, or nothing. */
    void start(Bytes out, List<String> columns);

    void product(Bytes out, long id, String name);

    void image(Bytes out, long productId, long imageId, GeneratedImage image);

    /** What comes after the last row: a trailer, or nothing. */
    void end(Bytes out);

    /** The COPY options for this format, without FREEZE. */
    String copyOptions();

    static RowFormat copy(String name) {
        return switch (name) {
            case "text" -> new CopyText();
            case "binary" -> new CopyBinary();
            default -> throw new IllegalArgumentException("--format must be text or binary, got '" + name + "'");
        };
    }

    /** COPY text format: tab-separated, backslash escapes. */
    final class CopyText implements RowFormat {

        @Override
        public void start(Bytes out, List<String> columns) {
        }

        @Override
        public void product(Bytes out, long id, String name) {
            out.decimal(id).write('\t');
            text(out, name).write('\n');
        }

        @Override
        public void image(Bytes out, long productId, long imageId, GeneratedImage image) {
            out.decimal(productId).write('\t').decimal(image.position()).write('\t').decimal(imageId).write('\t');
            text(out, image.url()).write('\t');
            text(out, image.thumbnailUrl()).write('\t');
            text(out, image.alt()).write('\t');
            out.decimal(image.width()).write('\t').decimal(image.height()).write('\n');
        }

        @Override
        public void end(Bytes out) {
        }

        @Override
        public String copyOptions() {
            return "FORMAT text";
        }

        private static Bytes text(Bytes out, String s) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '\\' || c == '\t' || c == '\n' || c == '\r') {
                    return escaped(out, s);
                }
            }
            return out.utf8(s);
        }

        private static Bytes escaped(Bytes out, String s) {
            var sb = new StringBuilder(s.length() + 8);
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '\\' -> sb.append("\\\\");
                    case '\t' -> sb.append("\\t");
                    case '\n' -> sb.append("\\n");
                    case '\r' -> sb.append("\\r");
                    default -> sb.append(c);
                }
            }
            return out.utf8(sb.toString());
        }
    }

    /** COPY binary format: a signature, then each field as a length and its bytes. */
    final class CopyBinary implements RowFormat {

        private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0};

        @Override
        public void start(Bytes out, List<String> columns) {
            out.write(SIGNATURE).int32(0).int32(0);
        }

        @Override
        public void product(Bytes out, long id, String name) {
            out.int16(2);
            out.int32(8).int64(id);
            text(out, name);
        }

        @Override
        public void image(Bytes out, long productId, long imageId, GeneratedImage image) {
            out.int16(8);
            out.int32(8).int64(productId);
            out.int32(4).int32(image.position());
            out.int32(8).int64(imageId);
            text(out, image.url());
            text(out, image.thumbnailUrl());
            text(out, image.alt());
            out.int32(4).int32(image.width());
            out.int32(4).int32(image.height());
        }

        @Override
        public void end(Bytes out) {
            out.int16(-1);
        }

        @Override
        public String copyOptions() {
            return "FORMAT binary";
        }

        private static void text(Bytes out, String s) {
            int at = out.length();
            out.int32(0).utf8(s);
            out.putInt32(at, out.length() - at - 4);
        }
    }

    /** CSV as PostgreSQL reads it with {@code FORMAT csv, HEADER}: quoted where needed, no NULLs. */
    final class Csv implements RowFormat {

        @Override
        public void start(Bytes out, List<String> columns) {
            out.utf8(String.join(",", columns)).write('\n');
        }

        @Override
        public void product(Bytes out, long id, String name) {
            out.decimal(id).write(',');
            text(out, name).write('\n');
        }

        @Override
        public void image(Bytes out, long productId, long imageId, GeneratedImage image) {
            out.decimal(productId).write(',').decimal(image.position()).write(',').decimal(imageId).write(',');
            text(out, image.url()).write(',');
            text(out, image.thumbnailUrl()).write(',');
            text(out, image.alt()).write(',');
            out.decimal(image.width()).write(',').decimal(image.height()).write('\n');
        }

        @Override
        public void end(Bytes out) {
        }

        @Override
        public String copyOptions() {
            return "FORMAT csv, HEADER true";
        }

        // An empty unquoted field would read back as NULL, so empty strings are quoted too.
        private static Bytes text(Bytes out, String s) {
            boolean quote = s.isEmpty();
            for (int i = 0; i < s.length() && !quote; i++) {
                char c = s.charAt(i);
                quote = c == ',' || c == '"' || c == '\n' || c == '\r';
            }
            if (!quote) {
                return out.utf8(s);
            }
            return out.write('"').utf8(s.replace("\"", "\"\"")).write('"');
        }
    }
}
