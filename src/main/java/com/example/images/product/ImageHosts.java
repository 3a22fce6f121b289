package com.example.images.product;

import java.net.IDN;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The host of an image URL as a browser will read it: an internationalised name in its ASCII
 * (punycode) form, and whether it names this network rather than the internet. Browsers read
 * {@code 2130706433}, {@code 0x7f.1} and {@code １２７.0.0.1} as 127.0.0.1 (the WHATWG URL
 * standard), so the check parses IPv4 the same way; no name is looked up in DNS.
 */
final class ImageHosts {

    /** scheme, then {@code //authority}, then the rest; what is not of this shape java.net.URI judges. */
    private static final Pattern SPLIT = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*)://([^/?#]*)(.*)$", Pattern.DOTALL);
    private static final Pattern PORT = Pattern.compile(":([0-9]*)$");

    private ImageHosts() {
    }

    /** A URL with its host made ASCII, and that host (null when the URL has no authority); or why not, as a field reason. */
    record Parsed(String url, String host, String reason) {
    }

    /** The URL with its host in ASCII, or why it cannot be: userinfo, or a host that is no valid name. */
    static Parsed toAscii(String url) {
        Matcher m = SPLIT.matcher(url);
        if (!m.matches()) {
            return new Parsed(url, null, null);
        }
        String authority = m.group(2);
        if (authority.contains("@")) {
            return new Parsed(url, null, "must not contain a user name or password (user:password@): browsers would send them, or refuse the URL");
        }
        String port = "";
        String host = authority;
        if (!authority.startsWith("[")) {
            Matcher p = PORT.matcher(authority);
            if (p.find()) {
                port = p.group();
                host = authority.substring(0, p.start());
            }
        }
        if (host.chars().anyMatch(c -> c > 0x7f)) {
            try {
                host = IDN.toASCII(host, IDN.ALLOW_UNASSIGNED);
            } catch (IllegalArgumentException e) {
                return new Parsed(url, null, "must name a valid host; '" + FieldRules.shorten(host) + "' is not a domain name ("
                        + e.getMessage() + ")");
            }
        }
        return new Parsed(m.group(1) + "://" + host + port + m.group(3), host, null);
    }

    /**
     * Why the host names a loopback, private, link-local, unspecified or multicast address, or
     * a name only this network resolves ({@code localhost}, {@code .local}, {@code .internal});
     * empty for a public one.
     */
    static Optional<String> privateHost(String host) {
        String name = host.toLowerCase(Locale.ROOT);
        while (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        if (name.startsWith("[") && name.endsWith("]")) {
            return literal(name.substring(1, name.length() - 1)).filter(ImageHosts::isPrivate).map(a -> "an address of this network");
        }
        Long ipv4 = ipv4(name);
        if (ipv4 != null) {
            byte[] bytes = {(byte) (ipv4 >> 24), (byte) (ipv4 >> 16), (byte) (ipv4 >> 8), (byte) (long) ipv4};
            try {
                return isPrivate(InetAddress.getByAddress(bytes)) ? Optional.of("an address of this network") : Optional.empty();
            } catch (UnknownHostException impossible) {
                throw new IllegalStateException(impossible);
            }
        }
        for (String local : new String[]{"localhost", "local", "internal", "localdomain", "home.arpa"}) {
            if (name.equals(local) || name.endsWith("." + local)) {
                return Optional.of("a name only this network resolves");
            }
        }
        return Optional.empty();
    }

    /** Whether the host ends in a number, which browsers then read as an IPv4 address (WHATWG). */
    static boolean looksLikeIpv4(String host) {
        String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        String last = name.substring(name.lastIndexOf('.') + 1);
        return !last.isEmpty() && (last.chars().allMatch(Character::isDigit) || last.toLowerCase(Locale.ROOT).matches("0x[0-9a-f]*"));
    }

    /** The WHATWG IPv4 parser: 1 to 4 parts, each decimal, 0x hex or 0 octal; null if it is no IPv4 address. */
    static Long ipv4(String host) {
        if (!looksLikeIpv4(host)) {
            return null;
        }
        String[] parts = host.split("\\.", -1);
        if (parts.length > 4) {
            return -1L;
        }
        long[] numbers = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            numbers[i] = number(parts[i]);
            if (numbers[i] < 0) {
                return -1L;
            }
        }
        long value = numbers[parts.length - 1];
        if (value >= 1L << (8 * (5 - parts.length))) {
            return -1L;
        }
        for (int i = 0; i < parts.length - 1; i++) {
            if (numbers[i] > 255) {
                return -1L;
            }
            value += numbers[i] << (8 * (3 - i));
        }
        return value;
    }

    private static long number(String part) {
        try {
            if (part.isEmpty()) {
                return -1;
            }
            String lower = part.toLowerCase(Locale.ROOT);
            if (lower.startsWith("0x")) {
                return lower.length() == 2 ? 0 : lower.length() > 10 ? -1 : Long.parseLong(lower.substring(2), 16);
            }
            if (part.length() > 1 && part.startsWith("0")) {
                return part.length() > 12 ? -1 : Long.parseLong(part.substring(1), 8);
            }
            return part.length() > 10 ? -1 : Long.parseLong(part);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static Optional<InetAddress> literal(String ipv6) {
        if (!ipv6.contains(":") || !ipv6.matches("[0-9a-f:.]+")) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(ipv6));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    private static boolean isPrivate(InetAddress address) {
        if (address.isLoopbackAddress() || address.isAnyLocalAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first == 0 || (first == 100 && second >= 64 && second < 128) || (first == 255);
        }
        if (address instanceof Inet6Address v6) {
            if ((b[0] & 0xfe) == 0xfc) {
                return true;
            }
            boolean embedsIpv4 = v6.isIPv4CompatibleAddress()
                    || (b[0] == 0 && b[1] == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b);
            if (embedsIpv4) {
                try {
                    return isPrivate(InetAddress.getByAddress(new byte[]{b[12], b[13], b[14], b[15]}));
                } catch (UnknownHostException impossible) {
                    throw new IllegalStateException(impossible);
                }
            }
        }
        return false;
    }
}
