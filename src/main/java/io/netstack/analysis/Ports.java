package io.netstack.analysis;

/** An inclusive port range; {@link #ALL} for rules without ports (protocol all, ICMP). */
public record Ports(int from, int to) {
    public static final Ports ALL = new Ports(0, 65535);
    /**
     * The client ports replies go back to: Linux kernels' default range (the AWS NACL guide, "Ephemeral
     * ports"). NAT gateways and ELB use 1024-65535, Windows 49152-65535; a NACL that allows
     * 1024-65535 covers them all.
     */
    public static final Ports EPHEMERAL = new Ports(32768, 60999);

    public static Ports parse(String text) {
        if (text == null || text.isEmpty() || text.equals("all") || text.equals("-1")) return ALL;
        int dash = text.indexOf('-', 1);
        try {
            if (dash < 0) {
                int p = Integer.parseInt(text);
                return new Ports(p, p);
            }
            return new Ports(Integer.parseInt(text.substring(0, dash)), Integer.parseInt(text.substring(dash + 1)));
        } catch (NumberFormatException e) {
            return ALL;
        }
    }

    public boolean contains(Ports o) {
        return from <= o.from && o.to <= to;
    }

    public boolean contains(int port) {
        return from <= port && port <= to;
    }

    public boolean overlaps(Ports o) {
        return from <= o.to && o.from <= to;
    }

    public boolean isAll() {
        return from == 0 && to == 65535;
    }

    @Override
    public String toString() {
        return isAll() ? "all" : from == to ? String.valueOf(from) : from + "-" + to;
    }
}
