package io.netstack.provider.ec2.vpnconnection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netstack.provider.Ec2Tags;
import io.netstack.spi.LiveResource;
import io.netstack.spi.ObservedSecrets;
import io.netstack.spi.ResourceSpec;
import io.netstack.stack.Cidr;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TunnelOption;
import software.amazon.awssdk.services.ec2.model.VpnConnection;
import software.amazon.awssdk.services.ec2.model.VpnConnectionOptions;
import software.amazon.awssdk.services.ec2.model.VpnStaticRoute;

/**
 * Between {@link VpnConnectionType}'s stack JSON and the SDK's {@link VpnConnection}: tunnels in
 * inside-CIDR order, pre-shared keys read only as {@link ObservedSecrets} MACs.
 */
final class VpnConnectionTranslator {
    private VpnConnectionTranslator() {}

    /** Tunnels are identified by inside CIDR (see {@link VpnConnectionType}): sort both sides by it. */
    static ObjectNode normalize(ObjectNode p) {
        JsonNode t = p.get("tunnels");
        if (t != null && t.isArray()) {
            List<JsonNode> items = new ArrayList<>();
            t.forEach(items::add);
            items.sort(Comparator.comparing(VpnConnectionTranslator::insideKey));
            ArrayNode a = JsonNodeFactory.instance.arrayNode();
            items.forEach(a::add);
            p.set("tunnels", a);
        }
        return p;
    }

    static String insideKey(JsonNode tunnel) {
        String c = tunnel.path("insideCidr").asText("");
        try {
            return String.format("%040d", Cidr.parse(c).network());
        } catch (IllegalArgumentException e) {
            return c;
        }
    }

    static boolean present(String s) {
        return s != null && !s.isBlank();
    }

    static LiveResource translate(String type, String id, VpnConnection c, String tgwAttachment) {
        ObjectNode p = JsonNodeFactory.instance.objectNode();
        p.put("customerGateway", c.customerGatewayId());
        if (present(c.vpnGatewayId())) p.put("vpnGateway", c.vpnGatewayId());
        if (present(c.transitGatewayId())) p.put("transitGateway", c.transitGatewayId());
        VpnConnectionOptions o = c.options();
        p.put("staticRoutesOnly", o != null && Boolean.TRUE.equals(o.staticRoutesOnly()));
        ArrayNode routes = p.putArray("routes");
        for (VpnStaticRoute r : c.routes()) {
            if (!VpnConnectionType.gone(r.stateAsString()) && r.destinationCidrBlock() != null) routes.add(Cidr.canonical(r.destinationCidrBlock()));
        }
        Map<String, String> attrs = new LinkedHashMap<>();
        if (o != null && o.hasTunnelOptions() && !o.tunnelOptions().isEmpty()) {
            // Inside CIDRs and outside addresses are read; a pre-shared key AWS returns is turned
            // into an in-memory MAC at once (ObservedSecrets) so the plan sees a key changed in
            // the file or in the console, and the key itself goes no further.
            List<TunnelOption> ts = new ArrayList<>(o.tunnelOptions());
            Map<String, String> keys = new LinkedHashMap<>();
            ts.sort(Comparator.comparing(t -> insideKey(JsonNodeFactory.instance.objectNode().put("insideCidr", String.valueOf(t.tunnelInsideCidr())))));
            ArrayNode tunnels = p.putArray("tunnels");
            for (int i = 0; i < ts.size(); i++) {
                TunnelOption t = ts.get(i);
                ObjectNode tn = tunnels.addObject();
                if (t.tunnelInsideCidr() != null) tn.put("insideCidr", Cidr.canonical(t.tunnelInsideCidr()));
                if (present(t.outsideIpAddress())) attrs.put("tunnel" + (i + 1) + "Address", t.outsideIpAddress());
                if (present(t.preSharedKey())) keys.put("/tunnels/" + i + "/preSharedKey", t.preSharedKey());
            }
            if (!keys.isEmpty()) attrs.put(ObservedSecrets.ATTRIBUTE, ObservedSecrets.encode(keys));
        }
        p.set("tags", Ec2Tags.userTags(c.tags()));
        if (tgwAttachment != null) attrs.put("transitGatewayAttachmentId", tgwAttachment);
        attrs.put(ResourceSpec.SECRETS_TAG, tag(c.tags(), ResourceSpec.SECRETS_TAG).orElse(""));
        return new LiveResource(id, type, c.vpnConnectionId(), p, attrs);
    }

    private static Optional<String> tag(List<Tag> tags, String key) {
        if (tags == null) return Optional.empty();
        return tags.stream().filter(t -> key.equals(t.key())).map(Tag::value).findFirst();
    }
}
