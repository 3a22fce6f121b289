package com.example.images.auth;

import com.example.images.http.Problem;
import com.example.images.http.ProblemException;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.util.Collections;
import java.util.Map;

/**
 * Guards the write routes with {@code Authorization: Bearer <token>}. It runs before the
 * handler reads anything, so an unauthenticated client learns nothing about validation.
 * Reads stay public; the merchant's product view also checks a token when one is sent, so a
 * client can learn whether its token is good without writing (RFC 6750's invalid_token).
 */
public final class BearerAuth {

    static final String CHALLENGE = "Bearer realm=\"images\"";
    static final String HOW_TO_CONFIGURE = "Writes are disabled because no API token is configured. "
            + "Start the service with IMAGES_API_TOKENS=<token>[,<token>…] or --api-tokens-file <file> "
            + "(one token per line, # for comments), then send Authorization: Bearer <token>.";

    private final ApiTokens tokens;

    public BearerAuth(ApiTokens tokens) {
        this.tokens = tokens;
    }

    /** {@code handler}, run only for a request that carries a configured token. */
    public Handler guard(Handler handler) {
        return ctx -> {
            check(ctx, "This write needs an Authorization: Bearer <token> header.");
            handler.handle(ctx);
        };
    }

    /**
     * {@code handler} for a request without {@code Authorization}, as if unguarded; a request
     * that sends one has it checked as a write's is, so a wrong token is a 401, not ignored.
     */
    public Handler checkIfSent(Handler handler) {
        return ctx -> {
            if (ctx.req().getHeader("Authorization") != null) {
                check(ctx, "An Authorization header here must be Bearer <token>; without it this read is public.");
            }
            handler.handle(ctx);
        };
    }

    private void check(Context ctx, String withoutBearer) {
        if (tokens.isEmpty()) {
            throw new ProblemException(new Problem(403, "Forbidden", HOW_TO_CONFIGURE));
        }
        var authorizations = Collections.list(ctx.req().getHeaders("Authorization"));
        if (authorizations.size() > 1) {
            // Which one counts would depend on who reads the request: the first, the last, or both joined.
            throw ProblemException.badRequest("The request has " + authorizations.size()
                    + " Authorization headers; send exactly one: Authorization: Bearer <token>.");
        }
        String presented = bearerToken(authorizations.isEmpty() ? null : authorizations.getFirst());
        if (presented == null) {
            // No bearer credentials at all (or another scheme): RFC 6750 sends no error code then.
            throw new ProblemException(new Problem(401, "Unauthorized", withoutBearer),
                    Map.of("WWW-Authenticate", CHALLENGE));
        }
        if (!tokens.accepts(presented)) {
            throw new ProblemException(new Problem(401, "Unauthorized",
                    "The bearer token is not one of the configured API tokens."),
                    Map.of("WWW-Authenticate", CHALLENGE + ", error=\"invalid_token\""));
        }
    }

    private static String bearerToken(String authorization) {
        if (authorization == null) {
            return null;
        }
        String value = authorization.strip();
        int space = value.indexOf(' ');
        if (space < 0 || !value.substring(0, space).equalsIgnoreCase("Bearer")) {
            return null;
        }
        String token = value.substring(space + 1).strip();
        return token.isEmpty() ? null : token;
    }
}
