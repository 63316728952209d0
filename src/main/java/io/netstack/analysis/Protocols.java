package io.netstack.analysis;

import java.util.Locale;

/** Protocol names as stack files write them; numbers are mapped to the names EC2 knows. */
final class Protocols {
    private Protocols() {}

    static String canonical(String p) {
        if (p == null) return "all";
        return switch (p.toLowerCase(Locale.ROOT)) {
            case "-1", "all" -> "all";
            case "6", "tcp" -> "tcp";
            case "17", "udp" -> "udp";
            case "1", "icmp" -> "icmp";
            case "58", "icmpv6" -> "icmpv6";
            default -> p.toLowerCase(Locale.ROOT);
        };
    }

    /** Whether a rule for {@code rule} matches traffic of {@code traffic} ("all" matches everything). */
    static boolean matches(String rule, String traffic) {
        return rule.equals("all") || rule.equals(traffic);
    }

    /** Whether the protocol has ports (only TCP and UDP rules are port-scoped). */
    static boolean hasPorts(String p) {
        return p.equals("tcp") || p.equals("udp");
    }
}
