package io.netstack.analysis;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The lint rules. Severities are SARIF's levels (error, warning, note). {@code alsoKnownAs} maps a
 * rule to the single-attribute checks of other linters that look at the same thing, so that a
 * team can retire those (README, "Lint and reachability").
 */
public final class Rules {
    public record Rule(String id, String name, String severity, String description, String alsoKnownAs) {}

    public static final Rule ADMIN_PORT_EXPOSED = new Rule("NS101", "admin-port-exposed", "error",
            "An admin or database port is open to 0.0.0.0/0 or ::/0 in a security group of a VPC with a subnet that routes to an internet gateway and whose NACL lets it in.",
            "CIS AWS Foundations 1.5 5.2/5.3, trivy AWS-0107, checkov CKV_AWS_24/CKV_AWS_25/CKV_AWS_277");
    public static final Rule PUBLIC_IP_WITHOUT_IGW = new Rule("NS102", "public-ip-without-internet-route", "warning",
            "A subnet with mapPublicIp has no route to an internet gateway: its public IPs can never be used.",
            "inverse of trivy AWS-0164, checkov CKV_AWS_130");
    public static final Rule NAT_WITHOUT_IGW = new Rule("NS201", "nat-without-internet-route", "error",
            "A public NAT gateway sits in a subnet whose route table has no default route to an internet gateway: it cannot reach the internet.", "");
    public static final Rule CROSS_ZONE_NAT = new Rule("NS202", "cross-zone-nat", "warning",
            "A subnet routes to a NAT gateway in another availability zone: cross-zone data charges, and a failure of that zone takes the route down.", "");
    public static final Rule NACL_REPLY_BLOCKED = new Rule("NS203", "nacl-reply-blocked", "error",
            "A NACL allows a service in one direction but blocks its replies (ephemeral ports) in the other; NACLs are stateless.", "");
    public static final Rule BLACKHOLE_ROUTE = new Rule("NS204", "blackhole-route", "error",
            "A route's target cannot carry the table's traffic (a gateway of another VPC, a peering the VPC is not part of, a transit gateway the VPC is not attached to).", "");
    public static final Rule OVERLAPPING_CIDRS = new Rule("NS205", "overlapping-connected-cidrs", "error",
            "Two VPCs that are peered, or attached to one transit gateway route table, have overlapping CIDR blocks.", "");
    public static final Rule PEERING_DNS = new Rule("NS206", "peering-dns-without-hostnames", "warning",
            "A peering enables DNS resolution but a peered VPC lacks DNS hostnames or DNS support, so names do not resolve to private IPs.", "");
    public static final Rule NO_FLOW_LOGS = new Rule("NS301", "vpc-without-flow-logs", "note",
            "A VPC has no flow log.", "CIS AWS Foundations 1.5 3.9, trivy AWS-0178, checkov CKV2_AWS_11");
    public static final Rule DEFAULT_SG_OPEN = new Rule("NS302", "default-security-group-not-emptied", "warning",
            "A VPC's default security group keeps rules (or is not managed: AWS's default allows all traffic between its members and all egress).",
            "CIS AWS Foundations 1.5 5.4, checkov CKV2_AWS_12");
    public static final Rule UNRESTRICTED_EGRESS = new Rule("NS303", "unrestricted-egress", "note",
            "A security group allows all egress while other groups of the same stack restrict theirs.", "trivy AWS-0104");
    public static final Rule SHADOWED_NACL_RULE = new Rule("NS304", "shadowed-nacl-rule", "warning",
            "A NACL entry never matches: an entry with a lower rule number covers all of its traffic.", "");

    public static final List<Rule> ALL = List.of(ADMIN_PORT_EXPOSED, PUBLIC_IP_WITHOUT_IGW, NAT_WITHOUT_IGW, CROSS_ZONE_NAT,
            NACL_REPLY_BLOCKED, BLACKHOLE_ROUTE, OVERLAPPING_CIDRS, PEERING_DNS, NO_FLOW_LOGS, DEFAULT_SG_OPEN,
            UNRESTRICTED_EGRESS, SHADOWED_NACL_RULE);

    private static final Map<String, Rule> BY_ID = new LinkedHashMap<>();

    static {
        for (Rule r : ALL) {
            BY_ID.put(r.id(), r);
            BY_ID.put(r.name(), r);
        }
    }

    private Rules() {}

    /** A rule by its id ({@code NS101}) or name ({@code admin-port-exposed}). */
    public static Rule find(String idOrName) {
        return BY_ID.get(idOrName);
    }
}
