package io.netstack.provider.ec2.subnet;

import software.amazon.awssdk.services.ec2.model.Filter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netstack.provider.AwsCalls;
import io.netstack.provider.AwsSession;
import io.netstack.provider.Ec2Tags;
import io.netstack.provider.Deletion;
import io.netstack.provider.Ec2Type;
import io.netstack.provider.Status;
import io.netstack.provider.Wait;
import io.netstack.provider.ec2.vpc.VpcType;
import io.netstack.spi.AwsFailure;
import io.netstack.spi.ErrorCategory;
import io.netstack.spi.LiveResource;
import io.netstack.spi.Property;
import io.netstack.spi.ResourceSpec;
import io.netstack.spi.Schema;
import io.netstack.spi.TypeContext;
import io.netstack.spi.Validation;
import io.netstack.stack.Cidr;
import io.netstack.stack.ResourceBlock;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.ec2.model.AttributeBooleanValue;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.ec2.model.SubnetIpv6CidrBlockAssociation;
import software.amazon.awssdk.services.ec2.model.Vpc;

/**
 * {@code subnet}: VPC, CIDR, zone and IPv6 /64 index are create-only; public-IP mapping and IPv6
 * assignment on creation are updated in place. {@code ipv6Index} is the n-th /64 of the VPC's
 * Amazon /56, read back from the low 8 bits of the /64's prefix (no extra call per subnet).
 */
public final class SubnetType extends Ec2Type {
    /** Subnets are available at once; 10 m matches Terraform's aws_subnet create timeout. */
    static final Duration CREATE_TIMEOUT = Duration.ofMinutes(10);
    /**
     * Terraform's aws_subnet delete timeout is 20 m: ENIs left by deleted NAT gateways, endpoints
     * or Lambda take minutes to disappear and block the delete with DependencyViolation.
     */
    static final Duration DELETE_TIMEOUT = Duration.ofMinutes(20);

    static final Status<Subnet> STATE = Status.of(Subnet::stateAsString);
    static final Wait AVAILABLE = Wait.created("available", CREATE_TIMEOUT, "available").failingOn("failed", "failed-insufficient-capacity");
    static final Deletion DELETION = Deletion.of("DeleteSubnet", DELETE_TIMEOUT, "InvalidSubnetID.NotFound");
    /** Amazon VPC quotas: 200 subnets per VPC (adjustable). */
    static final int MAX_SUBNETS_PER_VPC = 200;

    private static final Schema SCHEMA = new Schema(true, List.of("arn", "ipv6Cidr", "zoneId"),
            Property.ref("vpc", List.of("vpc"), List.of("vpc-")).required().createOnly(),
            Property.cidr("cidr").createOnly().describe("IPv4 block; required unless ipv6Native"),
            Property.string("zone").createOnly().describe("availability zone, e.g. eu-west-1a; AWS picks one if omitted"),
            Property.string("zoneId").createOnly().describe("availability zone id, e.g. euw1-az1 (the same physical zone in every account); instead of zone"),
            Property.integer("ipv6Index").createOnly().range(0, 255).describe("the n-th /64 of the VPC's IPv6 /56"),
            Property.bool("ipv6Native").createOnly().defaultValue(false).describe("IPv6-only subnet: no IPv4 block (needs ipv6Index)"),
            Property.bool("mapPublicIp").defaultValue(false),
            Property.bool("assignIpv6OnCreation").defaultValue(false),
            Property.bool("dns64").defaultValue(false).describe("DNS64: the Route 53 Resolver synthesizes AAAA records for IPv4-only names (with NAT64)"),
            Property.string("hostnameType").oneOf("ip-name", "resource-name").defaultValue("ip-name")
                    .describe("hostnames of instances launched here: ip-name (ip-10-0-0-1) or resource-name (i-0123…)"),
            Property.bool("resourceNameDnsA").defaultValue(false).describe("answer DNS A queries for resource-name hostnames"),
            Property.bool("resourceNameDnsAaaa").defaultValue(false).describe("answer DNS AAAA queries for resource-name hostnames"));

    /** Zone ids: use1-az1, euw1-az3, usw2-lax1-az1 (Local Zones). */
    static final java.util.regex.Pattern ZONE_ID = java.util.regex.Pattern.compile("[a-z]{2,5}\\d(-[a-z]{2,5}\\d)?-az\\d+");
    /** ModifySubnetAttribute takes one attribute per call (EC2 API reference). */
    private static final List<String> ATTRIBUTES = List.of("mapPublicIp", "assignIpv6OnCreation", "dns64", "hostnameType", "resourceNameDnsA", "resourceNameDnsAaaa");

    public SubnetType(AwsSession aws) {
        super(aws, "subnet", "subnet", SCHEMA);
    }

    @Override
    public void validate(ResourceBlock b, Validation v) {
        JsonNode p = b.properties();
        String zoneText = p.path("zone").asText(null);
        if (zoneText != null && ZONE_ID.matcher(zoneText).matches()) {
            v.error(b, "/zone", "\"" + zoneText + "\" is an availability zone id: write \"zoneId\": \"" + zoneText + "\" (zone takes names like " + v.stack().region() + "a)");
            return;
        }
        if (p.has("zone") && p.has("zoneId")) v.error(b, "/zoneId", "give zone or zoneId, not both");
        String zoneId = p.path("zoneId").asText(null);
        if (zoneId != null && !ZONE_ID.matcher(zoneId).matches()) v.error(b, "/zoneId", "\"" + zoneId + "\" is not an availability zone id (e.g. euw1-az1)");
        if (p.path("ipv6Native").asBoolean(false)) {
            // AWS: an IPv6-only subnet has no IPv4 block, gives every interface an IPv6 address, and names instances by resource
            if (p.has("cidr")) v.error(b, "/cidr", "an IPv6-only subnet (ipv6Native) has no IPv4 cidr");
            if (!p.has("ipv6Index")) v.error(b, "/ipv6Native", "an IPv6-only subnet needs an ipv6Index");
            if (!p.path("assignIpv6OnCreation").asBoolean(false)) v.error(b, "/ipv6Native", "an IPv6-only subnet needs \"assignIpv6OnCreation\": true (AWS requires it)");
            if (!"resource-name".equals(p.path("hostnameType").asText())) v.error(b, "/ipv6Native", "an IPv6-only subnet needs \"hostnameType\": \"resource-name\" (AWS requires it)");
            if (p.path("mapPublicIp").asBoolean(false)) v.error(b, "/mapPublicIp", "an IPv6-only subnet has no IPv4 addresses to map");
            if (p.path("resourceNameDnsA").asBoolean(false)) v.error(b, "/resourceNameDnsA", "an IPv6-only subnet has no A records");
            Optional<ResourceBlock> vpc = v.target(p.get("vpc"));
            if (vpc.isPresent() && !vpc.get().properties().path("ipv6").asBoolean(false)) v.error(b, "/ipv6Native", "an IPv6-only subnet needs \"ipv6\": true on " + vpc.get().id());
            return;
        }
        if (!p.has("cidr")) {
            v.error(b, "", "missing required property \"cidr\" (only an IPv6-only subnet, \"ipv6Native\": true, has none)");
            return;
        }
        if (p.path("resourceNameDnsAaaa").asBoolean(false) && !p.has("ipv6Index")) v.error(b, "/resourceNameDnsAaaa", "AAAA records need an IPv6 block (ipv6Index)");
        Cidr cidr = Cidr.parse(b.properties().get("cidr").asText());
        if (cidr.ipv6()) {
            v.error(b, "/cidr", "a subnet's cidr is IPv4; use ipv6Index for its IPv6 /64");
            return;
        }
        if (cidr.prefix() < 16 || cidr.prefix() > 28) v.error(b, "/cidr", "a subnet block must be between /16 and /28, got /" + cidr.prefix());
        String zone = b.properties().path("zone").asText(null);
        if (zone != null && !zone.startsWith(v.stack().region())) {
            v.error(b, "/zone", "zone " + zone + " is not in the stack's region " + v.stack().region());
        }
        Optional<ResourceBlock> vpc = v.target(b.properties().get("vpc"));
        if (vpc.isEmpty()) return;
        JsonNode vp = vpc.get().properties();
        List<Cidr> blocks = new ArrayList<>();
        blocks.add(Cidr.parse(vp.get("cidr").asText()));
        vp.path("secondaryCidrs").forEach(c -> blocks.add(Cidr.parse(c.asText())));
        if (blocks.stream().noneMatch(bl -> bl.contains(cidr))) {
            v.error(b, "/cidr", cidr + " is outside " + vpc.get().id() + "'s CIDR blocks (" + String.join(", ", blocks.stream().map(Cidr::toString).toList()) + ")");
        }
        boolean vpcIpv6 = vp.path("ipv6").asBoolean(false);
        if (b.properties().has("ipv6Index") && !vpcIpv6) v.error(b, "/ipv6Index", "ipv6Index needs \"ipv6\": true on " + vpc.get().id());
        if (b.properties().path("assignIpv6OnCreation").asBoolean(false) && !b.properties().has("ipv6Index")) {
            v.error(b, "/assignIpv6OnCreation", "assignIpv6OnCreation needs an ipv6Index (the subnet has no IPv6 block)");
        }
        // Overlaps and duplicate IPv6 indexes among the subnets of the same VPC, found once for all
        // subnets (SubnetClashes); reported once, on the later one.
        SubnetClashes clashes = v.shared(SubnetClashes.class, () -> new SubnetClashes(v.blocksOfType("subnet")));
        for (SubnetClashes.Clash c : clashes.of(b.id())) v.error(b, c.pointer(), c.message());
        if (clashes.positionInVpc(b.id()) == MAX_SUBNETS_PER_VPC + 1) v.warning(b, "", "more than " + MAX_SUBNETS_PER_VPC + " subnets in one VPC exceeds the default quota");
    }

    @Override
    public List<LiveResource> list(TypeContext ctx) {
        return read(ctx, List.of(Ec2Tags.stackFilter(ctx.stack())), null, Ec2Tags.owned(ctx.stack()));
    }

    /** Every subnet of the VPCs, with its zone name only (zoneId is the same zone said twice). */
    @Override
    public List<LiveResource> importable(TypeContext ctx, io.netstack.spi.ImportScope scope) {
        if (scope.byReference() || scope.vpcIds().isEmpty()) return List.of();
        List<LiveResource> out = read(ctx, List.of(Ec2Tags.filter("vpc-id", scope.vpcIds())), null, Ec2Tags.any());
        out.forEach(r -> {
            if (r.properties().has("zone")) r.properties().remove("zoneId");
        });
        return out;
    }

    private List<LiveResource> read(TypeContext ctx, List<Filter> filters, String resource, Ec2Tags.Select select) {
        List<LiveResource> out = new ArrayList<>();
        AwsCalls.run(resource, "DescribeSubnets", () -> ec2().describeSubnetsPaginator(r -> r.filters(filters)).subnets().forEach(s ->
                select.id(s.tags(), s.subnetId()).ifPresent(id -> out.add(select.mark(translate(id, s), s.tags())))));
        return out;
    }

    private LiveResource translate(String id, Subnet s) {
        ObjectNode p = JsonNodeFactory.instance.objectNode();
        p.put("vpc", s.vpcId());
        if (s.cidrBlock() != null) p.put("cidr", s.cidrBlock());
        p.put("zone", s.availabilityZone());
        if (s.availabilityZoneId() != null) p.put("zoneId", s.availabilityZoneId());
        p.put("ipv6Native", Boolean.TRUE.equals(s.ipv6Native()));
        p.put("dns64", Boolean.TRUE.equals(s.enableDns64()));
        var names = s.privateDnsNameOptionsOnLaunch();
        p.put("hostnameType", names == null || names.hostnameTypeAsString() == null ? "ip-name" : names.hostnameTypeAsString());
        p.put("resourceNameDnsA", names != null && Boolean.TRUE.equals(names.enableResourceNameDnsARecord()));
        p.put("resourceNameDnsAaaa", names != null && Boolean.TRUE.equals(names.enableResourceNameDnsAAAARecord()));
        String v6 = ipv6Cidr(s);
        if (v6 != null) p.put("ipv6Index", ipv6Index(v6));
        p.put("mapPublicIp", Boolean.TRUE.equals(s.mapPublicIpOnLaunch()));
        p.put("assignIpv6OnCreation", Boolean.TRUE.equals(s.assignIpv6AddressOnCreation()));
        p.set("tags", Ec2Tags.userTags(s.tags()));
        Map<String, String> attrs = new LinkedHashMap<>();
        if (s.subnetArn() != null) attrs.put("arn", s.subnetArn());
        if (v6 != null) attrs.put("ipv6Cidr", v6);
        if (s.availabilityZoneId() != null) attrs.put("zoneId", s.availabilityZoneId());
        return new LiveResource(id, name(), s.subnetId(), p, attrs);
    }

    /** moto's association state does not parse in the Java SDK (docs/moto-notes.md): skip only explicit disassociations. */
    static String ipv6Cidr(Subnet s) {
        for (SubnetIpv6CidrBlockAssociation a : s.ipv6CidrBlockAssociationSet()) {
            String st = a.ipv6CidrBlockState() == null ? null : a.ipv6CidrBlockState().stateAsString();
            if (st != null && st.startsWith("disassociat")) continue;
            if (a.ipv6CidrBlock() != null && !a.ipv6CidrBlock().isEmpty()) return Cidr.canonical(a.ipv6CidrBlock());
        }
        return null;
    }

    /** Bits 56–63 of the /64: its index inside the VPC's Amazon-provided /56. */
    static int ipv6Index(String cidr64) {
        Cidr c = Cidr.parse(cidr64);
        return c.network().shiftRight(64).and(BigInteger.valueOf(0xFF)).intValue();
    }

    @Override
    public List<io.netstack.spi.Unmanaged> unmanaged(TypeContext ctx, Set<String> vpcIds) {
        return unmanagedIn(vpcIds, "DescribeSubnets", () -> ec2().describeSubnetsPaginator(r -> r.filters(Ec2Tags.filter("vpc-id", vpcIds))).subnets(), Subnet::tags,
                s -> Optional.of(new io.netstack.spi.Unmanaged(name(), s.subnetId(), s.vpcId(), "subnet " + s.cidrBlock() + " in " + s.availabilityZone())));
    }

    @Override
    public LiveResource create(TypeContext ctx, ResourceSpec spec) {
        String id = spec.id();
        String vpcId = spec.text("vpc");
        String ipv6Block = null;
        if (spec.properties().has("ipv6Index")) {
            // The block as the vpc type of this run read or made it (the plan reads every owned VPC);
            // else read, batched: the subnets of one VPC are created together (issue 12).
            String v6 = aws.vpcIpv6(vpcId).orElseGet(() -> VpcType.ipv6Cidr(mutate(ctx, id, "DescribeVpcs", () -> findBatched(id, "DescribeVpcs", vpcId,
                    ids -> ec2().describeVpcs(r -> r.filters(Ec2Tags.filter("vpc-id", ids))).vpcs(), Vpc::vpcId, null).orElseThrow(() -> gone(id, vpcId)))));
            if (v6 == null) throw new AwsFailure(ErrorCategory.INVALID_REQUEST, id, "CreateSubnet", "VPC " + vpcId + " has no IPv6 block to take ipv6Index from");
            ipv6Block = Cidr.parse(v6).subnet(64, spec.properties().get("ipv6Index").asInt()).toString();
        }
        String v6 = ipv6Block;
        Subnet s = mutate(ctx, id, "CreateSubnet", () -> ec2().createSubnet(r -> {
            r.vpcId(vpcId).tagSpecifications(Ec2Tags.spec(ResourceType.SUBNET, spec.tags()));
            if (spec.text("cidr") != null) r.cidrBlock(spec.text("cidr"));
            if (spec.bool("ipv6Native", false)) r.ipv6Native(true);
            if (spec.text("zone") != null) r.availabilityZone(spec.text("zone"));
            if (spec.text("zoneId") != null) r.availabilityZoneId(spec.text("zoneId"));
            if (v6 != null) r.ipv6CidrBlock(v6);
        }).subnet());
        String subnetId = s.subnetId();
        aws.created(subnetId);
        // The wait's last answer is the subnet as AWS has it now: no read-back, no ensureExists (issue 12).
        var seen = new java.util.concurrent.atomic.AtomicReference<>(s);
        await(ctx, id, subnetId, AVAILABLE, () -> findSubnet(id, subnetId).map(o -> {
            seen.set(o);
            return o;
        }), STATE);
        return modify(ctx, translate(id, seen.get()), spec, Set.copyOf(ATTRIBUTES));
    }

    private Optional<Subnet> findSubnet(String id, String subnetId) {
        // The subnet-id filter, not SubnetIds: one missing id would fail the whole batched call.
        return findBatched(id, "DescribeSubnets", subnetId, ids -> ec2().describeSubnets(r -> r.filters(Ec2Tags.filter("subnet-id", ids))).subnets(),
                Subnet::subnetId, Subnet::stateAsString);
    }

    private Optional<LiveResource> readOne(String id, String subnetId) {
        return findSubnet(id, subnetId).map(s -> translate(id, s));
    }

    @Override
    public LiveResource update(TypeContext ctx, LiveResource live, ResourceSpec spec, Set<String> changed) {
        ensureExists(spec.id(), live.awsId(), () -> findSubnet(spec.id(), live.awsId()));
        return modify(ctx, live, spec, changed);
    }

    /** {@link #update} of a subnet known to exist. */
    private LiveResource modify(TypeContext ctx, LiveResource live, ResourceSpec spec, Set<String> changed) {
        String id = spec.id(), subnetId = live.awsId();
        boolean touched = false;
        for (String attr : ATTRIBUTES) {
            JsonNode want = spec.properties().get(attr), have = live.properties().get(attr);
            if (!changed.contains(attr) || want == null || want.equals(have)) continue;
            AttributeBooleanValue val = AttributeBooleanValue.builder().value(want.asBoolean()).build();
            mutateRun(ctx, id, "ModifySubnetAttribute", () -> ec2().modifySubnetAttribute(r -> {
                r.subnetId(subnetId);
                switch (attr) {
                    case "mapPublicIp" -> r.mapPublicIpOnLaunch(val);
                    case "assignIpv6OnCreation" -> r.assignIpv6AddressOnCreation(val);
                    case "dns64" -> r.enableDns64(val);
                    case "hostnameType" -> r.privateDnsHostnameTypeOnLaunch(want.asText());
                    case "resourceNameDnsA" -> r.enableResourceNameDnsARecordOnLaunch(val);
                    default -> r.enableResourceNameDnsAAAARecordOnLaunch(val);
                }
            }));
            touched = true;
        }
        return updatedAfterTags(ctx, live, spec, changed, touched, () -> readOne(id, subnetId));
    }

    @Override
    public void delete(TypeContext ctx, LiveResource live) {
        String id = live.id(), subnetId = live.awsId();
        deleteAndWaitGone(ctx, id, subnetId, DELETION, () -> ec2().deleteSubnet(r -> r.subnetId(subnetId)), () -> findSubnet(id, subnetId), STATE);
    }

    /** IAM actions of the handlers above, for {@code netstack policy} (spi.Permissions). */
    @Override
    public io.netstack.spi.Permissions permissions() {
        return ec2Permissions(List.of("DescribeSubnets", "DescribeVpcs"), DELETION, List.of("CreateSubnet", "ModifySubnetAttribute"),
                List.of("ModifySubnetAttribute"), List.of(), false);
    }
}
