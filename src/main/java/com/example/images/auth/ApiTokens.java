package com.example.images.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The bearer tokens that may write. Only their SHA-256 digests are kept, so no token can be
 * printed, logged or dumped from here, and comparing digests with {@link MessageDigest#isEqual}
 * takes the same time whatever the presented token's length or where it differs.
 */
public final class ApiTokens {

    /** Long enough that guessing is hopeless; the demo token is far longer. */
    public static final int MIN_LENGTH = 16;
    // RFC 6750 b64token: what may follow "Bearer " in a header.
    private static final Pattern B64TOKEN = Pattern.compile("[A-Za-z0-9\\-._~+/]+=*");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final List<byte[]> digests;

    private ApiTokens(List<byte[]> digests) {
        this.digests = List.copyOf(digests);
    }

    public static ApiTokens none() {
        return new ApiTokens(List.of());
    }

    /** Tokens given directly; each must be a valid bearer token of at least {@link #MIN_LENGTH} characters. */
    public static ApiTokens of(String... tokens) {
        var digests = new ArrayList<byte[]>();
        for (int i = 0; i < tokens.length; i++) {
            digests.add(digest(check(tokens[i], "token " + (i + 1))));
        }
        return new ApiTokens(digests);
    }

    /**
     * Tokens from {@code IMAGES_API_TOKENS} (comma-separated) and from a file with one token per
     * line, where blank lines and lines starting with # are skipped. Messages name the source and
     * position of a bad token, never the token itself.
     */
    public static ApiTokens load(String commaSeparated, Optional<Path> file) {
        var digests = new ArrayList<byte[]>();
        if (commaSeparated != null && !commaSeparated.isBlank()) {
            String[] parts = commaSeparated.split(",", -1);
            for (int i = 0; i < parts.length; i++) {
                String token = parts[i].strip();
                if (!token.isEmpty()) {
                    digests.add(digest(check(token, "IMAGES_API_TOKENS entry " + (i + 1))));
                }
            }
        }
        if (file.isPresent()) {
            List<String> lines;
            try {
                lines = Files.readAllLines(file.get(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalArgumentException("--api-tokens-file: cannot read " + file.get() + " ("
                        + e.getClass().getSimpleName() + ")");
            }
            int before = digests.size();
            for (int i = 0; i < lines.size(); i++) {
                String token = lines.get(i).strip();
                if (!token.isEmpty() && !token.startsWith("#")) {
                    digests.add(digest(check(token, "--api-tokens-file " + file.get() + " line " + (i + 1))));
                }
            }
            if (digests.size() == before) {
                throw new IllegalArgumentException("--api-tokens-file: " + file.get() + " holds no token");
            }
        }
        return new ApiTokens(digests);
    }

    /** A fresh random token: 32 bytes from SecureRandom, base64url without padding. */
    public static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public ApiTokens plus(String token) {
        var more = new ArrayList<>(digests);
        more.add(digest(check(token, "token")));
        return new ApiTokens(more);
    }

    public boolean isEmpty() {
        return digests.isEmpty();
    }

    public int size() {
        return digests.size();
    }

    /** Whether {@code presented} is one of the tokens; every digest is compared, match or not. */
    public boolean accepts(String presented) {
        if (presented == null) {
            return false;
        }
        byte[] candidate = digest(presented);
        boolean found = false;
        for (byte[] digest : digests) {
            found |= MessageDigest.isEqual(digest, candidate);
        }
        return found;
    }

    private static String check(String token, String where) {
        if (token == null || token.length() < MIN_LENGTH) {
            throw new IllegalArgumentException(where + ": an API token must be at least " + MIN_LENGTH
                    + " characters long, got " + (token == null ? 0 : token.length()));
        }
        if (!B64TOKEN.matcher(token).matches()) {
            throw new IllegalArgumentException(where + ": an API token may contain only letters, digits and - . _ ~ + / "
                    + "(then = padding), as in an Authorization: Bearer header");
        }
        return token;
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "ApiTokens[" + digests.size() + " configured]";
    }
}
