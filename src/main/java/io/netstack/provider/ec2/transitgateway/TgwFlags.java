package io.netstack.provider.ec2.transitgateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The on/off options of the transit gateway family (a gateway's, a VPC attachment's), which AWS
 * spells {@code "enable"}/{@code "disable"} and the stack as booleans. Shared by the
 * transit-gateway packages, as {@link TransitGatewayBusy} is.
 */
public final class TgwFlags {
    private TgwFlags() {}

    public static boolean enabled(String v) {
        return "enable".equals(v);
    }

    public static String flag(boolean on) {
        return on ? "enable" : "disable";
    }

    /**
     * The flags of an update's Modify… options: each property of {@code setters} that the plan
     * changed to another value than the live one is set on {@code options}.
     *
     * @return whether any was
     */
    public static <B> boolean changed(Set<String> changed, ObjectNode have, ObjectNode want, B options, Map<String, BiConsumer<B, String>> setters) {
        boolean any = false;
        for (Map.Entry<String, BiConsumer<B, String>> s : setters.entrySet()) {
            String p = s.getKey();
            if (!changed.contains(p) || !want.has(p) || want.get(p).asBoolean() == have.path(p).asBoolean()) continue;
            s.getValue().accept(options, flag(want.get(p).asBoolean()));
            any = true;
        }
        return any;
    }
}
