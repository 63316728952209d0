package io.netstack.provider.ec2.clientvpn;

import com.fasterxml.jackson.databind.JsonNode;
import io.netstack.provider.AwsCalls;
import io.netstack.provider.AwsSession;
import io.netstack.provider.Ec2Tags;
import io.netstack.provider.Deletion;
import io.netstack.provider.Ec2Type;
import io.netstack.provider.Finder;
import io.netstack.provider.Status;
import io.netstack.provider.Wait;
import io.netstack.spi.LiveResource;
import io.netstack.spi.Property;
import io.netstack.spi.ResourceSpec;
import io.netstack.spi.Schema;
import io.netstack.spi.TypeContext;
import io.netstack.spi.Validation;
import io.netstack.stack.ResourceBlock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.LoggerFactory;
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
    static final Status<ClientVpnEndpoint> STATUS = Status.of(ClientVpnEndpointType::state, e -> e.status() == null ? null : e.status().message());
    static final Set<String> GONE_STATES = DELETING_OR_DELETED;
    static final Wait CREATED = Wait.created("created", CREATE_TIMEOUT, "pending-associate", "available").failingOn("deleting", "deleted");
    static final Deletion DELETION = Deletion.of("DeleteClientVpnEndpoint", DELETE_TIMEOUT, "InvalidClientVpnEndpointId.NotFound");
    /** Terraform ClientVPNNetworkAssociationCreatedTimeout/DeletedTimeout: 30 m (raised from 10 m; docs/aws-facts.md). */
    static final Duration ASSOCIATION_TIMEOUT = Duration.ofMinutes(30);
    /** Terraform ClientVPNAuthorizationRuleCreatedTimeout/DeletedTimeout: 10 m. */
    static final Duration RULE_TIMEOUT = Duration.ofMinutes(10);
    /** Terraform aws_ec2_client_vpn_route create/delete timeouts: 4 m. */
    static final Duration ROUTE_TIMEOUT = Duration.ofMinutes(4);
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


    private final ClientVpnChildren children;

    /** The endpoint; {@code find(id, eid, goneStates)}: in any state but those, deleting and deleted ones included. */
    private final Finder<ClientVpnEndpoint> endpoints = finder("DescribeClientVpnEndpoints",
            endpointId -> ec2().describeClientVpnEndpoints(r -> r.clientVpnEndpointIds(endpointId)).clientVpnEndpoints(),
            ClientVpnEndpoint::clientVpnEndpointId, ClientVpnEndpointType::state, GONE_STATES);

    public ClientVpnEndpointType(AwsSession aws) {
        super(aws, "client-vpn-endpoint", "Client VPN endpoint", SCHEMA);
        children = new ClientVpnChildren(aws);
    }

    // ---------------------------------------------------------------- validation

    @Override
    public void validate(ResourceBlock b, Validation v) {
        ClientVpnValidation.validate(b, v);
    }

    // ---------------------------------------------------------------- read

    @Override
    public List<LiveResource> list(TypeContext ctx) {
        List<ClientVpnEndpoint> endpoints = ClientVpnChildren.listRead(o -> {
            List<ClientVpnEndpoint> all = new ArrayList<>();
            AwsCalls.run(null, "DescribeClientVpnEndpoints", () -> ec2().describeClientVpnEndpointsPaginator(r -> r.overrideConfiguration(o))
                    .clientVpnEndpoints().forEach(all::add));
            return all;
        }).orElse(List.of());
        List<LiveResource> out = new ArrayList<>();
        for (ClientVpnEndpoint e : endpoints) {
            if (ClientVpnTranslator.gone(e)) continue;
            Ec2Tags.ownedId(e.tags(), ctx.stack()).ifPresent(id -> out.add(read(id, e)));
        }
        return out;
    }

    private LiveResource read(String id, ClientVpnEndpoint e) {
        String eid = e.clientVpnEndpointId();
        return ClientVpnTranslator.translate(name(), id, e, children.targetNetworks(id, eid), children.rules(id, eid), children.routes(id, eid));
    }

    private Optional<LiveResource> readOne(String id, String endpointId) {
        return endpoints.find(id, endpointId).map(e -> read(id, e));
    }

    static String state(ClientVpnEndpoint e) {
        return e.status() == null || e.status().codeAsString() == null ? "unknown" : e.status().codeAsString();
    }

    // ---------------------------------------------------------------- create

    @Override
    public LiveResource create(TypeContext ctx, ResourceSpec spec) {
        String id = spec.id();
        String endpointId = createEndpoint(ctx, spec, spec.clientToken());
        Optional<ClientVpnEndpoint> made = endpoints.find(id, endpointId, Set.of());
        if (made.isPresent() && ClientVpnTranslator.gone(made.get())) {
            // The token was first used by an endpoint that has since been deleted: AWS replays that result. Ask again.
            endpointId = createEndpoint(ctx, spec, ClientVpnTranslator.token(spec.clientToken(), "recreate", endpointId));
        }
        String eid = endpointId;
        await(ctx, id, eid, CREATED, () -> endpoints.find(id, eid, Set.of()), STATUS);
        LiveResource live = readBack(ctx, id, eid, () -> readOne(id, eid));
        return update(ctx, live, spec, Set.of("subnets", "authorizationRules", "routes"));
    }

    private String createEndpoint(TypeContext ctx, ResourceSpec spec, String token) {
        JsonNode p = spec.properties();
        List<String> dns = ClientVpnTranslator.strings(p.get("dnsServers"));
        List<String> sgs = ClientVpnTranslator.strings(p.get("securityGroups"));
        CreateClientVpnEndpointResponse r = mutate(ctx, spec.id(), "CreateClientVpnEndpoint", () -> ec2().createClientVpnEndpoint(b -> {
            b.clientCidrBlock(spec.text("clientCidr"))
                    .serverCertificateArn(spec.text("serverCertificate"))
                    .authenticationOptions(ClientVpnTranslator.authentication(p.get("authentication")))
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

    // ---------------------------------------------------------------- update

    @Override
    public LiveResource update(TypeContext ctx, LiveResource live, ResourceSpec spec, Set<String> changed) {
        String id = spec.id(), eid = live.awsId();
        JsonNode want = spec.properties(), have = live.properties();
        ensureExists(id, eid, () -> endpoints.find(id, eid));
        boolean touched = false;

        Map<String, JsonNode> routesWant = ClientVpnTranslator.routeKeys(want.get("routes")), routesHave = ClientVpnTranslator.routeKeys(have.get("routes"));
        Map<String, JsonNode> rulesWant = ClientVpnTranslator.ruleKeys(want.get("authorizationRules")), rulesHave = ClientVpnTranslator.ruleKeys(have.get("authorizationRules"));
        boolean vpcChanged = changed.contains("vpc") && want.hasNonNull("vpc") && !want.get("vpc").asText().equals(have.path("vpc").asText(null));
        Set<String> subnetsWant = new TreeSet<>(ClientVpnTranslator.strings(want.get("subnets"))), subnetsHave = new TreeSet<>(ClientVpnTranslator.strings(have.get("subnets")));
        Set<String> disassociate = new TreeSet<>(subnetsHave);
        if (!vpcChanged) disassociate.removeAll(subnetsWant);

        // 1. what goes away, routes first (they name associated subnets), then rules, then associations
        if (changed.contains("routes") || !disassociate.isEmpty()) {
            for (Map.Entry<String, JsonNode> r : routesHave.entrySet()) {
                boolean subnetLeaves = disassociate.contains(r.getValue().path("subnet").asText());
                if (routesWant.containsKey(r.getKey()) && !subnetLeaves) continue;
                String dest = r.getValue().path("destination").asText(), subnet = r.getValue().path("subnet").asText();
                children.deleteQuietly(id, "DeleteClientVpnRoute", () -> ec2().deleteClientVpnRoute(b -> b.clientVpnEndpointId(eid).destinationCidrBlock(dest).targetVpcSubnetId(subnet)));
                touched = true;
            }
            children.waitRoutes(ctx, id, eid, routesWant, true);
        }
        if (changed.contains("authorizationRules")) {
            for (Map.Entry<String, JsonNode> r : rulesHave.entrySet()) {
                if (rulesWant.containsKey(r.getKey())) continue;
                String cidr = r.getValue().path("cidr").asText(), group = r.getValue().path("group").asText(null);
                children.deleteQuietly(id, "RevokeClientVpnIngress", () -> ec2().revokeClientVpnIngress(b -> {
                    b.clientVpnEndpointId(eid).targetNetworkCidr(cidr);
                    if (group == null) b.revokeAllGroups(true);
                    else b.accessGroupId(group);
                }));
                touched = true;
            }
            children.waitRules(ctx, id, eid, rulesWant, true);
        }
        if (!disassociate.isEmpty()) {
            children.disassociate(ctx, id, eid, disassociate);
            touched = true;
        }

        // 2. the endpoint's own attributes
        if (vpcChanged) {
            mutateRun(ctx, id, "ModifyClientVpnEndpoint", () -> ec2().modifyClientVpnEndpoint(b -> {
                b.clientVpnEndpointId(eid).vpcId(want.get("vpc").asText());
                if (want.has("securityGroups")) b.securityGroupIds(ClientVpnTranslator.strings(want.get("securityGroups")));
            }));
            touched = true;
        }
        boolean cert = differs(changed, "serverCertificate", want, have), split = differs(changed, "splitTunnel", want, have),
                dns = differs(changed, "dnsServers", want, have), port = differs(changed, "vpnPort", want, have),
                desc = differs(changed, "description", want, have) && want.hasNonNull("description");
        if (cert || split || dns || port || desc) {
            List<String> servers = ClientVpnTranslator.strings(want.get("dnsServers"));
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
                    .clientVpnEndpointId(eid).vpcId(vpc).securityGroupIds(ClientVpnTranslator.strings(want.get("securityGroups")))));
            touched = true;
        }

        // 3. what comes: associations, then rules, then routes (a route needs its subnet associated)
        Set<String> associate = new TreeSet<>(subnetsWant);
        if (!vpcChanged) associate.removeAll(subnetsHave);
        if (!associate.isEmpty()) {
            String salt = String.join(",", subnetsHave) + "|" + String.join(",", disassociate);
            for (String subnet : associate) {
                mutateRun(ctx, id, "AssociateClientVpnTargetNetwork", () -> ec2().associateClientVpnTargetNetwork(b -> b
                        .clientVpnEndpointId(eid).subnetId(subnet).clientToken(ClientVpnTranslator.token(spec.clientToken(), "associate", eid, subnet, salt))));
            }
            children.waitAssociations(ctx, id, eid, subnetsWant);
            touched = true;
        }
        Set<String> ruleSalt = rulesHave.keySet();
        for (Map.Entry<String, JsonNode> r : rulesWant.entrySet()) {
            if (rulesHave.containsKey(r.getKey())) continue;
            JsonNode rule = r.getValue();
            mutateRun(ctx, id, "AuthorizeClientVpnIngress", () -> ec2().authorizeClientVpnIngress(b -> {
                b.clientVpnEndpointId(eid).targetNetworkCidr(rule.path("cidr").asText())
                        .clientToken(ClientVpnTranslator.token(spec.clientToken(), "authorize", eid, r.getKey(), String.join(",", ruleSalt)));
                if (rule.hasNonNull("group")) b.accessGroupId(rule.get("group").asText());
                else b.authorizeAllGroups(true);
                if (rule.hasNonNull("description")) b.description(rule.get("description").asText());
            }));
            touched = true;
        }
        if (changed.contains("authorizationRules")) children.waitRules(ctx, id, eid, rulesWant, false);
        Set<String> routeSalt = routesHave.keySet();
        for (Map.Entry<String, JsonNode> r : routesWant.entrySet()) {
            JsonNode route = r.getValue();
            if (routesHave.containsKey(r.getKey()) && !disassociate.contains(route.path("subnet").asText())) continue;
            mutateRun(ctx, id, "CreateClientVpnRoute", () -> ec2().createClientVpnRoute(b -> {
                b.clientVpnEndpointId(eid).destinationCidrBlock(route.path("destination").asText()).targetVpcSubnetId(route.path("subnet").asText())
                        .clientToken(ClientVpnTranslator.token(spec.clientToken(), "route", eid, r.getKey(), String.join(",", routeSalt) + "|" + String.join(",", disassociate)));
                if (route.hasNonNull("description")) b.description(route.get("description").asText());
            }));
            touched = true;
        }
        if (changed.contains("routes") || !disassociate.isEmpty()) children.waitRoutes(ctx, id, eid, routesWant, false);

        return updatedAfterTags(ctx, live, spec, changed, touched, () -> readOne(id, eid));
    }

    /** Whether {@code prop} is to change: the diff names it and the values differ (security groups as a set). */
    private static boolean differs(Set<String> changed, String prop, JsonNode want, JsonNode have) {
        if (!changed.contains(prop) || !want.hasNonNull(prop)) return false;
        JsonNode w = want.get(prop), h = have.get(prop);
        if (h == null || h.isNull()) return true;
        if (prop.equals("securityGroups")) return !new TreeSet<>(ClientVpnTranslator.strings(w)).equals(new TreeSet<>(ClientVpnTranslator.strings(h)));
        return !w.equals(h);
    }

    // ---------------------------------------------------------------- delete

    @Override
    public void delete(TypeContext ctx, LiveResource live) {
        String id = live.id(), eid = live.awsId();
        if (endpoints.find(id, eid).isEmpty()) return;
        // AWS deletes an endpoint only once no target network is associated.
        Set<String> associated = new TreeSet<>();
        for (TargetNetwork t : children.targetNetworks(id, eid)) if (ClientVpnTranslator.live(t)) associated.add(t.targetNetworkId());
        if (!associated.isEmpty()) children.disassociate(ctx, id, eid, associated);
        deleteAndWaitGone(ctx, id, eid, DELETION, () -> ec2().deleteClientVpnEndpoint(b -> b.clientVpnEndpointId(eid)), () -> endpoints.find(id, eid, DELETED), STATUS); // gone once deleted, not while deleting
    }

    // ---------------------------------------------------------------- helpers

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
