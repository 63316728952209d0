package io.netstack.provider.ec2.clientvpn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.netstack.provider.Ec2Tags;
import io.netstack.spi.LiveResource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import io.netstack.stack.Cidr;
import software.amazon.awssdk.services.ec2.model.AuthorizationRule;
import software.amazon.awssdk.services.ec2.model.ClientVpnAuthentication;
import software.amazon.awssdk.services.ec2.model.ClientVpnAuthenticationRequest;
import software.amazon.awssdk.services.ec2.model.ClientVpnAuthenticationType;
import software.amazon.awssdk.services.ec2.model.ClientVpnEndpoint;
import software.amazon.awssdk.services.ec2.model.ClientVpnRoute;
import software.amazon.awssdk.services.ec2.model.TargetNetwork;

/**
 * The canonical shape of {@link ClientVpnEndpointType} (as {@code TgwRouteTableTranslator} is for
 * TGW route tables): AWS objects to stack JSON and back, the set keys of rules and routes, which
 * children count as live, and the ClientTokens of the child calls.
 */
final class ClientVpnTranslator {
    private ClientVpnTranslator() {}

    static boolean gone(ClientVpnEndpoint e) {
        String s = e.status() == null ? null : e.status().codeAsString();
        return "deleting".equals(s) || "deleted".equals(s);
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
        return !ClientVpnEndpointType.ASSOCIATE_ORIGIN.equals(r.origin()) && ("creating".equals(s) || "active".equals(s));
    }

    static LiveResource translate(String type, String id, ClientVpnEndpoint e, List<TargetNetwork> nets, List<AuthorizationRule> rules, List<ClientVpnRoute> routes) {
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
        nets.stream().filter(ClientVpnTranslator::live).map(TargetNetwork::targetNetworkId).distinct().forEach(subnets::add);
        ArrayNode rs = p.putArray("authorizationRules");
        rules.stream().filter(ClientVpnTranslator::live).forEach(r -> rs.add(rule(r)));
        ArrayNode rt = p.putArray("routes");
        routes.stream().filter(ClientVpnTranslator::live).forEach(r -> rt.add(route(r)));
        p.put("splitTunnel", Boolean.TRUE.equals(e.splitTunnel()));
        ArrayNode dns = p.putArray("dnsServers");
        e.dnsServers().forEach(dns::add);
        if (e.transportProtocolAsString() != null) p.put("transportProtocol", e.transportProtocolAsString());
        if (e.vpnPort() != null) p.put("vpnPort", e.vpnPort());
        if (blank(e.description()) != null) p.put("description", e.description());
        p.set("tags", Ec2Tags.userTags(e.tags()));
        Map<String, String> attrs = new LinkedHashMap<>();
        if (e.dnsName() != null) attrs.put("dnsName", e.dnsName());
        return new LiveResource(id, type, e.clientVpnEndpointId(), p, attrs);
    }

    /** An authorization rule in the stack's shape: no group for a rule of all users. */
    static ObjectNode rule(AuthorizationRule r) {
        ObjectNode o = JsonNodeFactory.instance.objectNode().put("cidr", r.destinationCidr());
        if (!Boolean.TRUE.equals(r.accessAll()) && blank(r.groupId()) != null) o.put("group", r.groupId());
        if (blank(r.description()) != null) o.put("description", r.description());
        return o;
    }

    /** A route in the stack's shape. */
    static ObjectNode route(ClientVpnRoute r) {
        ObjectNode o = JsonNodeFactory.instance.objectNode().put("destination", r.destinationCidr()).put("subnet", r.targetSubnet());
        if (blank(r.description()) != null) o.put("description", r.description());
        return o;
    }

    static String blank(String s) {
        return s == null || s.isBlank() ? null : s;
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
}
