package io.netstack.provider.ec2.clientvpn;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netstack.api.Netstack;
import io.netstack.stack.StackError;
import io.netstack.stack.StackException;
import io.netstack.testing.StackFiles;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What client-vpn-endpoint rejects before any AWS call. */
class ClientVpnEndpointValidationTest {
    @TempDir
    Path dir;

    static final String NET = """
        "vpc": { "type": "vpc", "cidr": "10.70.0.0/16" },
        "a":   { "type": "subnet", "vpc": "${vpc}", "cidr": "10.70.1.0/24", "zone": "eu-west-1a" },
        "a2":  { "type": "subnet", "vpc": "${vpc}", "cidr": "10.70.3.0/24", "zone": "eu-west-1a" },
        "b":   { "type": "subnet", "vpc": "${vpc}", "cidr": "10.70.2.0/24", "zone": "eu-west-1b" },
        "other": { "type": "vpc", "cidr": "10.80.0.0/16" },
        "c":   { "type": "subnet", "vpc": "${other}", "cidr": "10.80.1.0/24", "zone": "eu-west-1c" },
        """;

    static String endpoint(String extra) {
        return "\"vpn\": { \"type\": \"client-vpn-endpoint\", \"serverCertificate\": \"arn:aws:acm:eu-west-1:1:certificate/x\", "
                + "\"authentication\": { \"certificate\": { \"rootCertificateChain\": \"arn:aws:acm:eu-west-1:1:certificate/y\" } }" + extra + " }";
    }

    List<String> errors(String resources) {
        Path f = StackFiles.write(dir, "s.json", "{ \"stack\": \"v\", \"region\": \"eu-west-1\", \"resources\": {\n" + NET + resources + "\n} }");
        try (Netstack ns = Netstack.forEndpoint(URI.create("http://127.0.0.1:9"))) {
            StackException e = assertThrows(StackException.class, () -> ns.validate(ns.load(f, Map.of())));
            return e.errors().stream().map(StackError::toString).toList();
        }
    }

    void valid(String resources) {
        Path f = StackFiles.write(dir, "s.json", "{ \"stack\": \"v\", \"region\": \"eu-west-1\", \"resources\": {\n" + NET + resources + "\n} }");
        try (Netstack ns = Netstack.forEndpoint(URI.create("http://127.0.0.1:9"))) {
            ns.validate(ns.load(f, Map.of()));
        }
    }

    static void has(List<String> errors, String text) {
        assertTrue(errors.stream().anyMatch(e -> e.contains(text)), () -> "no error containing \"" + text + "\" in " + errors);
    }

    @Test
    void rules() {
        has(errors(endpoint(", \"clientCidr\": \"10.100.0.0/24\"")), "between /12 and /22, got /24");
        has(errors(endpoint(", \"clientCidr\": \"10.70.0.0/20\", \"vpc\": \"${vpc}\"")), "overlaps vpc's 10.70.0.0/16");
        has(errors(endpoint(", \"clientCidr\": \"10.100.0.0/22\", \"vpc\": \"${vpc}\", \"subnets\": [\"${a}\", \"${a2}\"]")), "one subnet per availability zone");
        has(errors(endpoint(", \"clientCidr\": \"10.100.0.0/22\", \"vpc\": \"${vpc}\", \"subnets\": [\"${c}\"]")), "c is not in the endpoint's vpc");
        has(errors(endpoint(", \"clientCidr\": \"10.100.0.0/22\", \"vpc\": \"${vpc}\", \"subnets\": [\"${a}\"], "
                + "\"routes\": [ { \"destination\": \"0.0.0.0/0\", \"subnet\": \"${b}\" } ]")), "is not one of the endpoint's subnets");
        has(errors(endpoint(", \"clientCidr\": \"10.100.0.0/22\", \"securityGroups\": [\"sg-1\"]")), "securityGroups need the endpoint's vpc");
        has(errors(endpoint(", \"clientCidr\": \"10.100.0.0/22\", \"vpnPort\": 8443")), "443 or 1194");
        has(errors(endpoint(", \"clientCidr\": \"10.100.0.0/22\", \"dnsServers\": [\"1.1.1.1\", \"8.8.8.8\", \"9.9.9.9\"]")), "at most 2 DNS servers");
        has(errors(endpoint(", \"clientCidr\": \"10.100.0.0/22\", \"authorizationRules\": [ { \"cidr\": \"10.70.0.0/16\" }, { \"cidr\": \"10.70.0.0/16\" } ]")),
                "already given");
        has(errors("\"vpn\": { \"type\": \"client-vpn-endpoint\", \"clientCidr\": \"10.100.0.0/22\", \"serverCertificate\": \"x\", "
                + "\"authentication\": { \"federated\": { \"samlProvider\": \"p\" }, \"directory\": { \"id\": \"d-1\" } } }"), "cannot be combined");
        has(errors("\"vpn\": { \"type\": \"client-vpn-endpoint\", \"clientCidr\": \"10.100.0.0/22\", \"serverCertificate\": \"x\", \"authentication\": {} }"),
                "give certificate, federated or directory authentication");
        valid(endpoint(", \"clientCidr\": \"10.100.0.0/22\", \"vpc\": \"${vpc}\", \"subnets\": [\"${a}\", \"${b}\"], "
                + "\"routes\": [ { \"destination\": \"0.0.0.0/0\", \"subnet\": \"${b}\" } ], \"authorizationRules\": [ { \"cidr\": \"0.0.0.0/0\", \"group\": \"g\" } ]"));
    }
}
