package com.example.images.db;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * A PostgreSQL location given either as {@code postgres://user:pass@host:port/db?params}
 * or as a {@code jdbc:postgresql:} URL, normalised to what pgjdbc understands. Either form may
 * list several hosts ({@code host1:5432,host2:5432}): a primary and its streaming replicas, which
 * pgjdbc tells apart when it connects ({@link #primary()}, {@link #replicas()}).
 */
public record DatabaseUrl(String jdbcUrl, Optional<String> user, Optional<String> password) {

    private static final String JDBC = "jdbc:postgresql://";

    public static DatabaseUrl parse(String raw) {
        if (raw == null || raw.isBlank()) {
            throw new IllegalArgumentException("database URL is empty");
        }
        String url = raw.strip();
        if (url.startsWith("jdbc:postgresql:")) {
            return new DatabaseUrl(url, Optional.empty(), Optional.empty());
        }
        if (!url.startsWith("postgres://") && !url.startsWith("postgresql://")) {
            throw new IllegalArgumentException(
                    "database URL must start with postgres://, postgresql:// or jdbc:postgresql:, got '"
                            + redact(url) + "'");
        }
        URI uri;
        String hosts;
        try {
            // java.net.URI takes one host; libpq's multi-host form is parsed with a stand-in host.
            String authority = url.substring(url.indexOf("//") + 2).split("[/?]", 2)[0];
            String hostList = authority.substring(authority.lastIndexOf('@') + 1);
            uri = new URI(hostList.isEmpty() ? url : url.replace("@" + hostList, "@h").replace("//" + hostList, "//h"));
            hosts = hostList.isEmpty() ? "" : hostsWithPorts(hostList, url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("database URL is malformed: " + e.getReason());
        }
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("database URL has no host: '" + redact(url) + "'");
        }
        String database = uri.getPath() == null || uri.getPath().length() <= 1 ? "postgres" : uri.getPath().substring(1);
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        String jdbc = JDBC + hosts + "/" + database + query;
        Optional<String> user = Optional.empty();
        Optional<String> password = Optional.empty();
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = Optional.of(decode(parts[0]));
            if (parts.length == 2) {
                password = Optional.of(decode(parts[1]));
            }
        }
        return new DatabaseUrl(jdbc, user, password);
    }

    private static String hostsWithPorts(String hostList, String url) {
        var hosts = new StringJoiner(",");
        for (String host : hostList.split(",", -1)) {
            if (host.isEmpty() || host.startsWith(":")) {
                throw new IllegalArgumentException("database URL has an empty host: '" + redact(url) + "'");
            }
            hosts.add(host.matches(".*:\\d+") ? host : host + ":5432");
        }
        return hosts.toString();
    }

    /** How many hosts the URL lists: more than one is a primary with replicas. */
    public int hosts() {
        if (!jdbcUrl.startsWith(JDBC)) {
            return 1;
        }
        String hostList = jdbcUrl.substring(JDBC.length()).split("[/?]", 2)[0];
        return hostList.split(",").length;
    }

    /** Whether the URL lists a primary and replicas, so that reads and writes may go to different nodes. */
    public boolean replicated() {
        return hosts() > 1;
    }

    /**
     * The URL for writes: pgjdbc connects only to the node that is not in recovery
     * ({@code targetServerType=primary}), so after a failover new connections find the new primary.
     * A single-host URL is returned as it is.
     */
    public DatabaseUrl primary() {
        return replicated() ? with("targetServerType", "primary") : this;
    }

    /**
     * The URL for reads: a replica when one answers, else the primary
     * ({@code targetServerType=preferSecondary}), spread over the replicas ({@code loadBalanceHosts}).
     * A single-host URL is returned as it is.
     */
    public DatabaseUrl replicas() {
        return replicated() ? with("targetServerType", "preferSecondary").with("loadBalanceHosts", "true") : this;
    }

    /** This URL with the pgjdbc parameter {@code name} set to {@code value}, replacing any it had. */
    public DatabaseUrl with(String name, String value) {
        int q = jdbcUrl.indexOf('?');
        String base = q < 0 ? jdbcUrl : jdbcUrl.substring(0, q);
        var query = new StringJoiner("&", "?", "");
        if (q >= 0) {
            for (String parameter : jdbcUrl.substring(q + 1).split("&")) {
                if (!parameter.isEmpty() && !parameter.split("=", 2)[0].equalsIgnoreCase(name)) {
                    query.add(parameter);
                }
            }
        }
        query.add(name + "=" + value);
        return new DatabaseUrl(base + query, user, password);
    }

    /** The URL without credentials, safe to print. */
    public String display() {
        return redact(jdbcUrl);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    static String redact(String url) {
        return url.replaceAll("//[^@/]*@", "//***@").replaceAll("(?i)(password=)[^&]*", "$1***");
    }

    @Override
    public String toString() {
        return display();
    }
}
