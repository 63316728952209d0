package io.netstack.spi;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Write-only values that AWS itself returns on read (a VPN connection's tunnel pre-shared keys in
 * DescribeVpnConnections, a Direct Connect virtual interface's BGP auth key in
 * DescribeVirtualInterfaces), carried from the type to the planner without the values: each is
 * replaced, at the moment it is read, by an HMAC-SHA256 under a random key that exists only in
 * this process's memory. The planner asks {@link #matches} with the file's value and learns
 * whether AWS has that very value, which is better than any stored digest (it sees a key changed
 * in the console too). The encoded form is useless outside the process: the key is never written.
 *
 * <p>A type reports it as the attribute {@link #ATTRIBUTE}: {@code <path>=<mac>} pairs joined by
 * {@code ;}, where the path is the value's JSON Pointer in the type's canonical shape
 * ({@code /authKey}, {@code /tunnels/0/preSharedKey}), the same path the planner derives from the
 * stack file.
 */
public final class ObservedSecrets {
    public static final String ATTRIBUTE = "netstack:observed-secrets";
    private static final byte[] KEY = new byte[32];

    static {
        new SecureRandom().nextBytes(KEY);
    }

    private ObservedSecrets() {}

    /** The attribute value for {@code pathToValue} (values in clear, read from AWS this moment). */
    public static String encode(Map<String, String> pathToValue) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : new TreeMap<>(pathToValue).entrySet()) {
            if (e.getValue() == null) continue;
            if (sb.length() > 0) sb.append(';');
            sb.append(e.getKey()).append('=').append(mac(e.getKey(), e.getValue()));
        }
        return sb.toString();
    }

    /** Whether AWS reported a value at {@code path}. */
    public static boolean has(String encoded, String path) {
        return macAt(encoded, path) != null;
    }

    /** Whether the value AWS reported at {@code path} is {@code value}; false when it reported none. */
    public static boolean matches(String encoded, String path, String value) {
        String m = macAt(encoded, path);
        return m != null && MessageDigest.isEqual(m.getBytes(StandardCharsets.US_ASCII), mac(path, value).getBytes(StandardCharsets.US_ASCII));
    }

    private static String macAt(String encoded, String path) {
        if (encoded == null || encoded.isEmpty()) return null;
        for (String pair : encoded.split(";")) {
            int eq = pair.lastIndexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(path)) return pair.substring(eq + 1);
        }
        return null;
    }

    private static String mac(String path, String value) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(new SecretKeySpec(KEY, "HmacSHA256"));
            m.update(path.getBytes(StandardCharsets.UTF_8));
            m.update((byte) 0);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(m.doFinal(value.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
