package io.netstack.provider.ec2.vpcpeering;

import com.fasterxml.jackson.databind.JsonNode;
import io.netstack.spi.Validation;
import io.netstack.stack.Cidr;
import io.netstack.stack.ResourceBlock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What {@link VpcPeeringType} can check offline: the peer region and account, the two VPCs (not
 * the same one, not overlapping, the peer in the stack's region only when it is a reference) and
 * the DNS settings that {@code dnsResolution} needs on both of them.
 */
final class VpcPeeringValidation {
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d+");
    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");

    private VpcPeeringValidation() {}

    static void validate(ResourceBlock b, Validation v) {
        JsonNode p = b.properties();
        String region = p.path("peerRegion").asText(null);
        if (region != null && !REGION.matcher(region).matches()) v.error(b, "/peerRegion", "\"" + region + "\" is not an AWS region code like eu-west-1");
        String account = p.path("peerAccount").asText(null);
        if (account != null && !ACCOUNT.matcher(account).matches()) v.error(b, "/peerAccount", "an AWS account id is 12 digits");
        if (p.get("vpc") != null && p.get("vpc").equals(p.get("peerVpc"))) v.error(b, "/peerVpc", "a VPC cannot peer with itself");
        boolean crossRegion = region != null && !region.equals(v.stack().region());
        Optional<ResourceBlock> vpc = v.target(p.get("vpc")), peer = v.target(p.get("peerVpc"));
        if (crossRegion && peer.isPresent()) {
            v.error(b, "/peerVpc", "${" + peer.get().id() + "} is in this stack's region " + v.stack().region()
                    + ", not in peerRegion " + region + ": use the accepter VPC's literal vpc- id");
        }
        if (vpc.isPresent() && peer.isPresent() && !crossRegion) {
            for (Cidr c1 : cidrs(vpc.get())) for (Cidr c2 : cidrs(peer.get())) {
                if (c1.overlaps(c2)) {
                    v.error(b, "/peerVpc", "AWS cannot peer VPCs with overlapping CIDR blocks: " + vpc.get().id() + " " + c1 + " overlaps " + peer.get().id() + " " + c2);
                }
            }
        }
        if (p.path("dnsResolution").asBoolean(false)) {
            for (Optional<ResourceBlock> side : List.of(vpc, peer)) {
                if (side.isEmpty() || crossRegion && side == peer) continue;
                JsonNode vp = side.get().properties();
                if (!vp.path("dnsHostnames").asBoolean(false) || !vp.path("dnsSupport").asBoolean(true)) {
                    v.error(b, "/dnsResolution", "DNS resolution over a peering needs DNS hostnames and DNS support on both VPCs: set \"dnsHostnames\": true on " + side.get().id());
                }
            }
        }
    }

    private static List<Cidr> cidrs(ResourceBlock vpc) {
        List<Cidr> out = new ArrayList<>();
        try {
            out.add(Cidr.parse(vpc.properties().path("cidr").asText()));
            vpc.properties().path("secondaryCidrs").forEach(c -> out.add(Cidr.parse(c.asText())));
        } catch (IllegalArgumentException ignored) {
            // the VPC's own validation reports it
        }
        return out;
    }
}
