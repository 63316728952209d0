package io.netstack.provider.ec2.vpcendpoint;

import static io.netstack.provider.ec2.vpcendpoint.VpcEndpointPolicy.canonicalPolicy;
import static io.netstack.provider.ec2.vpcendpoint.VpcEndpointPolicy.policyText;
import static io.netstack.provider.ec2.vpcendpoint.VpcEndpointTranslator.awsKind;
import static io.netstack.provider.ec2.vpcendpoint.VpcEndpointTranslator.kind;
import static io.netstack.provider.ec2.vpcendpoint.VpcEndpointTranslator.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netstack.provider.AwsCalls;
import io.netstack.provider.AwsSession;
import io.netstack.provider.Deletion;
import io.netstack.provider.Ec2Tags;
import io.netstack.provider.Ec2Type;
import io.netstack.provider.Wait;
import io.netstack.spi.AwsFailure;
import io.netstack.spi.ErrorCategory;
import io.netstack.spi.LiveResource;
import io.netstack.spi.Property;
import io.netstack.spi.ResourceSpec;
import io.netstack.spi.Schema;
import io.netstack.spi.TypeContext;
import io.netstack.spi.Unmanaged;
import io.netstack.spi.Validation;
import io.netstack.spi.Waiter;
import io.netstack.stack.Reference;
import io.netstack.stack.ResourceBlock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.ec2.model.DnsOptionsSpecification;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.ModifyVpcEndpointRequest;
import software.amazon.awssdk.services.ec2.model.NetworkInterface;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.SubnetConfiguration;
import software.amazon.awssdk.services.ec2.model.VpcEndpoint;

/**
 * {@code vpc-endpoint}: a gateway (S3, DynamoDB: routes in route tables), interface (ENIs in
 * subnets, security groups, private DNS) or gateway-load-balancer endpoint.
 *
 * <h2>Service names</h2>
 * {@code service} is one of:
 * <ul>
 *   <li>a short name, e.g. {@code "s3"}, {@code "ssm"}, {@code "ecr.dkr"}: AWS's service
 *       {@code com.amazonaws.<stack region>.<short>};</li>
 *   <li>a full service name (anything starting {@code com.amazonaws.} or {@code aws.}), e.g. a
 *       partner's {@code com.amazonaws.vpce.eu-west-1.vpce-svc-0abc…}; use this form for an endpoint
 *       service of another account;</li>
 *   <li>{@code ${id}} of an {@code endpoint-service} of the same stack, or the literal
 *       {@code vpce-svc-…} id of an endpoint service of this account: the engine hands the type the
 *       service's id, which the create resolves to its service name with
 *       DescribeVpcEndpointServiceConfigurations.</li>
 * </ul>
 * The canonical form (both sides, {@link #normalize}) is the short name for AWS services of the
 * stack's region and the {@code vpce-svc-…} id for endpoint services (so that an owned service reads
 * back as {@code ${id}}); every other name stays whole.
 *
 * <h2>Kinds and defaults</h2>
 * {@code kind} defaults to {@code gateway}, as in AWS's API, CloudFormation and Terraform; mistakes
 * are caught offline instead (subnets on a gateway endpoint, a gateway endpoint for a service other
 * than S3 or DynamoDB, an endpoint service consumed by a gateway endpoint). {@code privateDns}
 * (interface only) defaults to {@code false} like CloudFormation and Terraform (AWS's API default is
 * true, but it then requires DNS support and hostnames on the VPC). {@code securityGroups} omitted is
 * not managed: AWS then attaches the VPC's default group. {@code policy} omitted is not managed:
 * AWS's default is full access; given, it is compared as JSON in a canonical form (AWS returns the
 * document as a string; single values and one-element lists, statement order and list order are
 * equivalent).
 *
 * <h2>Lifecycle</h2>
 * Create passes the deterministic ClientToken and waits (10 m, Terraform's aws_vpc_endpoint
 * timeouts) until {@code available} — or {@code pendingAcceptance} when the service requires
 * acceptance: the service owner accepts, not the consumer. Route tables, subnets, security groups,
 * private DNS and policy change in place in one ModifyVpcEndpoint call (its throttling bucket is
 * 4 requests, refilled at 0.3/s: docs/aws-facts.md), then the update waits for {@code available} again.
 * Delete waits until {@code deleted}. Reads: one paginated, tag-filtered DescribeVpcEndpoints;
 * {@code deleted}/{@code deleting} endpoints are dropped (moto keeps them visible). Failed, rejected
 * and expired endpoints are kept: they still exist and must be deleted (destroy removes them).
 *
 * <h2>Fixed IPs</h2>
 * {@code subnetConfigurations} goes to CreateVpcEndpoint's SubnetConfigurations and is create-only:
 * ModifyVpcEndpoint does take SubnetConfigurations, but for an existing subnet AWS then replaces the
 * endpoint's network interface, disconnecting that subnet for a while (API_SubnetConfiguration), so
 * a change is planned as a replacement instead. DescribeVpcEndpoints does not return the
 * addresses: they are read from the endpoint's network interfaces, one DescribeNetworkInterfaces
 * (network-interface-id filter) for all endpoints read together.
 */
public final class VpcEndpointType extends Ec2Type {
    /** Terraform aws_vpc_endpoint: create 10 m (interface endpoints provision ENIs per subnet). */
    static final Duration CREATE_TIMEOUT = Duration.ofMinutes(10);
    /** Terraform aws_vpc_endpoint: update 10 m (adding subnets provisions ENIs: pending → available). */
    static final Duration UPDATE_TIMEOUT = Duration.ofMinutes(10);
    /** Terraform aws_vpc_endpoint: delete 10 m. */
    static final Duration DELETE_TIMEOUT = Duration.ofMinutes(10);
    /** Amazon VPC quotas: 50 interface endpoints per VPC (adjustable). */
    static final int MAX_INTERFACE_ENDPOINTS_PER_VPC = 50;
    static final Deletion DELETION = Deletion.of("DeleteVpcEndpoints", DELETE_TIMEOUT, "InvalidVpcEndpointId.NotFound");

    static final Set<String> GATEWAY_SERVICES = Set.of("s3", "dynamodb");
    private static final Set<String> DROPPED = Set.of("deleted", "deleting");
    private static final Set<String> FAILED = Set.of("failed", "rejected", "expired", "deleted");
    static final Pattern ENDPOINT_SERVICE_NAME = Pattern.compile("com\\.amazonaws\\.vpce\\.[a-z0-9-]+\\.(vpce-svc-[0-9a-zA-Z]+)");

    private static final Schema SCHEMA = new Schema(true, List.of("dnsName", "serviceName"),
            Property.ref("vpc", List.of("vpc"), List.of("vpc-")).required().createOnly(),
            Property.string("service").required().createOnly()
                    .describe("\"s3\"-style short name (this region), a full service name, or ${id} of an endpoint-service"),
            Property.string("kind").createOnly().oneOf("gateway", "interface", "gateway-load-balancer").defaultValue("gateway")
                    .describe("gateway (S3, DynamoDB: routes), interface (PrivateLink: network interfaces) or gateway-load-balancer; default gateway, as in AWS's API"),
            Property.list("routeTables", Property.ref("routeTable", List.of("route-table"), List.of("rtb-"))).defaultEmptyList()
                    .describe("gateway endpoints: the route tables that get a route to the service"),
            Property.list("subnets", Property.ref("subnet", List.of("subnet"), List.of("subnet-"))).defaultEmptyList()
                    .describe("interface (one per zone) and gateway-load-balancer (exactly one) endpoints"),
            Property.list("securityGroups", Property.ref("securityGroup", List.of("security-group"), List.of("sg-")))
                    .describe("interface endpoints; omitted: not managed (AWS attaches the VPC's default group)"),
            Property.bool("privateDns").defaultValue(false).describe("interface endpoints: resolve the service's own DNS name to the endpoint"),
            Property.json("policy").describe("endpoint policy (JSON object); omitted: not managed (AWS's default allows everything)"),
            Property.string("ipAddressType").oneOf("ipv4", "dualstack", "ipv6")
                    .describe("IP addresses of the endpoint's network interfaces; omitted: not managed (AWS's default ipv4)"),
            Property.object("dnsOptions",
                    Property.string("recordIpType").required().oneOf("ipv4", "dualstack", "ipv6", "service-defined")
                            .describe("the DNS records AWS creates for the endpoint"),
                    Property.bool("privateDnsOnlyForInboundResolverEndpoint").defaultValue(false)
                            .describe("S3/DynamoDB interface endpoints with privateDns: private DNS only for on-premises (inbound Resolver) clients"))
                    .describe("interface endpoints; omitted: not managed"),
            Property.list("subnetConfigurations", Property.object("subnetConfiguration",
                    Property.ref("subnet", List.of("subnet"), List.of("subnet-")).required().describe("one of the endpoint's subnets"),
                    Property.string("ipv4").describe("the IPv4 address of the endpoint's network interface in that subnet"),
                    Property.string("ipv6").describe("the IPv6 address of the endpoint's network interface in that subnet")))
                    .createOnly()
                    .describe("interface endpoints: fixed IPs, one entry per subnet; omitted: not managed (AWS picks the addresses)"));

    public VpcEndpointType(AwsSession aws) {
        super(aws, "vpc-endpoint", "vpc-endpoint", SCHEMA);
    }

    @Override
    public ObjectNode normalize(ObjectNode p) {
        JsonNode s = p.get("service");
        if (s != null && s.isTextual()) p.put("service", canonicalService(s.asText(), aws.region()));
        if (!"interface".equals(p.path("kind").asText())) p.remove("privateDns");
        JsonNode policy = p.get("policy");
        if (policy != null && !policy.isNull()) p.set("policy", canonicalPolicy(policy));
        return p;
    }

    /** Short name for AWS services of {@code region}, {@code vpce-svc-…} for endpoint services, else as is. */
    static String canonicalService(String s, String region) {
        if (Reference.containsReference(s)) return s;
        Matcher m = ENDPOINT_SERVICE_NAME.matcher(s);
        if (m.matches()) return m.group(1);
        String prefix = "com.amazonaws." + region + ".";
        if (region != null && s.startsWith(prefix) && s.length() > prefix.length()) return s.substring(prefix.length());
        return s;
    }

    static boolean isFullName(String s) {
        return s.startsWith("com.amazonaws.") || s.startsWith("aws.");
    }

    @Override
    public void validate(ResourceBlock b, Validation v) {
        VpcEndpointValidation.validate(name(), b, v);
    }

    @Override
    public List<LiveResource> list(TypeContext ctx) {
        return read(ctx, List.of(Ec2Tags.stackFilter(ctx.stack())), null);
    }

    private List<LiveResource> read(TypeContext ctx, List<Filter> filters, String resource) {
        Map<String, VpcEndpoint> owned = new java.util.LinkedHashMap<>();
        AwsCalls.run(resource, "DescribeVpcEndpoints", () -> ec2().describeVpcEndpointsPaginator(r -> r.filters(filters)).vpcEndpoints().forEach(e ->
                Ec2Tags.ownedId(e.tags(), ctx.stack()).ifPresent(id -> {
                    if (!DROPPED.contains(state(e))) owned.put(id, e);
                })));
        Map<String, NetworkInterface> enis = interfaces(resource, owned.values());
        List<LiveResource> out = new ArrayList<>();
        owned.forEach((id, e) -> out.add(VpcEndpointTranslator.translate(name(), ctx.region(), id, e, enis)));
        return out;
    }

    /**
     * The endpoints of the VPCs (not those an AWS service manages for you): one DescribeVpcEndpoints
     * filtered by vpc-id. {@code subnetConfigurations} is left out (not managed): pinning the
     * addresses AWS picked is not what a person writes, and it spares the DescribeNetworkInterfaces.
     */
    @Override
    public List<LiveResource> importable(TypeContext ctx, io.netstack.spi.ImportScope scope) {
        if (scope.byReference() || scope.vpcIds().isEmpty()) return List.of();
        List<LiveResource> out = new ArrayList<>();
        AwsCalls.run(null, "DescribeVpcEndpoints", () -> ec2().describeVpcEndpointsPaginator(r -> r.filters(Ec2Tags.filter("vpc-id", scope.vpcIds()))).vpcEndpoints().forEach(e -> {
            if (!scope.vpcIds().contains(e.vpcId()) || DROPPED.contains(state(e)) || Boolean.TRUE.equals(e.requesterManaged())) return;
            LiveResource r = VpcEndpointTranslator.translate(name(), ctx.region(), e.vpcEndpointId(), e, Map.of());
            r.properties().remove("subnetConfigurations");
            out.add(Ec2Tags.any().mark(r, e.tags()));
        }));
        return out;
    }

    /**
     * The network interfaces of interface endpoints, by id: their private addresses are the
     * endpoint's subnetConfigurations (DescribeVpcEndpoints does not return them). One paginated
     * DescribeNetworkInterfaces for all endpoints read together.
     */
    private Map<String, NetworkInterface> interfaces(String resource, java.util.Collection<VpcEndpoint> endpoints) {
        List<String> ids = endpoints.stream().filter(e -> kind(e).equals("interface")).flatMap(e -> e.networkInterfaceIds().stream()).distinct().toList();
        Map<String, NetworkInterface> out = new java.util.HashMap<>();
        if (ids.isEmpty()) return out;
        AwsCalls.run(resource, "DescribeNetworkInterfaces", () -> ec2().describeNetworkInterfacesPaginator(r -> r.filters(Ec2Tags.filter("network-interface-id", ids)))
                .networkInterfaces().forEach(n -> out.put(n.networkInterfaceId(), n)));
        return out;
    }

    /**
     * Endpoints in the stack's VPCs without ownership tags (drift): one DescribeVpcEndpoints
     * filtered by vpc-id. Endpoints that an AWS service manages for you (requesterManaged) are AWS's.
     */
    @Override
    public List<Unmanaged> unmanaged(TypeContext ctx, Set<String> vpcIds) {
        return unmanagedIn(vpcIds, "DescribeVpcEndpoints", () -> ec2().describeVpcEndpointsPaginator(r -> r.filters(Ec2Tags.filter("vpc-id", vpcIds))).vpcEndpoints(),
                VpcEndpoint::tags, e -> vpcIds.contains(e.vpcId()) && !DROPPED.contains(state(e)) && !Boolean.TRUE.equals(e.requesterManaged())
                        ? Optional.of(new Unmanaged(name(), e.vpcEndpointId(), e.vpcId(), kind(e) + " VPC endpoint for " + e.serviceName()))
                        : Optional.empty());
    }

    private Optional<VpcEndpoint> describe(String id, String endpointId) {
        return findOne(id, "DescribeVpcEndpoints", endpointId, () -> ec2().describeVpcEndpoints(r -> r.vpcEndpointIds(endpointId)).vpcEndpoints(),
                VpcEndpoint::vpcEndpointId, null);
    }

    private Optional<LiveResource> readOne(TypeContext ctx, String id, String endpointId) {
        return describe(id, endpointId)
                .filter(e -> Ec2Tags.ownedId(e.tags(), ctx.stack()).isPresent())
                .map(e -> VpcEndpointTranslator.translate(name(), ctx.region(), id, e, interfaces(id, List.of(e))));
    }

    /** The name AWS wants for {@code service} (see the class comment). */
    String serviceName(TypeContext ctx, String id, String service) {
        if (service.startsWith("vpce-svc-")) {
            // An endpoint service of this account (typically created a moment ago by this stack).
            return mutate(ctx, id, "DescribeVpcEndpointServiceConfigurations", () -> ec2().describeVpcEndpointServiceConfigurations(r -> r.serviceIds(service))
                    .serviceConfigurations().stream().filter(c -> service.equals(c.serviceId())).findFirst()
                    .orElseThrow(() -> new AwsFailure(ErrorCategory.NOT_FOUND, id, "DescribeVpcEndpointServiceConfigurations",
                            "endpoint service " + service + " is not visible (an endpoint service of another account is named by its full service name)"))
                    .serviceName());
        }
        if (isFullName(service)) return service;
        return "com.amazonaws." + ctx.region() + "." + service;
    }

    @Override
    public LiveResource create(TypeContext ctx, ResourceSpec spec) {
        String id = spec.id();
        String kind = spec.text("kind");
        String serviceName = serviceName(ctx, id, spec.text("service"));
        List<String> routeTables = strings(spec.properties().get("routeTables"));
        List<String> subnets = strings(spec.properties().get("subnets"));
        JsonNode sgs = spec.properties().get("securityGroups");
        JsonNode policy = spec.properties().get("policy");
        VpcEndpoint created = mutate(ctx, id, "CreateVpcEndpoint", () -> ec2().createVpcEndpoint(r -> {
            r.vpcId(spec.text("vpc")).serviceName(serviceName).vpcEndpointType(awsKind(kind)).clientToken(spec.clientToken())
                    .tagSpecifications(Ec2Tags.spec(ResourceType.VPC_ENDPOINT, spec.tags()));
            if (!routeTables.isEmpty()) r.routeTableIds(routeTables);
            if (!subnets.isEmpty()) r.subnetIds(subnets);
            if (kind.equals("interface")) {
                r.privateDnsEnabled(spec.bool("privateDns", false));
                if (sgs != null && !sgs.isNull()) r.securityGroupIds(strings(sgs));
            }
            if (policy != null && !policy.isNull()) r.policyDocument(policyText(policy));
            if (spec.properties().hasNonNull("ipAddressType")) r.ipAddressType(spec.text("ipAddressType"));
            JsonNode dns = spec.properties().get("dnsOptions");
            if (dns != null && dns.isObject()) r.dnsOptions(dnsOptions(dns, null));
            JsonNode fixed = spec.properties().get("subnetConfigurations");
            if (fixed != null && fixed.isArray() && !fixed.isEmpty()) r.subnetConfigurations(subnetConfigurations(fixed));
        }).vpcEndpoint());
        String endpointId = created.vpcEndpointId();
        waitUsable(ctx, id, endpointId, "VPC endpoint " + endpointId + " available", CREATE_TIMEOUT);
        return readBack(ctx, id, endpointId, () -> readOne(ctx, id, endpointId));
    }

    static List<SubnetConfiguration> subnetConfigurations(JsonNode fixed) {
        List<SubnetConfiguration> out = new ArrayList<>();
        fixed.forEach(c -> out.add(SubnetConfiguration.builder().subnetId(c.path("subnet").asText())
                .ipv4(c.hasNonNull("ipv4") ? c.get("ipv4").asText() : null).ipv6(c.hasNonNull("ipv6") ? c.get("ipv6").asText() : null).build()));
        return out;
    }

    private void waitUsable(TypeContext ctx, String id, String endpointId, String what, Duration timeout) {
        ctx.waiter().until(id, what, timeout, Set.of("available", "pendingacceptance"), FAILED, () -> describe(id, endpointId)
                .map(e -> new Waiter.Outcome(state(e), e.lastError() == null ? null
                        : (e.lastError().code() == null ? "" : e.lastError().code() + ": ") + e.lastError().message()))
                .orElse(new Waiter.Outcome("not visible yet", null)));
    }

    private static List<String> strings(JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n != null && n.isArray()) n.forEach(x -> out.add(x.asText()));
        return out;
    }

    @Override
    public LiveResource update(TypeContext ctx, LiveResource live, ResourceSpec spec, Set<String> changed) {
        String id = spec.id(), endpointId = live.awsId();
        ObjectNode want = spec.properties(), have = live.properties();
        ModifyVpcEndpointRequest.Builder m = ModifyVpcEndpointRequest.builder().vpcEndpointId(endpointId);
        boolean modify = false;
        if (changed.contains("routeTables")) modify |= delta(want.get("routeTables"), have.get("routeTables"), m::addRouteTableIds, m::removeRouteTableIds);
        if (changed.contains("subnets")) modify |= delta(want.get("subnets"), have.get("subnets"), m::addSubnetIds, m::removeSubnetIds);
        if (changed.contains("securityGroups") && want.get("securityGroups") != null) {
            modify |= delta(want.get("securityGroups"), have.get("securityGroups"), m::addSecurityGroupIds, m::removeSecurityGroupIds);
        }
        if (changed.contains("privateDns") && want.has("privateDns")) {
            m.privateDnsEnabled(want.get("privateDns").asBoolean());
            modify = true;
        }
        if (changed.contains("policy") && want.get("policy") != null && !want.get("policy").isNull()) {
            m.policyDocument(policyText(want.get("policy")));
            modify = true;
        }
        if (changed.contains("ipAddressType") && want.hasNonNull("ipAddressType")) {
            m.ipAddressType(want.get("ipAddressType").asText());
            modify = true;
        }
        if (changed.contains("dnsOptions") && want.path("dnsOptions").isObject()) {
            m.dnsOptions(dnsOptions(want.get("dnsOptions"), have.get("dnsOptions")));
            modify = true;
        }
        boolean touched = modify;
        if (modify) {
            ModifyVpcEndpointRequest req = m.build();
            mutateRun(ctx, id, "ModifyVpcEndpoint", () -> ec2().modifyVpcEndpoint(req));
            waitUsable(ctx, id, endpointId, "VPC endpoint " + endpointId + " available after modification", UPDATE_TIMEOUT);
        }
        return updatedAfterTags(ctx, live, spec, changed, touched, () -> readOne(ctx, id, endpointId));
    }

    /**
     * PrivateDnsOnlyForInboundResolverEndpoint is sent only when on or being turned off: AWS accepts
     * it only for services with both gateway and interface endpoints (DnsOptionsSpecification).
     */
    static DnsOptionsSpecification dnsOptions(JsonNode want, JsonNode have) {
        DnsOptionsSpecification.Builder b = DnsOptionsSpecification.builder().dnsRecordIpType(want.path("recordIpType").asText());
        boolean on = want.path("privateDnsOnlyForInboundResolverEndpoint").asBoolean(false);
        boolean was = have != null && have.path("privateDnsOnlyForInboundResolverEndpoint").asBoolean(false);
        if (on || was) b.privateDnsOnlyForInboundResolverEndpoint(on);
        return b.build();
    }

    /** Puts the ids to add and to remove into the request; true when there is any. */
    private static boolean delta(JsonNode want, JsonNode have, java.util.function.Consumer<List<String>> add, java.util.function.Consumer<List<String>> remove) {
        Set<String> w = new LinkedHashSet<>(strings(want)), h = new LinkedHashSet<>(strings(have));
        List<String> plus = w.stream().filter(x -> !h.contains(x)).toList();
        List<String> minus = h.stream().filter(x -> !w.contains(x)).toList();
        if (!plus.isEmpty()) add.accept(plus);
        if (!minus.isEmpty()) remove.accept(minus);
        return !plus.isEmpty() || !minus.isEmpty();
    }

    /**
     * Only the endpoint's own NotFound means "already gone": DeleteVpcEndpoints can fail NotFound
     * about another object (InvalidRoute.NotFound, issue 11). It is a batch call: it answers 200 and
     * lists what failed under Unsuccessful.
     */
    @Override
    public void delete(TypeContext ctx, LiveResource live) {
        String id = live.id(), endpointId = live.awsId();
        deleteAndWaitGone(ctx, id, endpointId, DELETION,
                () -> failOnUnsuccessful(id, DELETION.action(), ec2().deleteVpcEndpoints(r -> r.vpcEndpointIds(endpointId)).unsuccessful(), Set.of()),
                () -> describe(id, endpointId), e -> new Waiter.Outcome(state(e).equals("deleted") ? Waiter.GONE : state(e), null),
                Wait.deleted(DELETE_TIMEOUT).failingOn("failed"));
    }

    /** IAM actions of the handlers above, for {@code netstack policy} (spi.Permissions). */
    @Override
    public io.netstack.spi.Permissions permissions() {
        return new io.netstack.spi.Permissions(
                java.util.List.of("ec2:DescribeNetworkInterfaces", "ec2:DescribeVpcEndpointServiceConfigurations", "ec2:DescribeVpcEndpoints"),
                java.util.List.of("ec2:CreateTags", "ec2:CreateVpcEndpoint", "ec2:ModifyVpcEndpoint"),
                java.util.List.of("ec2:CreateTags", "ec2:DeleteTags", "ec2:ModifyVpcEndpoint"),
                java.util.List.of("ec2:DeleteVpcEndpoints"),
                java.util.List.of("ec2:DescribeNetworkInterfaces", "ec2:DescribeVpcEndpointServiceConfigurations", "ec2:DescribeVpcEndpoints"));
    }
}
