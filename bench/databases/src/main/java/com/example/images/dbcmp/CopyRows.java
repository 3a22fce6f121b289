package com.example.images.dbcmp;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import org.postgresql.copy.CopyIn;

/**
 * Rows for COPY's CSV format ({@code FORMAT csv}), every text quoted (so an empty one is not NULL),
 * written to the server in blocks of about 1 MB.
 */
final class CopyRows {

    private final CopyIn copy;
    private final StringBuilder block = new StringBuilder(1 << 20);

    CopyRows(CopyIn copy) {
        this.copy = copy;
    }

    CopyRows field(String value) {
        block.append('"').append(value.replace("\"", "\"\"")).append("\",");
        return this;
    }

    CopyRows field(long value) {
        block.append(value).append(',');
        return this;
    }

    void endRow() throws SQLException {
        block.setLength(block.length() - 1);
        block.append('\n');
        if (block.length() >= 1 << 20) {
            flush();
        }
    }

    long finish() throws SQLException {
        flush();
        return copy.endCopy();
    }

    private void flush() throws SQLException {
        byte[] bytes = block.toString().getBytes(StandardCharsets.UTF_8);
        copy.writeToCopy(bytes, 0, bytes.length);
        block.setLength(0);
    }
}
