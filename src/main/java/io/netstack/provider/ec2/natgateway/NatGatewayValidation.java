package io.netstack.provider.ec2.natgateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.netstack.spi.ResourceView;
import io.netstack.spi.Validation;
import io.netstack.stack.ResourceBlock;
import java.util.Optional;

/** What {@link NatGatewayType} can check offline: the EIP against connectivity, the per-zone quota, the VPC's internet gateway. */
final class NatGatewayValidation {
    private NatGatewayValidation() {}

    static void validate(ResourceBlock b, Validation v) {
        JsonNode p = b.properties();
        boolean hasEip = p.hasNonNull("eip");
        if (NatGatewayType.isPublic(p) && !hasEip) {
            v.error(b, "", "public NAT gateway needs an eip (an elastic-ip reference or eipalloc- id), or set \"connectivity\": \"private\"");
        }
        if (!NatGatewayType.isPublic(p) && hasEip) {
            v.error(b, "/eip", "a private NAT gateway has no Elastic IP: remove eip, or set \"connectivity\": \"public\"");
        }
        Optional<ResourceBlock> subnet = target(v, p.get("subnet"));
        String zone = zoneOf(subnet);
        int inZone = 1;
        for (ResourceBlock other : v.blocksOfType(NatGatewayType.TYPE)) {
            if (other.id().equals(b.id())) break;
            if (!other.type().equals(NatGatewayType.TYPE)) continue;
            // An address is the primary address of one NAT gateway only; reported on the later one.
            if (hasEip && p.get("eip").equals(other.properties().get("eip"))) {
                v.error(b, "/eip", p.get("eip").asText() + " is already the address of nat-gateway " + other.id());
            }
            if (zone != null && zone.equals(zoneOf(target(v, other.properties().get("subnet"))))) inZone++;
        }
        if (zone != null && inZone == NatGatewayType.MAX_PER_ZONE + 1) {
            v.warning(b, "", "more than " + NatGatewayType.MAX_PER_ZONE + " NAT gateways in " + zone + " exceeds the default quota of " + NatGatewayType.MAX_PER_ZONE + " per Availability Zone");
        }
        // A public NAT gateway in a VPC without an internet gateway lands in `failed`. The IGW may
        // come from elsewhere (another stack, attached by hand), so this is a warning, not an error.
        JsonNode vpc = subnet.map(s -> s.properties().get("vpc")).orElse(null);
        if (NatGatewayType.isPublic(p) && isStackRef(vpc)) {
            boolean igw = v.blocksOfType("internet-gateway").stream()
                    .anyMatch(o -> o.type().equals("internet-gateway") && vpc.equals(o.properties().get("vpc")));
            if (!igw) {
                v.warning(b, "/subnet", "no internet-gateway of this stack is attached to " + vpc.asText()
                        + ", the VPC of " + subnet.get().id() + ": AWS fails a public NAT gateway in a VPC without one");
            }
        }
    }

    static String zoneOf(Optional<ResourceBlock> subnet) {
        return subnet.map(s -> s.properties().path("zone").asText(null)).orElse(null);
    }

    /** The block a value references; other blocks may hold malformed references (reported there). */
    static Optional<ResourceBlock> target(Validation v, JsonNode value) {
        try {
            return v.target(value);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    static boolean isStackRef(JsonNode v) {
        try {
            return ResourceView.refOf(v).isPresent();
        } catch (IllegalArgumentException e) {
            return false; // malformed: reported on its own block
        }
    }
}
