package com.example.images.http;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Thrown where input enters; the error mapper turns it into problem+json. */
public class ProblemException extends RuntimeException {

    private final transient Problem problem;
    private final transient Map<String, String> headers;

    public ProblemException(Problem problem) {
        this(problem, Map.of());
    }

    public ProblemException(Problem problem, Map<String, String> headers) {
        super(problem.detail(), null, false, false);
        this.problem = problem;
        this.headers = Map.copyOf(headers);
    }

    public Problem problem() {
        return problem;
    }

    public Map<String, String> headers() {
        return headers;
    }

    public static ProblemException badRequest(String detail) {
        return new ProblemException(new Problem(400, "Bad Request", detail));
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(new Problem(404, "Not Found", detail));
    }

    /**
     * A problem with the request body as a whole or with some of its fields: every field is
     * named in the {@code errors} member, and the first one also in {@code field}.
     */
    public static ProblemException invalidBody(int status, String title, String detail, List<FieldError> errors) {
        var extra = new LinkedHashMap<String, Object>();
        if (!errors.isEmpty()) {
            extra.put("field", errors.getFirst().field());
            extra.put("errors", Echo.firstFew(errors).stream().map(FieldError::toJson).toList());
            extra.put("errorCount", errors.size());
        }
        return new ProblemException(new Problem(status, title, detail, extra));
    }

    /** A 422: the body is well-formed JSON, but these fields break the rules. */
    public static ProblemException invalidFields(List<FieldError> errors) {
        String detail = errors.size() == 1
                ? errors.getFirst().field() + ": " + errors.getFirst().reason()
                : errors.size() + " fields are invalid; the first is " + errors.getFirst().field() + ": "
                        + errors.getFirst().reason();
        return invalidBody(422, "Unprocessable Content", detail, errors);
    }

    /**
     * A 422 with its own detail and further members besides the field errors. A member that is
     * a list is echoed as its first few items, with its size in a {@code …Count} member beside it.
     */
    public static ProblemException invalidFields(String detail, List<FieldError> errors, Map<String, Object> members) {
        var extra = new LinkedHashMap<>(invalidBody(422, "Unprocessable Content", detail, errors).problem().extra());
        members.forEach((name, value) -> {
            if (value instanceof Collection<?> list) {
                extra.put(name, Echo.firstFew(list));
                extra.put(name + "Count", list.size());
            } else {
                extra.put(name, value);
            }
        });
        return new ProblemException(new Problem(422, "Unprocessable Content", detail, extra));
    }

    /** A 422 for one field. */
    public static ProblemException invalidField(String field, String reason) {
        return invalidFields(List.of(new FieldError(field, reason)));
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(new Problem(409, "Conflict", detail));
    }

    /** A 400 for a path or query parameter that is not valid, naming the parameter. */
    public static ProblemException invalidParameter(String name, String detail) {
        var extra = new LinkedHashMap<String, Object>();
        extra.put("parameter", name);
        return new ProblemException(new Problem(400, "Invalid parameter", detail, extra));
    }
}
