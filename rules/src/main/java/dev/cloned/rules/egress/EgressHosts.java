package dev.cloned.rules.egress;

import java.net.IDN;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Host normalization and pattern rules for egress allowlists: exact hosts, {@code *.example.com} matching exactly one
 * extra label, IDNs compared as punycode, IP literals only when listed exactly.
 */
public final class EgressHosts {
    private static final Pattern IPV4 = Pattern.compile("^\\d{1,3}(\\.\\d{1,3}){3}$");
    private static final Pattern LABEL = Pattern.compile("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$");

    private EgressHosts() {
    }

    /** Lower-case punycode form without brackets or trailing dot; throws IllegalArgumentException when malformed. */
    public static String normalize(String host) {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host is empty");
        }
        String h = host.trim();
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        if (isIpLiteral(h)) {
            return h.toLowerCase(Locale.ROOT);
        }
        String ascii;
        try {
            ascii = IDN.toASCII(h, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + host + "' is not a valid host name: " + e.getMessage(), e);
        }
        for (String label : ascii.split("\\.", -1)) {
            if (!label.equals("*") && !LABEL.matcher(label).matches()) {
                throw new IllegalArgumentException("'" + host + "' is not a valid host name (label '" + label + "')");
            }
        }
        return ascii;
    }

    /** Whether the (normalized) host is an IPv4 or IPv6 literal. */
    public static boolean isIpLiteral(String host) {
        return IPV4.matcher(host).matches() || host.indexOf(':') >= 0;
    }

    /**
     * Checks an allowlist pattern and returns its normalized form; rejects {@code *}, {@code *.com}-style patterns,
     * wildcards anywhere but the first label, and wildcard IPs.
     */
    public static String validatePattern(String pattern) {
        if (pattern == null || pattern.isBlank()) {
            throw new IllegalArgumentException("empty egress pattern");
        }
        String p = pattern.trim();
        if (p.equals("*") || p.equals("*.*")) {
            throw new IllegalArgumentException("'" + p + "' would allow every host; list hosts explicitly");
        }
        String norm = normalize(p);
        int star = norm.indexOf('*');
        if (star >= 0) {
            if (!norm.startsWith("*.") || norm.indexOf('*', 1) >= 0) {
                throw new IllegalArgumentException("'" + p + "': a wildcard may only be the whole first label, as in *.example.com");
            }
            String rest = norm.substring(2);
            if (isIpLiteral(rest) || rest.split("\\.").length < 2) {
                throw new IllegalArgumentException("'" + p + "' is too broad: a wildcard needs a registrable domain"
                    + " under it, as in *.example.com");
            }
        }
        return norm;
    }

    /** Whether a normalized host matches a normalized pattern. */
    public static boolean matches(String pattern, String host) {
        if (!pattern.startsWith("*.")) {
            return pattern.equals(host);
        }
        if (isIpLiteral(host)) {
            return false;
        }
        String suffix = pattern.substring(1); // ".example.com"
        if (!host.endsWith(suffix)) {
            return false;
        }
        String head = host.substring(0, host.length() - suffix.length());
        return !head.isEmpty() && head.indexOf('.') < 0;
    }
}
