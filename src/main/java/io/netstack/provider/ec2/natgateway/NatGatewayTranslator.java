package io.netstack.provider.ec2.natgateway;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netstack.provider.Ec2Tags;
import io.netstack.spi.LiveResource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.ec2.model.NatGateway;
import software.amazon.awssdk.services.ec2.model.NatGatewayAddress;

/** From the SDK's {@link NatGateway} to {@link NatGatewayType}'s stack JSON and attributes (primary address). */
final class NatGatewayTranslator {
    private NatGatewayTranslator() {}

    static LiveResource translate(String type, String id, NatGateway n) {
        ObjectNode p = JsonNodeFactory.instance.objectNode();
        p.put("subnet", n.subnetId());
        String connectivity = n.connectivityTypeAsString() == null ? "public" : n.connectivityTypeAsString();
        p.put("connectivity", connectivity);
        Optional<NatGatewayAddress> primary = primary(n);
        if (connectivity.equals("public")) primary.map(NatGatewayAddress::allocationId).filter(s -> !s.isEmpty()).ifPresent(a -> p.put("eip", a));
        p.set("tags", Ec2Tags.userTags(n.tags()));
        Map<String, String> attrs = new LinkedHashMap<>();
        primary.ifPresent(a -> {
            putIfSet(attrs, "publicIp", a.publicIp());
            putIfSet(attrs, "privateIp", a.privateIp());
            putIfSet(attrs, "networkInterfaceId", a.networkInterfaceId());
        });
        return new LiveResource(id, type, n.natGatewayId(), p, attrs);
    }

    /** The primary address (the only one unless secondary addresses were added outside netstack). */
    private static Optional<NatGatewayAddress> primary(NatGateway n) {
        List<NatGatewayAddress> all = n.natGatewayAddresses();
        for (NatGatewayAddress a : all) if (Boolean.TRUE.equals(a.isPrimary())) return Optional.of(a);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
    }

    private static void putIfSet(Map<String, String> m, String k, String v) {
        if (v != null && !v.isEmpty()) m.put(k, v);
    }
}
