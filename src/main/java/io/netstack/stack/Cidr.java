package io.netstack.stack;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 CIDR block. {@link #parse} rejects host bits set ("10.0.0.1/16") because AWS
 * rejects them too; {@link #toString} is the canonical form AWS returns (lower-case, compressed IPv6).
 */
public record Cidr(boolean ipv6, BigInteger network, int prefix) {
    private static final Pattern V4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}/\\d{1,2}");
    private static final Pattern V6 = Pattern.compile("[0-9a-fA-F:.]+/\\d{1,3}");

    public static Cidr parse(String s) {
        if (s == null) throw new IllegalArgumentException("missing CIDR");
        boolean v6 = s.contains(":");
        if (!(v6 ? V6 : V4).matcher(s).matches()) throw new IllegalArgumentException("'" + s + "' is not a valid CIDR block");
        int slash = s.indexOf('/');
        int prefix = Integer.parseInt(s.substring(slash + 1));
        int bits = v6 ? 128 : 32;
        if (prefix > bits) throw new IllegalArgumentException("'" + s + "': prefix length /" + prefix + " is larger than /" + bits);
        String addr = s.substring(0, slash);
        BigInteger value;
        if (!v6) {
            // The octets directly: InetAddress.getByName was a tenth of validating 50,000 resources.
            long v = 0;
            for (String octet : addr.split("\\.")) {
                int o = Integer.parseInt(octet);
                // Leading zeros read as octal by some tools; AWS and InetAddress refuse them too.
                if (o > 255 || (octet.length() > 1 && octet.charAt(0) == '0')) throw new IllegalArgumentException("'" + s + "' is not a valid IPv4 CIDR block");
                v = (v << 8) | o;
            }
            value = BigInteger.valueOf(v);
        } else try {
            byte[] raw = InetAddress.getByName(addr).getAddress();
            if (v6 && raw.length == 4) {
                // Java turns IPv4-mapped IPv6 (::ffff:a.b.c.d) into a plain IPv4 address; keep it IPv6.
                byte[] mapped = new byte[16];
                mapped[10] = (byte) 0xff;
                mapped[11] = (byte) 0xff;
                System.arraycopy(raw, 0, mapped, 12, 4);
                raw = mapped;
            }
            value = new BigInteger(1, raw);
        } catch (UnknownHostException | RuntimeException e) {
            throw new IllegalArgumentException("'" + s + "' is not a valid CIDR block");
        }
        BigInteger mask = mask(bits, prefix);
        if (!value.and(mask.not()).and(all(bits)).equals(BigInteger.ZERO)) {
            Cidr fixed = new Cidr(v6, value.and(mask), prefix);
            throw new IllegalArgumentException("'" + s + "' has host bits set (did you mean " + fixed + "?)");
        }
        return new Cidr(v6, value, prefix);
    }

    public static boolean isCidr(String s) {
        try {
            parse(s);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Canonical text of a CIDR string; returns the input unchanged if it does not parse. */
    public static String canonical(String s) {
        try {
            return parse(s).toString();
        } catch (IllegalArgumentException e) {
            return s;
        }
    }

    private static BigInteger all(int bits) {
        return BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE);
    }

    private static BigInteger mask(int bits, int prefix) {
        return all(bits).shiftRight(bits - prefix).shiftLeft(bits - prefix);
    }

    public int bits() {
        return ipv6 ? 128 : 32;
    }

    public BigInteger last() {
        return network.or(all(bits()).shiftRight(prefix));
    }

    public boolean contains(Cidr other) {
        return ipv6 == other.ipv6 && other.prefix >= prefix
                && other.network.and(mask(bits(), prefix)).equals(network);
    }

    public boolean overlaps(Cidr other) {
        return ipv6 == other.ipv6 && (contains(other) || other.contains(this));
    }

    /** The {@code index}-th sub-block of length {@code newPrefix} (e.g. the n-th /64 of a /56). */
    public Cidr subnet(int newPrefix, long index) {
        if (newPrefix < prefix || newPrefix > bits()) throw new IllegalArgumentException("bad prefix /" + newPrefix + " for " + this);
        long count = 1L << Math.min(62, newPrefix - prefix);
        if (index < 0 || index >= count) throw new IllegalArgumentException("index " + index + " is outside 0.." + (count - 1) + " for /" + newPrefix + " in " + this);
        return new Cidr(ipv6, network.add(BigInteger.valueOf(index).shiftLeft(bits() - newPrefix)), newPrefix);
    }

    /** Which sub-block of length {@code newPrefix} this is inside {@code parent}. */
    public long indexIn(Cidr parent) {
        return network.subtract(parent.network).shiftRight(bits() - prefix).longValueExact();
    }

    @Override
    public String toString() {
        byte[] raw = network.toByteArray();
        byte[] bytes = new byte[ipv6 ? 16 : 4];
        int copy = Math.min(raw.length, bytes.length);
        System.arraycopy(raw, raw.length - copy, bytes, bytes.length - copy, copy);
        if (ipv6) {
            StringBuilder full = new StringBuilder();
            for (int i = 0; i < 16; i += 2) {
                if (i > 0) full.append(':');
                full.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff)));
            }
            return compressV6(full.toString()) + "/" + prefix;
        }
        return (bytes[0] & 0xff) + "." + (bytes[1] & 0xff) + "." + (bytes[2] & 0xff) + "." + (bytes[3] & 0xff) + "/" + prefix;
    }

    /** RFC 5952 form: Java prints "2600:1f18:0:0:0:0:0:0", AWS prints "2600:1f18::". */
    private static String compressV6(String full) {
        String[] parts = full.split(":");
        int bestStart = -1, bestLen = 0;
        for (int i = 0; i < parts.length; ) {
            if (parts[i].equals("0")) {
                int j = i;
                while (j < parts.length && parts[j].equals("0")) j++;
                if (j - i > bestLen && j - i > 1) {
                    bestStart = i;
                    bestLen = j - i;
                }
                i = j;
            } else {
                i++;
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            if (i == bestStart) {
                sb.append(i == 0 ? "::" : ":");
                i += bestLen - 1;
                continue;
            }
            sb.append(parts[i].replaceFirst("^0+(?=.)", ""));
            if (i < parts.length - 1) sb.append(':');
        }
        return sb.toString();
    }
}
