package com.example.images.http;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One thing wrong with one field of a request body, as listed in a problem's {@code errors}.
 *
 * @param field  where the field is, as a JSON path relative to the body ({@code images[2].url})
 * @param reason what is wrong with it, in words a client developer can act on
 */
public record FieldError(String field, String reason) {

    Map<String, Object> toJson() {
        var json = new LinkedHashMap<String, Object>();
        json.put("field", field);
        json.put("reason", reason);
        return json;
    }
}
