package io.netstack.provider.ec2.clientvpn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netstack.provider.AwsCalls;
import io.netstack.provider.AwsSession;
import io.netstack.provider.Ec2Tags;
import io.netstack.provider.Deletion;
import io.netstack.provider.Ec2Type;
import io.netstack.provider.Wait;
import io.netstack.spi.AwsFailure;
import io.netstack.spi.ErrorCategory;
import io.netstack.spi.LiveResource;
import io.netstack.spi.Property;
import io.netstack.spi.ResourceSpec;
import io.netstack.spi.Schema;
import io.netstack.spi.TypeContext;
import io.netstack.spi.Validation;
import io.netstack.spi.Waiter;
import io.netstack.stack.Cidr;
import io.netstack.stack.ResourceBlock;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.services.ec2.model.AuthorizationRule;
import software.amazon.awssdk.services.ec2.model.ClientVpnAuthentication;
import software.amazon.awssdk.services.ec2.model.ClientVpnAuthenticationRequest;
import software.amazon.awssdk.services.ec2.model.ClientVpnAuthenticationType;
import software.amazon.awssdk.services.ec2.model.ClientVpnEndpoint;
import software.amazon.awssdk.services.ec2.model.ClientVpnRoute;
import software.amazon.awssdk.services.ec2.model.CreateClientVpnEndpointResponse;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.TargetNetwork;

/**
 * {@code client-vpn-endpoint}: an AWS Client VPN endpoint with its target-network associations
 * ({@code subnets}), authorization rules and routes inline, each compared as a set, so an
 * association, rule or route added by hand shows up as drift and is removed on apply.
 *
 * <ul>
 *   <li>Create-only: {@code clientCidr} (/12–/22), {@code authentication} (client certificate,
 *       federated SAML or Active Directory; a certificate may be combined with one of the other
 *       two), {@code transportProtocol}.</li>
 *   <li>In place with ModifyClientVpnEndpoint: {@code serverCertificate}, {@code splitTunnel},
 *       {@code dnsServers} (ordered: primary first), {@code vpnPort}, {@code description}, and
 *       {@code vpc} (all associations are removed first: they belong to the old VPC).</li>
 *   <li>{@code securityGroups}: ApplySecurityGroupsToClientVpnTargetNetwork; omitted = AWS's
 *       choice (the VPC's default group), not managed.</li>
 *   <li>{@code subnets}: Associate/DisassociateClientVpnTargetNetwork, waited for under a 30-minute
 *       timeout (Terraform raised it from 10 after repeated timeouts; docs/aws-facts.md).</li>
 *   <li>{@code authorizationRules} {@code {cidr, group?, description?}} (no group = all groups):
 *       Authorize/RevokeClientVpnIngress. {@code routes} {@code {destination, subnet, description?}}:
 *       Create/DeleteClientVpnRoute; the routes AWS adds for each association (origin
 *       {@code associate}) are AWS's own and never compared. A changed description is a revoke
 *       and re-authorize (or delete and re-create): AWS has no modify call for either.</li>
 * </ul>
 *
 * <p>Connection logging is created off and not managed. Idempotency: the endpoint's create and every
 * associate/authorize/route call carry a ClientToken. The child tokens also cover the children that
 * exist at the time, so re-adding a subnet after it was removed is a new request rather than a
 * replay of the old one (a token stays bound to its first result for at least 24 hours).
 *
 * <p><b>Reads.</b> DescribeClientVpnEndpoints takes no tag filter (only endpoint-id and
 * transport-protocol): one paginated call reads every endpoint of the region and the tags are checked
 * client-side. Each owned endpoint then costs three more calls (target networks, authorization
 * rules, routes), which AWS offers only per endpoint.
 */
public final class ClientVpnEndpointType extends Ec2Type {

    /** A new endpoint is pending-associate within seconds; Terraform does not wait at all. */
    static final Duration CREATE_TIMEOUT = Duration.ofMinutes(5);
    /** Terraform ClientVPNEndpointDeletedTimeout: 5 m. */
    static final Duration DELETE_TIMEOUT = Duration.ofMinutes(5);
    static final Deletion DELETION = Deletion.of("DeleteClientVpnEndpoint", DELETE_TIMEOUT, "InvalidClientVpnEndpointId.NotFound");
    /** Terraform ClientVPNNetworkAssociationCreatedTimeout/DeletedTimeout: 30 m (raised from 10 m; docs/aws-facts.md). */
    static final Duration ASSOCIATION_TIMEOUT = Duration.ofMinutes(30);
    /** Terraform ClientVPNAuthorizationRuleCreatedTimeout/DeletedTimeout: 10 m. */
    static final Duration RULE_TIMEOUT = Duration.ofMinutes(10);
    /** Terraform aws_ec2_client_vpn_route create/delete timeouts: 4 m. */
    static final Duration ROUTE_TIMEOUT = Duration.ofMinutes(4);
    /** CreateClientVpnEndpoint: the client CIDR is between /12 and /22. */
    static final int MIN_PREFIX = 12, MAX_PREFIX = 22;
    /** CreateClientVpnEndpoint DnsServers: "You can specify up to two DNS servers". */
    static final int MAX_DNS_SERVERS = 2;
    static final String ASSOCIATE_ORIGIN = "associate";

    private static final Schema SCHEMA = new Schema(true, List.of("dnsName"),
            Property.cidr("clientCidr").required().createOnly().describe("IPv4 pool client addresses come from, /12 to /22; must not overlap the VPC"),
            Property.string("serverCertificate").required().describe("ACM ARN of the server certificate; changed in place"),
            Property.object("authentication",
                    Property.object("certificate", Property.string("rootCertificateChain").required().describe("ACM ARN of the client root certificate chain")),
                    Property.object("federated", Property.string("samlProvider").required().describe("IAM SAML provider ARN"),
                            Property.string("selfServiceSamlProvider").describe("IAM SAML provider ARN for the self-service portal")),
                    Property.object("directory", Property.string("id").required().describe("AWS Directory Service directory id (d-…)")))
                    .required().createOnly().describe("certificate (mutual TLS), federated (SAML) or directory (Active Directory); certificate may be combined with one of the others"),
            Property.ref("vpc", List.of("vpc"), List.of("vpc-")).describe("the VPC whose subnets are associated; changed in place (associations are redone)"),
            Property.list("securityGroups", Property.ref("group", List.of("security-group"), List.of("sg-")))
                    .describe("security groups of the associations; omitted = the VPC's default group, not managed"),
            Property.list("subnets", Property.ref("subnet", List.of("subnet"), List.of("subnet-"))).defaultEmptyList()
                    .describe("target networks: one subnet per availability zone"),
            Property.list("authorizationRules", Property.object("rule",
                    Property.cidr("cidr").required().describe("network the clients may reach"),
                    Property.string("group").describe("access group (AD group id or SAML group); omitted = all users"),
                    Property.string("description"))).defaultEmptyList(),
            Property.list("routes", Property.object("route",
                    Property.cidr("destination").required(),
                    Property.ref("subnet", List.of("subnet"), List.of("subnet-")).required().describe("one of the associated subnets"),
                    Property.string("description"))).defaultEmptyList()
                    .describe("routes besides the ones AWS adds for each association"),
            Property.bool("splitTunnel").defaultValue(false),
            Property.list("dnsServers", Property.string("ip")).ordered().defaultEmptyList().describe("up to two DNS servers, primary first; [] = the VPC's resolver"),
            Property.string("transportProtocol").createOnly().oneOf("udp", "tcp").defaultValue("udp"),
            Property.integer("vpnPort").defaultValue(443).describe("443 or 1194"),
            Property.string("description"));

    /** One attempt, no SDK retries: see {@link #listRead}. */
    private static final AwsRequestOverrideConfiguration ONE_ATTEMPT = AwsRequestOverrideConfiguration.builder()
            .addPlugin(c -> c.overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())))
            .build();

    public ClientVpnEndpointType(AwsSession aws) {
        super(aws);
    }

    @Override
    public String name() {
        return "client-vpn-endpoint";
    }

    @Override
    public Schema schema() {
        return SCHEMA;
    }

    // ---------------------------------------------------------------- validation

    @Override
    public void validate(ResourceBlock b, Validation v) {
        JsonNode p = b.properties();
        Cidr pool = Cidr.parse(p.get("clientCidr").asText());
        if (pool.ipv6()) v.error(b, "/clientCidr", "the client CIDR is IPv4");
        else if (pool.prefix() < MIN_PREFIX || pool.prefix() > MAX_PREFIX)
            v.error(b, "/clientCidr", "the client CIDR must be between /" + MIN_PREFIX + " and /" + MAX_PREFIX + ", got /" + pool.prefix());
        JsonNode auth = p.get("authentication");
        boolean cert = auth.has("certificate"), fed = auth.has("federated"), dir = auth.has("directory");
        if (!cert && !fed && !dir) v.error(b, "/authentication", "give certificate, federated or directory authentication");
        if (fed && dir) v.error(b, "/authentication", "federated and directory authentication cannot be combined (a certificate can go with either)");
        int port = p.path("vpnPort").asInt(443);
        if (port != 443 && port != 1194) v.error(b, "/vpnPort", "the VPN port is 443 or 1194, got " + port);
        if (p.has("dnsServers") && p.get("dnsServers").size() > MAX_DNS_SERVERS) v.error(b, "/dnsServers", "at most " + MAX_DNS_SERVERS + " DNS servers");
        if (p.has("securityGroups") && !p.has("vpc")) v.error(b, "/securityGroups", "securityGroups need the endpoint's vpc");

        Optional<ResourceBlock> vpc = v.target(p.get("vpc"));
        vpc.ifPresent(vb -> {
            List<String> blocks = new ArrayList<>(List.of(vb.properties().path("cidr").asText()));
            vb.properties().path("secondaryCidrs").forEach(c -> blocks.add(c.asText()));
            for (String c : blocks) {
                try {
                    if (!pool.ipv6() && Cidr.parse(c).overlaps(pool)) v.error(b, "/clientCidr", pool + " overlaps " + vb.id() + "'s " + c + " (AWS refuses a client CIDR that overlaps the VPC)");
                } catch (IllegalArgumentException ignored) {
                    // reported on the vpc
                }
            }
        });
        Map<String, String> zones = new HashMap<>();
        Set<String> subnets = new TreeSet<>();
        JsonNode sn = p.path("subnets");
        for (int i = 0; i < sn.size(); i++) {
            subnets.add(sn.get(i).asText());
            int n = i;
            v.target(sn.get(i)).ifPresent(s -> {
                String zone = s.properties().path("zone").asText(null);
                if (zone != null && zones.containsKey(zone)) v.error(b, "/subnets/" + n, "a Client VPN endpoint takes one subnet per availability zone: " + s.id() + " and " + zones.get(zone) + " are both in " + zone);
                if (zone != null) zones.putIfAbsent(zone, s.id());
                if (p.has("vpc") && !s.properties().path("vpc").asText().equals(p.get("vpc").asText()))
                    v.error(b, "/subnets/" + n, s.id() + " is not in the endpoint's vpc " + p.get("vpc").asText());
            });
        }
        JsonNode routes = p.path("routes");
        for (int i = 0; i < routes.size(); i++) {
            String s = routes.get(i).path("subnet").asText();
            if (!subnets.contains(s)) v.error(b, "/routes/" + i + "/subnet", s + " is not one of the endpoint's subnets (a route goes through an associated subnet)");
        }
        Set<String> rules = new TreeSet<>();
        JsonNode rs = p.path("authorizationRules");
        for (int i = 0; i < rs.size(); i++) {
            String k = rs.get(i).path("cidr").asText() + " " + rs.get(i).path("group").asText("(all)");
            if (!rules.add(k)) v.error(b, "/authorizationRules/" + i, "a rule for " + k + " is already given");
        }
    }

    // ---------------------------------------------------------------- read

    @Override
    public List<LiveResource> list(TypeContext ctx) {
        List<ClientVpnEndpoint> endpoints = listRead(o -> {
            List<ClientVpnEndpoint> all = new ArrayList<>();
            AwsCalls.run(null, "DescribeClientVpnEndpoints", () -> ec2().describeClientVpnEndpointsPaginator(r -> r.overrideConfiguration(o))
                    .clientVpnEndpoints().forEach(all::add));
            return all;
        }).orElse(List.of());
        List<LiveResource> out = new ArrayList<>();
        for (ClientVpnEndpoint e : endpoints) {
            if (gone(e)) continue;
            Ec2Tags.ownedId(e.tags(), ctx.stack()).ifPresent(id -> out.add(read(id, e)));
        }
        return out;
    }

    /**
     * A list read: one attempt first, so that an endpoint that does not implement Client VPN at all
     * (moto answers an HTML 500 for every Client VPN action; docs/moto-notes.md) is recognised at once and
     * read as "no endpoints" instead of failing every plan after the SDK's whole retry budget.
     */
    private static <T> Optional<T> listRead(Function<AwsRequestOverrideConfiguration, T> read) {
        try {
            return Optional.of(read.apply(ONE_ATTEMPT));
        } catch (AwsFailure f) {
            if (unimplemented(f)) {
                LoggerFactory.getLogger(ClientVpnEndpointType.class).debug( // looked up here, not in a static field: loading this class (validate does) must not start logback
                        "the endpoint does not implement Client VPN ({}); no client-vpn-endpoint can exist there", f.getMessage());
                return Optional.empty();
            }
            if (!f.category().retryable()) throw f;
        }
        return Optional.of(read.apply(null));
    }

    /** A 501, or a 500 without an AWS error code and with an HTML body (AWS's 5xx always carry a code). */
    static boolean unimplemented(AwsFailure f) {
        if (!(f.getCause() instanceof AwsServiceException e)) return false;
        if (e.statusCode() == 501) return true;
        if (e.statusCode() != 500 || (f.code() != null && !f.code().isBlank() && !f.code().equals("500"))) return false;
        var d = e.awsErrorDetails();
        return d != null && d.sdkHttpResponse() != null
                && d.sdkHttpResponse().firstMatchingHeader("Content-Type").map(t -> t.toLowerCase().startsWith("text/html")).orElse(false);
    }

    static boolean gone(ClientVpnEndpoint e) {
        String s = e.status() == null ? null : e.status().codeAsString();
        return "deleting".equals(s) || "deleted".equals(s);
    }

    private LiveResource read(String id, ClientVpnEndpoint e) {
        String eid = e.clientVpnEndpointId();
        return translate(id, e, targetNetworks(id, eid), rules(id, eid), routes(id, eid));
    }

    private List<TargetNetwork> targetNetworks(String id, String endpointId) {
        List<TargetNetwork> out = new ArrayList<>();
        AwsCalls.run(id, "DescribeClientVpnTargetNetworks", () -> ec2().describeClientVpnTargetNetworksPaginator(r -> r.clientVpnEndpointId(endpointId))
                .clientVpnTargetNetworks().forEach(out::add));
        return out;
    }

    private List<AuthorizationRule> rules(String id, String endpointId) {
        List<AuthorizationRule> out = new ArrayList<>();
        AwsCalls.run(id, "DescribeClientVpnAuthorizationRules", () -> ec2().describeClientVpnAuthorizationRulesPaginator(r -> r.clientVpnEndpointId(endpointId))
                .authorizationRules().forEach(out::add));
        return out;
    }

    private List<ClientVpnRoute> routes(String id, String endpointId) {
        List<ClientVpnRoute> out = new ArrayList<>();
        AwsCalls.run(id, "DescribeClientVpnRoutes", () -> ec2().describeClientVpnRoutesPaginator(r -> r.clientVpnEndpointId(endpointId))
                .routes().forEach(out::add));
        return out;
    }

    static String code(TargetNetwork t) {
        return t.status() == null ? null : t.status().codeAsString();
    }

    static boolean live(TargetNetwork t) {
        return "associating".equals(code(t)) || "associated".equals(code(t));
    }

    static boolean live(AuthorizationRule r) {
        String s = r.status() == null ? null : r.status().codeAsString();
        return "authorizing".equals(s) || "active".equals(s);
    }

    static boolean live(ClientVpnRoute r) {
        String s = r.status() == null ? null : r.status().codeAsString();
        return !ASSOCIATE_ORIGIN.equals(r.origin()) && ("creating".equals(s) || "active".equals(s));
    }

    private LiveResource translate(String id, ClientVpnEndpoint e, List<TargetNetwork> nets, List<AuthorizationRule> rules, List<ClientVpnRoute> routes) {
        ObjectNode p = JsonNodeFactory.instance.objectNode();
        p.put("clientCidr", e.clientCidrBlock());
        p.put("serverCertificate", e.serverCertificateArn());
        ObjectNode auth = p.putObject("authentication");
        for (ClientVpnAuthentication a : e.authenticationOptions()) {
            if (a.type() == ClientVpnAuthenticationType.CERTIFICATE_AUTHENTICATION && a.mutualAuthentication() != null) {
                auth.putObject("certificate").put("rootCertificateChain", a.mutualAuthentication().clientRootCertificateChain());
            } else if (a.type() == ClientVpnAuthenticationType.FEDERATED_AUTHENTICATION && a.federatedAuthentication() != null) {
                ObjectNode f = auth.putObject("federated").put("samlProvider", a.federatedAuthentication().samlProviderArn());
                String selfService = blank(a.federatedAuthentication().selfServiceSamlProviderArn());
                if (selfService != null) f.put("selfServiceSamlProvider", selfService);
            } else if (a.type() == ClientVpnAuthenticationType.DIRECTORY_SERVICE_AUTHENTICATION && a.activeDirectory() != null) {
                auth.putObject("directory").put("id", a.activeDirectory().directoryId());
            }
        }
        if (blank(e.vpcId()) != null) p.put("vpc", e.vpcId());
        ArrayNode sgs = p.putArray("securityGroups");
        e.securityGroupIds().forEach(sgs::add);
        ArrayNode subnets = p.putArray("subnets");
        nets.stream().filter(ClientVpnEndpointType::live).map(TargetNetwork::targetNetworkId).distinct().forEach(subnets::add);
        ArrayNode rs = p.putArray("authorizationRules");
        for (AuthorizationRule r : rules) {
            if (!live(r)) continue;
            ObjectNode o = rs.addObject().put("cidr", r.destinationCidr());
            if (!Boolean.TRUE.equals(r.accessAll()) && blank(r.groupId()) != null) o.put("group", r.groupId());
            if (blank(r.description()) != null) o.put("description", r.description());
        }
        ArrayNode rt = p.putArray("routes");
        for (ClientVpnRoute r : routes) {
            if (!live(r)) continue;
            ObjectNode o = rt.addObject().put("destination", r.destinationCidr()).put("subnet", r.targetSubnet());
            if (blank(r.description()) != null) o.put("description", r.description());
        }
        p.put("splitTunnel", Boolean.TRUE.equals(e.splitTunnel()));
        ArrayNode dns = p.putArray("dnsServers");
        e.dnsServers().forEach(dns::add);
        if (e.transportProtocolAsString() != null) p.put("transportProtocol", e.transportProtocolAsString());
        if (e.vpnPort() != null) p.put("vpnPort", e.vpnPort());
        if (blank(e.description()) != null) p.put("description", e.description());
        p.set("tags", Ec2Tags.userTags(e.tags()));
        Map<String, String> attrs = new LinkedHashMap<>();
        if (e.dnsName() != null) attrs.put("dnsName", e.dnsName());
        return new LiveResource(id, name(), e.clientVpnEndpointId(), p, attrs);
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private Optional<ClientVpnEndpoint> describe(String id, String endpointId) {
        return find(id, "DescribeClientVpnEndpoints", () -> ec2().describeClientVpnEndpoints(r -> r.clientVpnEndpointIds(endpointId)).clientVpnEndpoints())
                .flatMap(l -> l.stream().filter(e -> endpointId.equals(e.clientVpnEndpointId())).findFirst());
    }

    private LiveResource readOne(TypeContext ctx, String id, String endpointId) {
        return readBack(ctx, id, endpointId, () -> describe(id, endpointId).filter(e -> !gone(e)).map(e -> List.of(read(id, e))).orElse(List.of()));
    }

    // ---------------------------------------------------------------- create

    @Override
    public LiveResource create(TypeContext ctx, ResourceSpec spec) {
        String id = spec.id();
        String endpointId = createEndpoint(ctx, spec, spec.clientToken());
        Optional<ClientVpnEndpoint> made = describe(id, endpointId);
        if (made.isPresent() && gone(made.get())) {
            // The token was first used by an endpoint that has since been deleted: AWS replays that result. Ask again.
            endpointId = createEndpoint(ctx, spec, token(spec.clientToken(), "recreate", endpointId));
        }
        String eid = endpointId;
        ctx.waiter().until(id, "Client VPN endpoint " + eid + " created", CREATE_TIMEOUT, Set.of("pending-associate", "available"),
                Set.of("deleting", "deleted"), () -> describe(id, eid)
                        .map(e -> new Waiter.Outcome(e.status() == null ? "unknown" : e.status().codeAsString(), e.status() == null ? null : e.status().message()))
                        .orElse(new Waiter.Outcome("not visible yet", null)));
        LiveResource live = readOne(ctx, id, eid);
        return update(ctx, live, spec, Set.of("subnets", "authorizationRules", "routes"));
    }

    private String createEndpoint(TypeContext ctx, ResourceSpec spec, String token) {
        JsonNode p = spec.properties();
        List<String> dns = strings(p.get("dnsServers"));
        List<String> sgs = strings(p.get("securityGroups"));
        CreateClientVpnEndpointResponse r = mutate(ctx, spec.id(), "CreateClientVpnEndpoint", () -> ec2().createClientVpnEndpoint(b -> {
            b.clientCidrBlock(spec.text("clientCidr"))
                    .serverCertificateArn(spec.text("serverCertificate"))
                    .authenticationOptions(authentication(p.get("authentication")))
                    .connectionLogOptions(c -> c.enabled(false))
                    .transportProtocol(spec.text("transportProtocol"))
                    .vpnPort(p.path("vpnPort").asInt(443))
                    .splitTunnel(spec.bool("splitTunnel", false))
                    .clientToken(token)
                    .tagSpecifications(Ec2Tags.spec(ResourceType.CLIENT_VPN_ENDPOINT, spec.tags()));
            if (!dns.isEmpty()) b.dnsServers(dns);
            if (spec.text("description") != null) b.description(spec.text("description"));
            if (spec.text("vpc") != null) b.vpcId(spec.text("vpc"));
            if (p.has("securityGroups")) b.securityGroupIds(sgs);
        }));
        return r.clientVpnEndpointId();
    }

    static List<ClientVpnAuthenticationRequest> authentication(JsonNode a) {
        List<ClientVpnAuthenticationRequest> out = new ArrayList<>();
        if (a.has("certificate")) out.add(ClientVpnAuthenticationRequest.builder().type(ClientVpnAuthenticationType.CERTIFICATE_AUTHENTICATION)
                .mutualAuthentication(m -> m.clientRootCertificateChainArn(a.get("certificate").path("rootCertificateChain").asText())).build());
        if (a.has("directory")) out.add(ClientVpnAuthenticationRequest.builder().type(ClientVpnAuthenticationType.DIRECTORY_SERVICE_AUTHENTICATION)
                .activeDirectory(d -> d.directoryId(a.get("directory").path("id").asText())).build());
        if (a.has("federated")) out.add(ClientVpnAuthenticationRequest.builder().type(ClientVpnAuthenticationType.FEDERATED_AUTHENTICATION)
                .federatedAuthentication(f -> f.samlProviderArn(a.get("federated").path("samlProvider").asText())
                        .selfServiceSAMLProviderArn(a.get("federated").path("selfServiceSamlProvider").asText(null))).build());
        return out;
    }

    // ---------------------------------------------------------------- update

    @Override
    public LiveResource update(TypeContext ctx, LiveResource live, ResourceSpec spec, Set<String> changed) {
        String id = spec.id(), eid = live.awsId();
        JsonNode want = spec.properties(), have = live.properties();
        if (describe(id, eid).filter(e -> !gone(e)).isEmpty()) throw gone(id, eid);
        boolean touched = false;

        Map<String, JsonNode> routesWant = routeKeys(want.get("routes")), routesHave = routeKeys(have.get("routes"));
        Map<String, JsonNode> rulesWant = ruleKeys(want.get("authorizationRules")), rulesHave = ruleKeys(have.get("authorizationRules"));
        boolean vpcChanged = changed.contains("vpc") && want.hasNonNull("vpc") && !want.get("vpc").asText().equals(have.path("vpc").asText(null));
        Set<String> subnetsWant = new TreeSet<>(strings(want.get("subnets"))), subnetsHave = new TreeSet<>(strings(have.get("subnets")));
        Set<String> disassociate = new TreeSet<>(subnetsHave);
        if (!vpcChanged) disassociate.removeAll(subnetsWant);

        // 1. what goes away, routes first (they name associated subnets), then rules, then associations
        if (changed.contains("routes") || !disassociate.isEmpty()) {
            for (Map.Entry<String, JsonNode> r : routesHave.entrySet()) {
                boolean subnetLeaves = disassociate.contains(r.getValue().path("subnet").asText());
                if (routesWant.containsKey(r.getKey()) && !subnetLeaves) continue;
                String dest = r.getValue().path("destination").asText(), subnet = r.getValue().path("subnet").asText();
                deleteQuietly(id, "DeleteClientVpnRoute", () -> ec2().deleteClientVpnRoute(b -> b.clientVpnEndpointId(eid).destinationCidrBlock(dest).targetVpcSubnetId(subnet)));
                touched = true;
            }
            waitRoutes(ctx, id, eid, routesWant, true);
        }
        if (changed.contains("authorizationRules")) {
            for (Map.Entry<String, JsonNode> r : rulesHave.entrySet()) {
                if (rulesWant.containsKey(r.getKey())) continue;
                String cidr = r.getValue().path("cidr").asText(), group = r.getValue().path("group").asText(null);
                deleteQuietly(id, "RevokeClientVpnIngress", () -> ec2().revokeClientVpnIngress(b -> {
                    b.clientVpnEndpointId(eid).targetNetworkCidr(cidr);
                    if (group == null) b.revokeAllGroups(true);
                    else b.accessGroupId(group);
                }));
                touched = true;
            }
            waitRules(ctx, id, eid, rulesWant, true);
        }
        if (!disassociate.isEmpty()) {
            disassociate(ctx, id, eid, disassociate);
            touched = true;
        }

        // 2. the endpoint's own attributes
        if (vpcChanged) {
            mutateRun(ctx, id, "ModifyClientVpnEndpoint", () -> ec2().modifyClientVpnEndpoint(b -> {
                b.clientVpnEndpointId(eid).vpcId(want.get("vpc").asText());
                if (want.has("securityGroups")) b.securityGroupIds(strings(want.get("securityGroups")));
            }));
            touched = true;
        }
        boolean cert = differs(changed, "serverCertificate", want, have), split = differs(changed, "splitTunnel", want, have),
                dns = differs(changed, "dnsServers", want, have), port = differs(changed, "vpnPort", want, have),
                desc = differs(changed, "description", want, have) && want.hasNonNull("description");
        if (cert || split || dns || port || desc) {
            List<String> servers = strings(want.get("dnsServers"));
            mutateRun(ctx, id, "ModifyClientVpnEndpoint", () -> ec2().modifyClientVpnEndpoint(b -> {
                b.clientVpnEndpointId(eid);
                if (cert) b.serverCertificateArn(want.get("serverCertificate").asText());
                if (split) b.splitTunnel(want.path("splitTunnel").asBoolean(false));
                if (dns) b.dnsServers(d -> d.enabled(!servers.isEmpty()).customDnsServers(servers));
                if (port) b.vpnPort(want.path("vpnPort").asInt(443));
                if (desc) b.description(want.get("description").asText());
            }));
            touched = true;
        }
        if (!vpcChanged && want.has("securityGroups") && differs(changed, "securityGroups", want, have)) {
            String vpc = want.hasNonNull("vpc") ? want.get("vpc").asText() : have.path("vpc").asText();
            mutateRun(ctx, id, "ApplySecurityGroupsToClientVpnTargetNetwork", () -> ec2().applySecurityGroupsToClientVpnTargetNetwork(b -> b
                    .clientVpnEndpointId(eid).vpcId(vpc).securityGroupIds(strings(want.get("securityGroups")))));
            touched = true;
        }

        // 3. what comes: associations, then rules, then routes (a route needs its subnet associated)
        Set<String> associate = new TreeSet<>(subnetsWant);
        if (!vpcChanged) associate.removeAll(subnetsHave);
        if (!associate.isEmpty()) {
            String salt = String.join(",", subnetsHave) + "|" + String.join(",", disassociate);
            for (String subnet : associate) {
                mutateRun(ctx, id, "AssociateClientVpnTargetNetwork", () -> ec2().associateClientVpnTargetNetwork(b -> b
                        .clientVpnEndpointId(eid).subnetId(subnet).clientToken(token(spec.clientToken(), "associate", eid, subnet, salt))));
            }
            waitAssociations(ctx, id, eid, subnetsWant);
            touched = true;
        }
        Set<String> ruleSalt = rulesHave.keySet();
        for (Map.Entry<String, JsonNode> r : rulesWant.entrySet()) {
            if (rulesHave.containsKey(r.getKey())) continue;
            JsonNode rule = r.getValue();
            mutateRun(ctx, id, "AuthorizeClientVpnIngress", () -> ec2().authorizeClientVpnIngress(b -> {
                b.clientVpnEndpointId(eid).targetNetworkCidr(rule.path("cidr").asText())
                        .clientToken(token(spec.clientToken(), "authorize", eid, r.getKey(), String.join(",", ruleSalt)));
                if (rule.hasNonNull("group")) b.accessGroupId(rule.get("group").asText());
                else b.authorizeAllGroups(true);
                if (rule.hasNonNull("description")) b.description(rule.get("description").asText());
            }));
            touched = true;
        }
        if (changed.contains("authorizationRules")) waitRules(ctx, id, eid, rulesWant, false);
        Set<String> routeSalt = routesHave.keySet();
        for (Map.Entry<String, JsonNode> r : routesWant.entrySet()) {
            JsonNode route = r.getValue();
            if (routesHave.containsKey(r.getKey()) && !disassociate.contains(route.path("subnet").asText())) continue;
            mutateRun(ctx, id, "CreateClientVpnRoute", () -> ec2().createClientVpnRoute(b -> {
                b.clientVpnEndpointId(eid).destinationCidrBlock(route.path("destination").asText()).targetVpcSubnetId(route.path("subnet").asText())
                        .clientToken(token(spec.clientToken(), "route", eid, r.getKey(), String.join(",", routeSalt) + "|" + String.join(",", disassociate)));
                if (route.hasNonNull("description")) b.description(route.get("description").asText());
            }));
            touched = true;
        }
        if (changed.contains("routes") || !disassociate.isEmpty()) waitRoutes(ctx, id, eid, routesWant, false);

        if (changed.contains("tags")) {
            Ec2Tags.update(ec2(), id, eid, have.get("tags"), want.get("tags"));
            touched = true;
        }
        return touched ? readOne(ctx, id, eid) : live;
    }

    /** Whether {@code prop} is to change: the diff names it and the values differ (security groups as a set). */
    private static boolean differs(Set<String> changed, String prop, JsonNode want, JsonNode have) {
        if (!changed.contains(prop) || !want.hasNonNull(prop)) return false;
        JsonNode w = want.get(prop), h = have.get(prop);
        if (h == null || h.isNull()) return true;
        if (prop.equals("securityGroups")) return !new TreeSet<>(strings(w)).equals(new TreeSet<>(strings(h)));
        return !w.equals(h);
    }

    /** Set keys of the routes: destination, subnet and description (a changed description is a new route). */
    static Map<String, JsonNode> routeKeys(JsonNode routes) {
        Map<String, JsonNode> out = new TreeMap<>();
        if (routes != null) for (JsonNode r : routes) {
            out.put(Cidr.canonical(r.path("destination").asText()) + " via " + r.path("subnet").asText() + " " + r.path("description").asText(""), r);
        }
        return out;
    }

    static Map<String, JsonNode> ruleKeys(JsonNode rules) {
        Map<String, JsonNode> out = new TreeMap<>();
        if (rules != null) for (JsonNode r : rules) {
            out.put(Cidr.canonical(r.path("cidr").asText()) + " for " + r.path("group").asText("(all)") + " " + r.path("description").asText(""), r);
        }
        return out;
    }

    private void disassociate(TypeContext ctx, String id, String eid, Set<String> subnets) {
        for (TargetNetwork t : targetNetworks(id, eid)) {
            if (!subnets.contains(t.targetNetworkId()) || !live(t)) continue;
            deleteQuietly(id, "DisassociateClientVpnTargetNetwork", () -> ec2().disassociateClientVpnTargetNetwork(b -> b.clientVpnEndpointId(eid).associationId(t.associationId())));
        }
        ctx.waiter().until(id, "subnets " + subnets + " disassociated from " + eid, ASSOCIATION_TIMEOUT, Set.of("done"), Set.of(), () -> {
            for (TargetNetwork t : targetNetworks(id, eid)) {
                if (subnets.contains(t.targetNetworkId()) && !"disassociated".equals(code(t))) return new Waiter.Outcome(t.targetNetworkId() + " " + code(t), null);
            }
            return new Waiter.Outcome("done", null);
        });
    }

    private void waitAssociations(TypeContext ctx, String id, String eid, Set<String> subnets) {
        ctx.waiter().until(id, "subnets " + subnets + " associated with " + eid, ASSOCIATION_TIMEOUT, Set.of("done"), Set.of("association-failed"), () -> {
            Map<String, TargetNetwork> now = new HashMap<>();
            for (TargetNetwork t : targetNetworks(id, eid)) if (!"disassociated".equals(code(t))) now.put(t.targetNetworkId(), t);
            for (String s : subnets) {
                TargetNetwork t = now.get(s);
                if (t == null) return new Waiter.Outcome(s + " not visible yet", null);
                if ("association-failed".equals(code(t))) return new Waiter.Outcome("association-failed", s + ": " + (t.status().message() == null ? "" : t.status().message()));
                if (!"associated".equals(code(t))) return new Waiter.Outcome(s + " " + code(t), null);
            }
            return new Waiter.Outcome("done", null);
        });
    }

    /** Waits until the endpoint's rules are exactly {@code want} and none is in transition. */
    private void waitRules(TypeContext ctx, String id, String eid, Map<String, JsonNode> want, boolean removals) {
        ctx.waiter().until(id, "authorization rules of " + eid + (removals ? " revoked" : " active"), RULE_TIMEOUT, Set.of("done"), Set.of("failed"), () -> {
            List<AuthorizationRule> now = rules(id, eid);
            ArrayNode a = JsonNodeFactory.instance.arrayNode();
            for (AuthorizationRule r : now) {
                String s = r.status() == null ? "" : r.status().codeAsString();
                ObjectNode o = JsonNodeFactory.instance.objectNode().put("cidr", r.destinationCidr());
                if (!Boolean.TRUE.equals(r.accessAll()) && blank(r.groupId()) != null) o.put("group", r.groupId());
                if (blank(r.description()) != null) o.put("description", r.description());
                String key = ruleKeys(JsonNodeFactory.instance.arrayNode().add(o)).keySet().iterator().next();
                if ("failed".equals(s) && want.containsKey(key)) return new Waiter.Outcome("failed", key + ": " + r.status().message());
                if (s.equals("authorizing") || s.equals("revoking")) return new Waiter.Outcome(key + " " + s, null);
                if (live(r)) a.add(o);
            }
            Set<String> have = ruleKeys(a).keySet();
            if (removals) {
                for (String k : have) if (!want.containsKey(k)) return new Waiter.Outcome(k + " still active", null);
            } else {
                for (String k : want.keySet()) if (!have.contains(k)) return new Waiter.Outcome(k + " not visible yet", null);
            }
            return new Waiter.Outcome("done", null);
        });
    }

    private void waitRoutes(TypeContext ctx, String id, String eid, Map<String, JsonNode> want, boolean removals) {
        ctx.waiter().until(id, "routes of " + eid + (removals ? " deleted" : " active"), ROUTE_TIMEOUT, Set.of("done"), Set.of("failed"), () -> {
            ArrayNode a = JsonNodeFactory.instance.arrayNode();
            for (ClientVpnRoute r : routes(id, eid)) {
                if (ASSOCIATE_ORIGIN.equals(r.origin())) continue;
                String s = r.status() == null ? "" : r.status().codeAsString();
                ObjectNode o = JsonNodeFactory.instance.objectNode().put("destination", r.destinationCidr()).put("subnet", r.targetSubnet());
                if (blank(r.description()) != null) o.put("description", r.description());
                String key = routeKeys(JsonNodeFactory.instance.arrayNode().add(o)).keySet().iterator().next();
                if ("failed".equals(s) && want.containsKey(key)) return new Waiter.Outcome("failed", key + ": " + r.status().message());
                if (s.equals("creating") || s.equals("deleting")) return new Waiter.Outcome(key + " " + s, null);
                if (live(r)) a.add(o);
            }
            Set<String> have = routeKeys(a).keySet();
            if (removals) {
                for (String k : have) if (!want.containsKey(k)) return new Waiter.Outcome(k + " still active", null);
            } else {
                for (String k : want.keySet()) if (!have.contains(k)) return new Waiter.Outcome(k + " not visible yet", null);
            }
            return new Waiter.Outcome("done", null);
        });
    }

    /** A removal: NotFound means it is already gone. */
    private void deleteQuietly(String id, String action, Runnable call) {
        try {
            AwsCalls.run(id, action, call);
        } catch (AwsFailure f) {
            if (f.category() != ErrorCategory.NOT_FOUND) throw f;
        }
    }

    // ---------------------------------------------------------------- delete

    @Override
    public void delete(TypeContext ctx, LiveResource live) {
        String id = live.id(), eid = live.awsId();
        Optional<ClientVpnEndpoint> e = describe(id, eid);
        if (e.isEmpty() || gone(e.get())) return;
        // AWS deletes an endpoint only once no target network is associated.
        Set<String> associated = new TreeSet<>();
        for (TargetNetwork t : targetNetworks(id, eid)) if (live(t)) associated.add(t.targetNetworkId());
        if (!associated.isEmpty()) disassociate(ctx, id, eid, associated);
        deleteAndWaitGone(ctx, id, eid, DELETION, () -> ec2().deleteClientVpnEndpoint(b -> b.clientVpnEndpointId(eid)), () -> describe(id, eid),
                x -> new Waiter.Outcome(x.status() == null ? "unknown" : x.status().codeAsString(), null),
                new Wait("deleted", DELETE_TIMEOUT, Set.of("deleted", Waiter.GONE), Set.of(), Waiter.GONE));
    }

    // ---------------------------------------------------------------- helpers

    static List<String> strings(JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n != null && n.isArray()) n.forEach(x -> out.add(x.asText()));
        return out;
    }

    /** A ClientToken (≤ 64 ASCII characters) derived from the spec's token and what the call is about. */
    static String token(String base, String... parts) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(String.valueOf(base).getBytes(StandardCharsets.UTF_8));
            for (String p : parts) md.update(("\0" + p).getBytes(StandardCharsets.UTF_8));
            return "netstack-" + HexFormat.of().formatHex(md.digest()).substring(0, 40);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** IAM actions of the handlers above, for {@code netstack policy} (spi.Permissions). */
    @Override
    public io.netstack.spi.Permissions permissions() {
        return new io.netstack.spi.Permissions(
                java.util.List.of("ec2:DescribeClientVpnAuthorizationRules", "ec2:DescribeClientVpnEndpoints", "ec2:DescribeClientVpnRoutes", "ec2:DescribeClientVpnTargetNetworks"),
                java.util.List.of("ec2:ApplySecurityGroupsToClientVpnTargetNetwork", "ec2:AssociateClientVpnTargetNetwork", "ec2:AuthorizeClientVpnIngress", "ec2:CreateClientVpnEndpoint", "ec2:CreateClientVpnRoute", "ec2:CreateTags", "ec2:ModifyClientVpnEndpoint"),
                java.util.List.of("ec2:ApplySecurityGroupsToClientVpnTargetNetwork", "ec2:AssociateClientVpnTargetNetwork", "ec2:AuthorizeClientVpnIngress", "ec2:CreateClientVpnRoute", "ec2:CreateTags", "ec2:DeleteClientVpnRoute", "ec2:DeleteTags", "ec2:DisassociateClientVpnTargetNetwork", "ec2:ModifyClientVpnEndpoint", "ec2:RevokeClientVpnIngress"),
                java.util.List.of("ec2:DeleteClientVpnEndpoint", "ec2:DeleteClientVpnRoute", "ec2:DisassociateClientVpnTargetNetwork", "ec2:RevokeClientVpnIngress"),
                java.util.List.of());
    }
}
