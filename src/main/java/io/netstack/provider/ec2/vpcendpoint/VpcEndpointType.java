package io.netstack.provider.ec2.vpcendpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.netstack.provider.AwsCalls;
import io.netstack.provider.AwsSession;
import io.netstack.provider.Ec2Tags;
import io.netstack.provider.Ec2Type;
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
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.ec2.model.DnsEntry;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.ModifyVpcEndpointRequest;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.SecurityGroupIdentifier;
import software.amazon.awssdk.services.ec2.model.UnsuccessfulItem;
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

    static final Set<String> GATEWAY_SERVICES = Set.of("s3", "dynamodb");
    private static final Set<String> DROPPED = Set.of("deleted", "deleting");
    private static final Set<String> FAILED = Set.of("failed", "rejected", "expired", "deleted");
    private static final Pattern ENDPOINT_SERVICE_NAME = Pattern.compile("com\\.amazonaws\\.vpce\\.[a-z0-9-]+\\.(vpce-svc-[0-9a-zA-Z]+)");
    private static final ObjectMapper SORTED = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

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
            Property.json("policy").describe("endpoint policy (JSON object); omitted: not managed (AWS's default allows everything)"));

    public VpcEndpointType(AwsSession aws) {
        super(aws);
    }

    @Override
    public String name() {
        return "vpc-endpoint";
    }

    @Override
    public Schema schema() {
        return SCHEMA;
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

    /**
     * Policy documents compared by meaning, not spelling (after terraform-provider-aws's policy
     * equivalence): a JSON string is parsed; a single statement becomes a list; Action, NotAction,
     * Resource, NotResource, principal values and condition values become sorted lists of unique
     * strings; statements are sorted; an empty Sid is dropped.
     */
    static JsonNode canonicalPolicy(JsonNode policy) {
        JsonNode doc = policy;
        if (policy.isTextual()) {
            try {
                doc = SORTED.readTree(policy.asText());
            } catch (JsonProcessingException e) {
                return policy; // not JSON: compared as text, and AWS reports what is wrong with it
            }
        }
        if (!doc.isObject()) return doc;
        ObjectNode out = doc.deepCopy();
        JsonNode st = out.get("Statement");
        if (st == null) return out;
        List<JsonNode> statements = new ArrayList<>();
        if (st.isArray()) st.forEach(statements::add);
        else statements.add(st);
        List<JsonNode> canon = new ArrayList<>();
        for (JsonNode s : statements) {
            if (!s.isObject()) {
                canon.add(s);
                continue;
            }
            ObjectNode c = s.deepCopy();
            if (c.path("Sid").isTextual() && c.path("Sid").asText().isEmpty()) c.remove("Sid");
            for (String k : List.of("Action", "NotAction", "Resource", "NotResource")) {
                if (c.has(k)) c.set(k, stringSet(c.get(k)));
            }
            for (String k : List.of("Principal", "NotPrincipal")) {
                JsonNode pr = c.get(k);
                if (pr != null && pr.isObject()) {
                    ObjectNode po = (ObjectNode) pr;
                    List<String> keys = new ArrayList<>();
                    po.fieldNames().forEachRemaining(keys::add);
                    for (String pk : keys) po.set(pk, stringSet(po.get(pk)));
                }
            }
            JsonNode cond = c.get("Condition");
            if (cond != null && cond.isObject()) {
                for (Iterator<JsonNode> ops = cond.elements(); ops.hasNext(); ) {
                    JsonNode op = ops.next();
                    if (!op.isObject()) continue;
                    ObjectNode oo = (ObjectNode) op;
                    List<String> keys = new ArrayList<>();
                    oo.fieldNames().forEachRemaining(keys::add);
                    for (String ck : keys) oo.set(ck, stringSet(oo.get(ck)));
                }
            }
            canon.add(c);
        }
        canon.sort(Comparator.comparing(VpcEndpointType::text));
        ArrayNode a = out.putArray("Statement");
        canon.forEach(a::add);
        return out;
    }

    private static JsonNode stringSet(JsonNode v) {
        if (v == null || !(v.isTextual() || v.isArray())) return v;
        TreeSet<String> set = new TreeSet<>();
        if (v.isTextual()) set.add(v.asText());
        else for (JsonNode e : v) {
            if (!e.isValueNode()) return v;
            set.add(e.asText());
        }
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        set.forEach(a::add);
        return a;
    }

    private static String text(JsonNode n) {
        try {
            return SORTED.writeValueAsString(SORTED.treeToValue(n, Object.class));
        } catch (JsonProcessingException e) {
            return n.toString();
        }
    }

    @Override
    public void validate(ResourceBlock b, Validation v) {
        JsonNode p = b.properties();
        String kind = p.path("kind").asText("gateway");
        String service = p.path("service").asText("");
        Optional<ResourceBlock> serviceBlock = v.target(p.get("service"));
        if (service.isBlank()) v.error(b, "/service", "service must name an AWS service (\"s3\"), a full service name, or ${id} of an endpoint-service");
        if (serviceBlock.isPresent() && !serviceBlock.get().type().equals("endpoint-service")) {
            v.error(b, "/service", "${" + serviceBlock.get().id() + "} is a " + serviceBlock.get().type() + ", expected an endpoint-service");
        }
        boolean hasSubnets = p.path("subnets").size() > 0, hasTables = p.path("routeTables").size() > 0;
        switch (kind) {
            case "gateway" -> {
                if (hasSubnets) v.error(b, "/subnets", "a gateway endpoint takes routeTables, not subnets; for an interface endpoint set \"kind\": \"interface\"");
                if (p.has("securityGroups")) v.error(b, "/securityGroups", "security groups apply to interface endpoints only (\"kind\": \"interface\")");
                if (p.has("privateDns")) v.error(b, "/privateDns", "private DNS applies to interface endpoints only (\"kind\": \"interface\")");
                if (serviceBlock.isPresent() || service.startsWith("vpce-svc-") || ENDPOINT_SERVICE_NAME.matcher(service).matches()) {
                    v.error(b, "/kind", "an endpoint service is consumed by an interface (or gateway-load-balancer) endpoint: set \"kind\": \"interface\"");
                } else if (!service.isBlank() && !Reference.containsReference(service)) {
                    String shortName = canonicalService(service, v.stack().region());
                    if (!isFullName(shortName) && !GATEWAY_SERVICES.contains(shortName)) {
                        v.error(b, "/service", "only s3 and dynamodb have gateway endpoints; \"" + service + "\" needs \"kind\": \"interface\"");
                    }
                }
            }
            case "interface" -> {
                if (hasTables) v.error(b, "/routeTables", "route tables apply to gateway endpoints only; an interface endpoint takes subnets");
                if (!hasSubnets) v.error(b, "/subnets", "an interface endpoint needs subnets (one per availability zone) for its network interfaces");
                if (p.has("securityGroups") && p.get("securityGroups").isEmpty()) {
                    v.error(b, "/securityGroups", "an interface endpoint always has a security group; omit securityGroups to get the VPC's default group");
                }
            }
            case "gateway-load-balancer" -> {
                if (hasTables) v.error(b, "/routeTables", "a gateway-load-balancer endpoint is a route target; it takes one subnet, not route tables");
                if (p.path("subnets").size() != 1) v.error(b, "/subnets", "a gateway-load-balancer endpoint takes exactly one subnet");
                if (p.has("securityGroups")) v.error(b, "/securityGroups", "gateway-load-balancer endpoints have no security groups");
                if (p.has("privateDns")) v.error(b, "/privateDns", "private DNS applies to interface endpoints only");
                if (p.has("policy")) v.error(b, "/policy", "gateway-load-balancer endpoints take no policy");
            }
            default -> { }
        }
        JsonNode policy = p.get("policy");
        if (policy != null && !policy.isNull()) {
            JsonNode doc = canonicalPolicy(policy);
            if (!doc.isObject()) v.error(b, "/policy", "the policy must be a JSON object (a policy document with \"Statement\")");
            else if (!doc.has("Statement")) v.error(b, "/policy", "a policy document needs a \"Statement\"");
        }
        checkSameVpc(b, v, "subnets", p.get("vpc"));
        checkSameVpc(b, v, "routeTables", p.get("vpc"));
        checkSameVpc(b, v, "securityGroups", p.get("vpc"));
        if (kind.equals("interface")) {
            Map<String, String> zones = new HashMap<>();
            JsonNode subnets = p.path("subnets");
            for (int i = 0; i < subnets.size(); i++) {
                Optional<ResourceBlock> s = v.target(subnets.get(i));
                String zone = s.map(x -> x.properties().path("zone").asText(null)).orElse(null);
                if (zone == null) continue;
                String other = zones.put(zone, s.get().id());
                if (other != null) v.error(b, "/subnets/" + i, "an interface endpoint takes one subnet per availability zone: " + s.get().id() + " and " + other + " are both in " + zone);
            }
            long count = v.blocksOfType(name()).stream().filter(r -> r.type().equals(name())
                    && "interface".equals(r.properties().path("kind").asText()) && r.properties().path("vpc").equals(p.get("vpc"))).count();
            if (count > MAX_INTERFACE_ENDPOINTS_PER_VPC) {
                v.warning(b, "", "more than " + MAX_INTERFACE_ENDPOINTS_PER_VPC + " interface endpoints in one VPC exceeds the default quota");
            }
        }
    }

    /** Subnets, route tables and security groups of the stack must be in the endpoint's VPC. */
    private static void checkSameVpc(ResourceBlock b, Validation v, String property, JsonNode vpc) {
        JsonNode list = b.properties().path(property);
        if (vpc == null || !list.isArray()) return;
        for (int i = 0; i < list.size(); i++) {
            Optional<ResourceBlock> t = v.target(list.get(i));
            if (t.isEmpty()) continue;
            JsonNode theirs = t.get().properties().get("vpc");
            if (theirs != null && vpc.isTextual() && theirs.isTextual() && !theirs.equals(vpc)) {
                v.error(b, "/" + property + "/" + i, t.get().id() + " is in " + theirs.asText() + ", not in the endpoint's VPC " + vpc.asText());
            }
        }
    }

    @Override
    public List<LiveResource> list(TypeContext ctx) {
        return read(ctx, List.of(Ec2Tags.stackFilter(ctx.stack())), null);
    }

    private List<LiveResource> read(TypeContext ctx, List<Filter> filters, String resource) {
        List<LiveResource> out = new ArrayList<>();
        AwsCalls.run(resource, "DescribeVpcEndpoints", () -> ec2().describeVpcEndpointsPaginator(r -> r.filters(filters)).vpcEndpoints().forEach(e ->
                Ec2Tags.ownedId(e.tags(), ctx.stack()).ifPresent(id -> {
                    if (!DROPPED.contains(state(e))) out.add(translate(ctx, id, e));
                })));
        return out;
    }

    /**
     * Endpoints in the stack's VPCs without ownership tags (drift): one DescribeVpcEndpoints
     * filtered by vpc-id. Endpoints that an AWS service manages for you (requesterManaged) are AWS's.
     */
    @Override
    public List<Unmanaged> unmanaged(TypeContext ctx, Set<String> vpcIds) {
        List<Unmanaged> out = new ArrayList<>();
        AwsCalls.run(null, "DescribeVpcEndpoints", () -> ec2().describeVpcEndpointsPaginator(r -> r.filters(Ec2Tags.filter("vpc-id", vpcIds))).vpcEndpoints().forEach(e -> {
            if (vpcIds.contains(e.vpcId()) && !DROPPED.contains(state(e)) && !Boolean.TRUE.equals(e.requesterManaged()) && !Ec2Tags.hasOwnership(e.tags())) {
                out.add(new Unmanaged(name(), e.vpcEndpointId(), e.vpcId(), kind(e) + " VPC endpoint for " + e.serviceName()));
            }
        }));
        return out;
    }

    static String state(VpcEndpoint e) {
        return e.stateAsString() == null ? "unknown" : e.stateAsString().toLowerCase(Locale.ROOT);
    }

    static String kind(VpcEndpoint e) {
        String t = e.vpcEndpointTypeAsString();
        if (t == null) return "gateway";
        return switch (t) {
            case "Gateway" -> "gateway";
            case "Interface" -> "interface";
            case "GatewayLoadBalancer" -> "gateway-load-balancer";
            default -> t.toLowerCase(Locale.ROOT);
        };
    }

    private LiveResource translate(TypeContext ctx, String id, VpcEndpoint e) {
        ObjectNode p = JsonNodeFactory.instance.objectNode();
        String kind = kind(e);
        p.put("vpc", e.vpcId());
        p.put("service", canonicalService(e.serviceName(), ctx.region()));
        p.put("kind", kind);
        ArrayNode rts = p.putArray("routeTables");
        e.routeTableIds().forEach(rts::add);
        ArrayNode subnets = p.putArray("subnets");
        e.subnetIds().forEach(subnets::add);
        if (kind.equals("interface")) {
            ArrayNode sgs = p.putArray("securityGroups");
            e.groups().stream().map(SecurityGroupIdentifier::groupId).forEach(sgs::add);
            p.put("privateDns", Boolean.TRUE.equals(e.privateDnsEnabled()));
        }
        if (e.policyDocument() != null && !e.policyDocument().isBlank()) p.set("policy", canonicalPolicy(TextNode.valueOf(e.policyDocument())));
        p.set("tags", Ec2Tags.userTags(e.tags()));
        Map<String, String> attrs = new LinkedHashMap<>();
        attrs.put("serviceName", e.serviceName());
        e.dnsEntries().stream().map(DnsEntry::dnsName).filter(n -> n != null && !n.isBlank()).findFirst().ifPresent(n -> attrs.put("dnsName", n));
        return new LiveResource(id, name(), e.vpcEndpointId(), p, attrs);
    }

    private Optional<VpcEndpoint> describe(String id, String endpointId) {
        return find(id, "DescribeVpcEndpoints", () -> ec2().describeVpcEndpoints(r -> r.vpcEndpointIds(endpointId)).vpcEndpoints())
                .flatMap(l -> l.stream().filter(e -> endpointId.equals(e.vpcEndpointId())).findFirst());
    }

    private LiveResource readOne(TypeContext ctx, String id, String endpointId) {
        return readBack(ctx, id, endpointId, () -> describe(id, endpointId)
                .flatMap(e -> Ec2Tags.ownedId(e.tags(), ctx.stack()).map(owned -> translate(ctx, id, e))).stream().toList());
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
        }).vpcEndpoint());
        String endpointId = created.vpcEndpointId();
        waitUsable(ctx, id, endpointId, "VPC endpoint " + endpointId + " available", CREATE_TIMEOUT);
        return readOne(ctx, id, endpointId);
    }

    private void waitUsable(TypeContext ctx, String id, String endpointId, String what, Duration timeout) {
        ctx.waiter().until(id, what, timeout, Set.of("available", "pendingacceptance"), FAILED, () -> describe(id, endpointId)
                .map(e -> new Waiter.Outcome(state(e), e.lastError() == null ? null
                        : (e.lastError().code() == null ? "" : e.lastError().code() + ": ") + e.lastError().message()))
                .orElse(new Waiter.Outcome("not visible yet", null)));
    }

    static String awsKind(String kind) {
        return switch (kind) {
            case "interface" -> "Interface";
            case "gateway-load-balancer" -> "GatewayLoadBalancer";
            default -> "Gateway";
        };
    }

    static String policyText(JsonNode policy) {
        return policy.isTextual() ? policy.asText() : text(policy);
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
        boolean touched = modify;
        if (modify) {
            ModifyVpcEndpointRequest req = m.build();
            mutateRun(ctx, id, "ModifyVpcEndpoint", () -> ec2().modifyVpcEndpoint(req));
            waitUsable(ctx, id, endpointId, "VPC endpoint " + endpointId + " available after modification", UPDATE_TIMEOUT);
        }
        if (changed.contains("tags")) {
            Ec2Tags.update(ec2(), id, endpointId, have.get("tags"), want.get("tags"));
            touched = true;
        }
        return touched ? readOne(ctx, id, endpointId) : live;
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

    @Override
    public void delete(TypeContext ctx, LiveResource live) {
        String id = live.id(), endpointId = live.awsId();
        delete(ctx, id, "DeleteVpcEndpoints", DELETE_TIMEOUT, () -> {
            List<UnsuccessfulItem> failed = ec2().deleteVpcEndpoints(r -> r.vpcEndpointIds(endpointId)).unsuccessful();
            for (UnsuccessfulItem u : failed) throw unsuccessful(id, "DeleteVpcEndpoints", u);
        });
        ctx.waiter().until(id, "VPC endpoint " + endpointId + " deleted", DELETE_TIMEOUT, Set.of(Waiter.GONE), Set.of("failed"), () ->
                describe(id, endpointId).map(e -> new Waiter.Outcome(state(e).equals("deleted") ? Waiter.GONE : state(e), null))
                        .orElse(new Waiter.Outcome(Waiter.GONE, null)));
    }

    /** An {@code Unsuccessful} entry of a batch call, as the failure it is. */
    static AwsFailure unsuccessful(String id, String action, UnsuccessfulItem u) {
        String code = u.error() == null ? null : u.error().code();
        String msg = u.error() == null ? "failed" : u.error().message();
        return new AwsFailure(AwsCalls.category(code, 400, msg), id, action, code, null, msg, null);
    }

    /** IAM actions of the handlers above, for {@code netstack policy} (spi.Permissions). */
    @Override
    public io.netstack.spi.Permissions permissions() {
        return new io.netstack.spi.Permissions(
                java.util.List.of("ec2:DescribeVpcEndpointServiceConfigurations", "ec2:DescribeVpcEndpoints"),
                java.util.List.of("ec2:CreateTags", "ec2:CreateVpcEndpoint", "ec2:ModifyVpcEndpoint"),
                java.util.List.of("ec2:CreateTags", "ec2:DeleteTags", "ec2:ModifyVpcEndpoint"),
                java.util.List.of("ec2:DeleteVpcEndpoints"),
                java.util.List.of("ec2:DescribeVpcEndpointServiceConfigurations", "ec2:DescribeVpcEndpoints"));
    }
}
