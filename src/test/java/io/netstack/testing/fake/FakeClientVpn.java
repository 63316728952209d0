package io.netstack.testing.fake;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.services.ec2.model.ApplySecurityGroupsToClientVpnTargetNetworkResponse;
import software.amazon.awssdk.services.ec2.model.AssociateClientVpnTargetNetworkResponse;
import software.amazon.awssdk.services.ec2.model.AssociationStatus;
import software.amazon.awssdk.services.ec2.model.AuthorizationRule;
import software.amazon.awssdk.services.ec2.model.AuthorizeClientVpnIngressResponse;
import software.amazon.awssdk.services.ec2.model.CertificateAuthentication;
import software.amazon.awssdk.services.ec2.model.ClientVpnAuthentication;
import software.amazon.awssdk.services.ec2.model.ClientVpnAuthorizationRuleStatus;
import software.amazon.awssdk.services.ec2.model.ClientVpnEndpoint;
import software.amazon.awssdk.services.ec2.model.ClientVpnEndpointStatus;
import software.amazon.awssdk.services.ec2.model.ClientVpnRoute;
import software.amazon.awssdk.services.ec2.model.ClientVpnRouteStatus;
import software.amazon.awssdk.services.ec2.model.ConnectionLogResponseOptions;
import software.amazon.awssdk.services.ec2.model.CreateClientVpnEndpointResponse;
import software.amazon.awssdk.services.ec2.model.CreateClientVpnRouteResponse;
import software.amazon.awssdk.services.ec2.model.DeleteClientVpnEndpointResponse;
import software.amazon.awssdk.services.ec2.model.DeleteClientVpnRouteResponse;
import software.amazon.awssdk.services.ec2.model.DescribeClientVpnAuthorizationRulesResponse;
import software.amazon.awssdk.services.ec2.model.DescribeClientVpnEndpointsResponse;
import software.amazon.awssdk.services.ec2.model.DescribeClientVpnRoutesResponse;
import software.amazon.awssdk.services.ec2.model.DescribeClientVpnTargetNetworksResponse;
import software.amazon.awssdk.services.ec2.model.DirectoryServiceAuthentication;
import software.amazon.awssdk.services.ec2.model.DisassociateClientVpnTargetNetworkResponse;
import software.amazon.awssdk.services.ec2.model.FederatedAuthentication;
import software.amazon.awssdk.services.ec2.model.ModifyClientVpnEndpointResponse;
import software.amazon.awssdk.services.ec2.model.RevokeClientVpnIngressResponse;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TargetNetwork;

/**
 * An in-memory AWS Client VPN behind EC2's query protocol (form-encoded requests, XML answers):
 * endpoints, target-network associations, authorization rules, routes, and tags on endpoints.
 * moto implements none of Client VPN (docs/moto-notes.md); this covers that gap. Transitional states
 * ({@code associating}, {@code authorizing}, {@code creating}, {@code disassociating},
 * {@code revoking}, {@code deleting}) last {@link #pendingReads} reads each.
 *
 * <p>Behaves like AWS where netstack depends on it: ClientTokens replay the first answer (also for
 * an endpoint deleted since) and reject other parameters with {@code IdempotentParameterMismatch};
 * the endpoint is {@code pending-associate} until a subnet is associated; every association adds a
 * route with origin {@code associate}; a route needs its subnet associated; the VPC can only change
 * without associations; an endpoint with associations cannot be deleted; missing objects answer
 * AWS's {@code Invalid…NotFound} codes.
 */
public final class FakeClientVpn {
    public record Answer(int status, String body) {}

    static final Set<String> ACTIONS = Set.of("CreateClientVpnEndpoint", "DescribeClientVpnEndpoints", "ModifyClientVpnEndpoint", "DeleteClientVpnEndpoint",
            "AssociateClientVpnTargetNetwork", "DisassociateClientVpnTargetNetwork", "DescribeClientVpnTargetNetworks",
            "ApplySecurityGroupsToClientVpnTargetNetwork", "AuthorizeClientVpnIngress", "RevokeClientVpnIngress", "DescribeClientVpnAuthorizationRules",
            "CreateClientVpnRoute", "DeleteClientVpnRoute", "DescribeClientVpnRoutes");
    /** The CIDR AWS would add a route for on each association (the VPC's); settable per VPC. */
    public static final String DEFAULT_VPC_CIDR = "10.0.0.0/16";

    private int pendingReads = 1;
    private int pageSize = 2;
    private final Map<String, Endpoint> endpoints = new LinkedHashMap<>();
    private final Map<String, Replay> tokens = new HashMap<>();
    private final Map<String, String> vpcCidrs = new HashMap<>();

    record Replay(String params, Answer answer) {}

    final class Phase {
        String state, next;
        int left;

        void go(String pending, String settled) {
            state = pending;
            next = settled;
            left = pendingReads;
            if (left <= 0) read();
        }

        String read() {
            if (next != null) {
                if (left <= 0) {
                    state = next;
                    next = null;
                } else {
                    left--;
                }
            }
            return state;
        }
    }

    final class Endpoint {
        String id, clientCidr, serverCert, transport, description, vpcId, region;
        int port;
        boolean split, deleting;
        final Phase deletion = new Phase();
        List<String> dns = new ArrayList<>(), sgs = new ArrayList<>();
        List<Map<String, String>> auth = new ArrayList<>();
        final Map<String, String> tags = new TreeMap<>();
        final Map<String, Assoc> assocs = new LinkedHashMap<>();
        final List<Rule> rules = new ArrayList<>();
        final List<Route> routes = new ArrayList<>();
    }

    final class Assoc {
        String id, subnet, vpcId;
        final Phase phase = new Phase();
    }

    final class Rule {
        String cidr, group, description;
        boolean all;
        final Phase phase = new Phase();
    }

    final class Route {
        String dest, subnet, description, origin;
        final Phase phase = new Phase();
    }

    // ------------------------------------------------------------------ test knobs and views

    public synchronized FakeClientVpn pendingReads(int n) {
        pendingReads = n;
        return this;
    }

    public synchronized FakeClientVpn vpcCidr(String vpcId, String cidr) {
        vpcCidrs.put(vpcId, cidr);
        return this;
    }

    /**
     * DescribeTags rows ({@code resourceId}, {@code key}, {@code value}) of the endpoints that are
     * not deleted and carry tag {@code key}={@code value}: EC2's DescribeTags lists Client VPN
     * endpoints with the rest, and moto cannot, since the endpoints live here.
     */
    public synchronized List<String[]> tagRows(String key, String value) {
        List<String[]> out = new ArrayList<>();
        for (Endpoint e : endpoints.values()) {
            if ("deleted".equals(status(e, false))) continue;
            String v = e.tags.get(key);
            if (v != null && (value == null || value.equals(v))) out.add(new String[] {e.id, key, v});
        }
        return out;
    }

    /** Endpoints that are not deleted, as id → status. */
    public synchronized Map<String, String> endpoints() {
        Map<String, String> out = new LinkedHashMap<>();
        endpoints.values().stream().filter(e -> !"deleted".equals(status(e, false))).forEach(e -> out.put(e.id, status(e, false)));
        return out;
    }

    public synchronized String describeForTest(String endpointId) {
        Endpoint e = endpoints.get(endpointId);
        return "subnets=" + e.assocs.values().stream().filter(a -> !"disassociated".equals(a.phase.state)).map(a -> a.subnet).sorted().toList()
                + " rules=" + e.rules.stream().map(r -> r.cidr + (r.all ? "" : "@" + r.group)).sorted().toList()
                + " routes=" + e.routes.stream().filter(r -> !"associate".equals(r.origin)).map(r -> r.dest + "->" + r.subnet).sorted().toList()
                + " dns=" + e.dns + " split=" + e.split + " sgs=" + e.sgs + " cert=" + e.serverCert + " tags=" + e.tags;
    }

    /** Authorizes a rule outside netstack (as a person in the console would). */
    public synchronized void authorizeByHand(String endpointId, String cidr) {
        Rule r = new Rule();
        r.cidr = cidr;
        r.all = true;
        r.phase.state = "active";
        endpoints.get(endpointId).rules.add(r);
    }

    // ------------------------------------------------------------------ protocol

    boolean handles(String action, Map<String, String> params) {
        if (ACTIONS.contains(action)) return true;
        if (action.equals("CreateTags") || action.equals("DeleteTags")) {
            List<String> ids = list(params, "ResourceId");
            return !ids.isEmpty() && ids.stream().allMatch(i -> i.startsWith("cvpn-endpoint-"));
        }
        return false;
    }

    public synchronized Answer handle(String action, String region, Map<String, String> p) {
        String token = p.get("ClientToken");
        String signature = null;
        if (token != null) {
            Map<String, String> rest = new TreeMap<>(p);
            rest.remove("ClientToken");
            signature = rest.toString();
            Replay r = tokens.get(action + "/" + token);
            if (r != null) {
                if (!r.params().equals(signature)) return error("IdempotentParameterMismatch", "The client token " + token + " was used with different parameters");
                return r.answer();
            }
        }
        Answer a;
        try {
            a = switch (action) {
                case "CreateClientVpnEndpoint" -> createEndpoint(region, p);
                case "DescribeClientVpnEndpoints" -> describeEndpoints(p);
                case "ModifyClientVpnEndpoint" -> modifyEndpoint(p);
                case "DeleteClientVpnEndpoint" -> deleteEndpoint(p);
                case "AssociateClientVpnTargetNetwork" -> associate(p);
                case "DisassociateClientVpnTargetNetwork" -> disassociate(p);
                case "DescribeClientVpnTargetNetworks" -> describeTargetNetworks(p);
                case "ApplySecurityGroupsToClientVpnTargetNetwork" -> applySecurityGroups(p);
                case "AuthorizeClientVpnIngress" -> authorize(p);
                case "RevokeClientVpnIngress" -> revoke(p);
                case "DescribeClientVpnAuthorizationRules" -> describeRules(p);
                case "CreateClientVpnRoute" -> createRoute(p);
                case "DeleteClientVpnRoute" -> deleteRoute(p);
                case "DescribeClientVpnRoutes" -> describeRoutes(p);
                case "CreateTags" -> createTags(p);
                case "DeleteTags" -> deleteTags(p);
                default -> error("InvalidAction", "The action " + action + " is not valid for this web service.");
            };
        } catch (Ec2Error e) {
            return error(e.code, e.getMessage());
        }
        if (token != null && a.status() == 200) tokens.put(action + "/" + token, new Replay(signature, a));
        return a;
    }

    static final class Ec2Error extends RuntimeException {
        final String code;

        Ec2Error(String code, String message) {
            super(message);
            this.code = code;
        }
    }

    private static Answer ok(String action, SdkPojo body) {
        return new Answer(200, SdkWire.ec2Response(action, UUID.randomUUID().toString(), body));
    }

    private static Answer error(String code, String message) {
        return new Answer(400, SdkWire.ec2Error(code, message, UUID.randomUUID().toString()));
    }

    /** {@code Name.1}, {@code Name.2}, … of a query request. */
    static List<String> list(Map<String, String> p, String name) {
        List<String> out = new ArrayList<>();
        for (int i = 1; p.containsKey(name + "." + i); i++) out.add(p.get(name + "." + i));
        return out;
    }

    private static String req(Map<String, String> p, String name) {
        String v = p.get(name);
        if (v == null || v.isEmpty()) throw new Ec2Error("MissingParameter", "The request must contain the parameter " + name);
        return v;
    }

    private static String hex(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) sb.append(Character.forDigit(ThreadLocalRandom.current().nextInt(16), 16));
        return sb.toString();
    }

    // ------------------------------------------------------------------ endpoints

    private Endpoint endpoint(String id) {
        Endpoint e = endpoints.get(id);
        if (e == null || "deleted".equals(status(e, false))) throw new Ec2Error("InvalidClientVpnEndpointId.NotFound", "The Client VPN endpoint ID '" + id + "' does not exist");
        return e;
    }

    private String status(Endpoint e, boolean read) {
        if (e.deleting) return read ? e.deletion.read() : e.deletion.state;
        boolean associated = e.assocs.values().stream().anyMatch(a -> "associated".equals(a.phase.state));
        return associated ? "available" : "pending-associate";
    }

    private ClientVpnEndpoint sdk(Endpoint e, String status) {
        List<ClientVpnAuthentication> auth = new ArrayList<>();
        for (Map<String, String> a : e.auth) {
            ClientVpnAuthentication.Builder b = ClientVpnAuthentication.builder().type(a.get("Type"));
            switch (a.get("Type")) {
                case "certificate-authentication" -> b.mutualAuthentication(CertificateAuthentication.builder().clientRootCertificateChain(a.get("MutualAuthentication.ClientRootCertificateChainArn")).build());
                case "directory-service-authentication" -> b.activeDirectory(DirectoryServiceAuthentication.builder().directoryId(a.get("ActiveDirectory.DirectoryId")).build());
                case "federated-authentication" -> b.federatedAuthentication(FederatedAuthentication.builder().samlProviderArn(a.get("FederatedAuthentication.SAMLProviderArn"))
                        .selfServiceSamlProviderArn(a.get("FederatedAuthentication.SelfServiceSAMLProviderArn")).build());
                default -> { }
            }
            auth.add(b.build());
        }
        List<Tag> tags = new ArrayList<>();
        e.tags.forEach((k, v) -> tags.add(Tag.builder().key(k).value(v).build()));
        return ClientVpnEndpoint.builder().clientVpnEndpointId(e.id).description(e.description)
                .status(ClientVpnEndpointStatus.builder().code(status).build()).creationTime("2026-01-01T00:00:00")
                .dnsName("*." + e.id + ".prod.clientvpn." + e.region + ".amazonaws.com").clientCidrBlock(e.clientCidr).dnsServers(e.dns)
                .splitTunnel(e.split).vpnProtocol("openvpn").transportProtocol(e.transport).vpnPort(e.port).serverCertificateArn(e.serverCert)
                .authenticationOptions(auth).connectionLogOptions(ConnectionLogResponseOptions.builder().enabled(false).build())
                .tags(tags).securityGroupIds(e.sgs).vpcId(e.vpcId).build();
    }

    private Answer createEndpoint(String region, Map<String, String> p) {
        Endpoint e = new Endpoint();
        e.id = "cvpn-endpoint-" + hex(17);
        e.region = region;
        e.clientCidr = req(p, "ClientCidrBlock");
        e.serverCert = req(p, "ServerCertificateArn");
        if (!p.containsKey("ConnectionLogOptions.Enabled")) throw new Ec2Error("MissingParameter", "The request must contain the parameter ConnectionLogOptions");
        for (int i = 1; p.containsKey("Authentication." + i + ".Type"); i++) {
            Map<String, String> a = new HashMap<>();
            String prefix = "Authentication." + i + ".";
            p.forEach((k, v) -> {
                if (k.startsWith(prefix)) a.put(k.substring(prefix.length()), v);
            });
            e.auth.add(a);
        }
        if (e.auth.isEmpty()) throw new Ec2Error("MissingParameter", "The request must contain the parameter Authentication");
        e.dns.addAll(list(p, "DnsServers"));
        e.transport = p.getOrDefault("TransportProtocol", "udp");
        e.port = Integer.parseInt(p.getOrDefault("VpnPort", "443"));
        e.split = Boolean.parseBoolean(p.getOrDefault("SplitTunnel", "false"));
        e.description = p.get("Description");
        e.vpcId = p.get("VpcId");
        e.sgs.addAll(list(p, "SecurityGroupId"));
        if (!e.sgs.isEmpty() && e.vpcId == null) throw new Ec2Error("InvalidParameterValue", "SecurityGroupIds need a VpcId");
        for (int i = 1; p.containsKey("TagSpecification." + i + ".ResourceType"); i++) {
            if (!p.get("TagSpecification." + i + ".ResourceType").equals("client-vpn-endpoint")) throw new Ec2Error("InvalidParameterValue", "bad tag resource type");
            for (int j = 1; p.containsKey("TagSpecification." + i + ".Tag." + j + ".Key"); j++) {
                e.tags.put(p.get("TagSpecification." + i + ".Tag." + j + ".Key"), p.getOrDefault("TagSpecification." + i + ".Tag." + j + ".Value", ""));
            }
        }
        endpoints.put(e.id, e);
        return ok("CreateClientVpnEndpoint", CreateClientVpnEndpointResponse.builder().clientVpnEndpointId(e.id)
                .status(ClientVpnEndpointStatus.builder().code("pending-associate").build()).dnsName(sdk(e, "pending-associate").dnsName()).build());
    }

    private Answer describeEndpoints(Map<String, String> p) {
        List<String> ids = list(p, "ClientVpnEndpointId");
        List<ClientVpnEndpoint> all = new ArrayList<>();
        for (Endpoint e : endpoints.values()) {
            if (!ids.isEmpty() && !ids.contains(e.id)) continue;
            String s = status(e, true);
            if (s.equals("deleted") && ids.isEmpty()) continue;
            all.add(sdk(e, s));
        }
        if (!ids.isEmpty() && all.isEmpty()) throw new Ec2Error("InvalidClientVpnEndpointId.NotFound", "The Client VPN endpoint ID '" + ids.get(0) + "' does not exist");
        int from = p.containsKey("NextToken") ? Integer.parseInt(p.get("NextToken")) : 0;
        int to = Math.min(all.size(), from + pageSize);
        return ok("DescribeClientVpnEndpoints", DescribeClientVpnEndpointsResponse.builder().clientVpnEndpoints(all.subList(from, to))
                .nextToken(to < all.size() ? String.valueOf(to) : null).build());
    }

    private Answer modifyEndpoint(Map<String, String> p) {
        Endpoint e = endpoint(req(p, "ClientVpnEndpointId"));
        if (p.containsKey("VpcId") && !p.get("VpcId").equals(e.vpcId)) {
            if (e.assocs.values().stream().anyMatch(a -> !"disassociated".equals(a.phase.state))) {
                throw new Ec2Error("InvalidParameterValue", "The VPC of a Client VPN endpoint can only change while no target network is associated");
            }
            e.vpcId = p.get("VpcId");
            e.sgs = list(p, "SecurityGroupId");
        }
        if (p.containsKey("ServerCertificateArn")) e.serverCert = p.get("ServerCertificateArn");
        if (p.containsKey("DnsServers.Enabled")) {
            e.dns = Boolean.parseBoolean(p.get("DnsServers.Enabled")) ? list(p, "DnsServers.CustomDnsServers") : new ArrayList<>();
        }
        if (p.containsKey("VpnPort")) e.port = Integer.parseInt(p.get("VpnPort"));
        if (p.containsKey("SplitTunnel")) e.split = Boolean.parseBoolean(p.get("SplitTunnel"));
        if (p.containsKey("Description")) e.description = p.get("Description");
        return ok("ModifyClientVpnEndpoint", ModifyClientVpnEndpointResponse.builder().returnValue(true).build());
    }

    private Answer deleteEndpoint(Map<String, String> p) {
        Endpoint e = endpoint(req(p, "ClientVpnEndpointId"));
        if (e.assocs.values().stream().anyMatch(a -> !"disassociated".equals(a.phase.state))) {
            throw new Ec2Error("InvalidClientVpnEndpointState", "Client VPN endpoint " + e.id + " has target network associations; disassociate them first");
        }
        e.deleting = true;
        e.deletion.go("deleting", "deleted");
        return ok("DeleteClientVpnEndpoint", DeleteClientVpnEndpointResponse.builder().status(ClientVpnEndpointStatus.builder().code("deleting").build()).build());
    }

    // ------------------------------------------------------------------ associations

    private TargetNetwork sdk(Endpoint e, Assoc a, String status) {
        return TargetNetwork.builder().associationId(a.id).vpcId(a.vpcId).targetNetworkId(a.subnet).clientVpnEndpointId(e.id)
                .status(AssociationStatus.builder().code(status).build()).securityGroups(e.sgs).build();
    }

    private Answer associate(Map<String, String> p) {
        Endpoint e = endpoint(req(p, "ClientVpnEndpointId"));
        String subnet = req(p, "SubnetId");
        if (!subnet.startsWith("subnet-")) throw new Ec2Error("InvalidSubnetID.NotFound", "The subnet ID '" + subnet + "' does not exist");
        if (e.assocs.values().stream().anyMatch(a -> a.subnet.equals(subnet) && !"disassociated".equals(a.phase.state))) {
            throw new Ec2Error("InvalidClientVpnDuplicateAssociationException", "Subnet " + subnet + " is already associated with " + e.id);
        }
        Assoc a = new Assoc();
        a.id = "cvpn-assoc-" + hex(17);
        a.subnet = subnet;
        a.vpcId = e.vpcId != null ? e.vpcId : "vpc-" + hex(17);
        if (e.vpcId == null) e.vpcId = a.vpcId;
        e.assocs.put(a.id, a);
        a.phase.go("associating", "associated");
        Route r = new Route(); // AWS's own route to the VPC through the new association
        r.dest = vpcCidrs.getOrDefault(a.vpcId, DEFAULT_VPC_CIDR);
        r.subnet = subnet;
        r.origin = "associate";
        r.description = "Default Route";
        r.phase.go("creating", "active");
        e.routes.add(r);
        return ok("AssociateClientVpnTargetNetwork", AssociateClientVpnTargetNetworkResponse.builder().associationId(a.id)
                .status(AssociationStatus.builder().code(a.phase.state).build()).build());
    }

    private Answer disassociate(Map<String, String> p) {
        Endpoint e = endpoint(req(p, "ClientVpnEndpointId"));
        Assoc a = e.assocs.get(req(p, "AssociationId"));
        if (a == null || "disassociated".equals(a.phase.state)) throw new Ec2Error("InvalidClientVpnAssociationId.NotFound", "The association ID '" + p.get("AssociationId") + "' does not exist");
        a.phase.go("disassociating", "disassociated");
        e.routes.removeIf(r -> r.subnet.equals(a.subnet) && "associate".equals(r.origin));
        return ok("DisassociateClientVpnTargetNetwork", DisassociateClientVpnTargetNetworkResponse.builder().associationId(a.id)
                .status(AssociationStatus.builder().code(a.phase.state).build()).build());
    }

    private Answer describeTargetNetworks(Map<String, String> p) {
        Endpoint e = endpoint(req(p, "ClientVpnEndpointId"));
        List<TargetNetwork> out = new ArrayList<>();
        for (Assoc a : e.assocs.values()) out.add(sdk(e, a, a.phase.read()));
        return ok("DescribeClientVpnTargetNetworks", DescribeClientVpnTargetNetworksResponse.builder().clientVpnTargetNetworks(out).build());
    }

    private Answer applySecurityGroups(Map<String, String> p) {
        Endpoint e = endpoint(req(p, "ClientVpnEndpointId"));
        String vpc = req(p, "VpcId");
        if (e.vpcId != null && !e.vpcId.equals(vpc)) throw new Ec2Error("InvalidParameterValue", "VPC " + vpc + " is not the endpoint's VPC " + e.vpcId);
        List<String> sgs = list(p, "SecurityGroupId");
        if (sgs.isEmpty()) throw new Ec2Error("MissingParameter", "The request must contain the parameter SecurityGroupId");
        e.sgs = sgs;
        return ok("ApplySecurityGroupsToClientVpnTargetNetwork", ApplySecurityGroupsToClientVpnTargetNetworkResponse.builder().securityGroupIds(sgs).build());
    }

    // ------------------------------------------------------------------ rules

    private Answer authorize(Map<String, String> p) {
        Endpoint e = endpoint(req(p, "ClientVpnEndpointId"));
        Rule r = new Rule();
        r.cidr = req(p, "TargetNetworkCidr");
        r.all = Boolean.parseBoolean(p.getOrDefault("AuthorizeAllGroups", "false"));
        r.group = p.get("AccessGroupId");
        if (r.all == (r.group != null)) throw new Ec2Error("InvalidParameterCombination", "Specify either AccessGroupId or AuthorizeAllGroups");
        r.description = p.get("Description");
        boolean dup = e.rules.stream().anyMatch(x -> x.cidr.equals(r.cidr) && x.all == r.all && String.valueOf(x.group).equals(String.valueOf(r.group)));
        if (dup) throw new Ec2Error("InvalidClientVpnDuplicateAuthorizationRule", "An authorization rule for " + r.cidr + " already exists");
        r.phase.go("authorizing", "active");
        e.rules.add(r);
        return ok("AuthorizeClientVpnIngress", AuthorizeClientVpnIngressResponse.builder().status(ClientVpnAuthorizationRuleStatus.builder().code(r.phase.state).build()).build());
    }

    private Answer revoke(Map<String, String> p) {
        Endpoint e = endpoint(req(p, "ClientVpnEndpointId"));
        String cidr = req(p, "TargetNetworkCidr");
        boolean all = Boolean.parseBoolean(p.getOrDefault("RevokeAllGroups", "false"));
        String group = p.get("AccessGroupId");
        Rule r = e.rules.stream().filter(x -> x.cidr.equals(cidr) && (all ? x.all : group != null && group.equals(x.group))).findFirst()
                .orElseThrow(() -> new Ec2Error("InvalidClientVpnEndpointAuthorizationRuleNotFound", "No authorization rule for " + cidr));
        r.phase.go("revoking", "revoked");
        return ok("RevokeClientVpnIngress", RevokeClientVpnIngressResponse.builder().status(ClientVpnAuthorizationRuleStatus.builder().code("revoking").build()).build());
    }

    private Answer describeRules(Map<String, String> p) {
        Endpoint e = endpoint(req(p, "ClientVpnEndpointId"));
        List<AuthorizationRule> out = new ArrayList<>();
        for (Rule r : new ArrayList<>(e.rules)) {
            String s = r.phase.read();
            if (s.equals("revoked")) {
                e.rules.remove(r);
                continue;
            }
            out.add(AuthorizationRule.builder().clientVpnEndpointId(e.id).description(r.description).groupId(r.all ? "" : r.group).accessAll(r.all)
                    .destinationCidr(r.cidr).status(ClientVpnAuthorizationRuleStatus.builder().code(s).build()).build());
        }
        return ok("DescribeClientVpnAuthorizationRules", DescribeClientVpnAuthorizationRulesResponse.builder().authorizationRules(out).build());
    }

    // ------------------------------------------------------------------ routes

    private Answer createRoute(Map<String, String> p) {
        Endpoint e = endpoint(req(p, "ClientVpnEndpointId"));
        String dest = req(p, "DestinationCidrBlock"), subnet = req(p, "TargetVpcSubnetId");
        boolean active = e.assocs.values().stream().anyMatch(a -> a.subnet.equals(subnet) && "associated".equals(a.phase.state));
        if (!active) throw new Ec2Error("InvalidClientVpnActiveAssociationNotFound", "Subnet " + subnet + " has no active association with " + e.id);
        if (e.routes.stream().anyMatch(r -> r.dest.equals(dest) && r.subnet.equals(subnet))) throw new Ec2Error("InvalidClientVpnDuplicateRoute", "The route " + dest + " via " + subnet + " already exists");
        Route r = new Route();
        r.dest = dest;
        r.subnet = subnet;
        r.description = p.get("Description");
        r.origin = "add-route";
        r.phase.go("creating", "active");
        e.routes.add(r);
        return ok("CreateClientVpnRoute", CreateClientVpnRouteResponse.builder().status(ClientVpnRouteStatus.builder().code(r.phase.state).build()).build());
    }

    private Answer deleteRoute(Map<String, String> p) {
        Endpoint e = endpoint(req(p, "ClientVpnEndpointId"));
        String dest = req(p, "DestinationCidrBlock"), subnet = p.get("TargetVpcSubnetId");
        Route r = e.routes.stream().filter(x -> x.dest.equals(dest) && (subnet == null || subnet.equals(x.subnet)) && !"associate".equals(x.origin)).findFirst()
                .orElseThrow(() -> new Ec2Error("InvalidClientVpnRouteNotFound", "The route " + dest + " does not exist"));
        r.phase.go("deleting", "deleted");
        return ok("DeleteClientVpnRoute", DeleteClientVpnRouteResponse.builder().status(ClientVpnRouteStatus.builder().code("deleting").build()).build());
    }

    private Answer describeRoutes(Map<String, String> p) {
        Endpoint e = endpoint(req(p, "ClientVpnEndpointId"));
        List<ClientVpnRoute> out = new ArrayList<>();
        for (Route r : new ArrayList<>(e.routes)) {
            String s = r.phase.read();
            if (s.equals("deleted")) {
                e.routes.remove(r);
                continue;
            }
            out.add(ClientVpnRoute.builder().clientVpnEndpointId(e.id).destinationCidr(r.dest).targetSubnet(r.subnet).type("Nat").origin(r.origin)
                    .status(ClientVpnRouteStatus.builder().code(s).build()).description(r.description).build());
        }
        return ok("DescribeClientVpnRoutes", DescribeClientVpnRoutesResponse.builder().routes(out).build());
    }

    // ------------------------------------------------------------------ tags

    private Answer createTags(Map<String, String> p) {
        for (String id : list(p, "ResourceId")) {
            Endpoint e = endpoint(id);
            for (int i = 1; p.containsKey("Tag." + i + ".Key"); i++) e.tags.put(p.get("Tag." + i + ".Key"), p.getOrDefault("Tag." + i + ".Value", ""));
        }
        return ok("CreateTags", null);
    }

    private Answer deleteTags(Map<String, String> p) {
        for (String id : list(p, "ResourceId")) {
            Endpoint e = endpoint(id);
            for (int i = 1; p.containsKey("Tag." + i + ".Key"); i++) e.tags.remove(p.get("Tag." + i + ".Key"));
        }
        return ok("DeleteTags", null);
    }
}
