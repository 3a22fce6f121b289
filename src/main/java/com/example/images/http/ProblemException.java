package com.example.images.http;

import java.util.LinkedHashMap;
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

    /** A 400 for a path or query parameter that is not valid, naming the parameter. */
    public static ProblemException invalidParameter(String name, String detail) {
        var extra = new LinkedHashMap<String, Object>();
        extra.put("parameter", name);
        return new ProblemException(new Problem(400, "Invalid parameter", detail, extra));
    }
}
