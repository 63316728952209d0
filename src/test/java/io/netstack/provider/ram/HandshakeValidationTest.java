package io.netstack.provider.ram;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netstack.api.Netstack;
import io.netstack.engine.Validator;
import io.netstack.stack.StackError;
import io.netstack.stack.StackException;
import io.netstack.stack.StackFile;
import io.netstack.stack.StackLoader;
import io.netstack.testing.StackFiles;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Offline checks of the handshake types (issue 17): each mistake is a stack error at its line, before any AWS call. */
class HandshakeValidationTest {
    static final String HEAD = """
        { "stack": "v", "region": "eu-west-1", "resources": {
          "a": { "type": "vpc", "cidr": "10.1.0.0/16" },
          "b": { "type": "vpc", "cidr": "10.2.0.0/16" },
          "s": { "type": "subnet", "vpc": "${a}", "cidr": "10.1.1.0/24", "zone": "eu-west-1a" },
          "tgw": { "type": "transit-gateway" },
          "peering": { "type": "vpc-peering", "vpc": "${a}", "peerVpc": "${b}", "autoAccept": true },
          "att": { "type": "transit-gateway-attachment", "transitGateway": "${tgw}", "vpc": "${a}", "subnets": ["${s}"] },
          "share": { "type": "ram-resource-share", "resources": ["${tgw}"], "principals": ["222222222222"] },
        """;

    static List<StackError> errors(Path dir, String resources) {
        try (Netstack ns = Netstack.forEndpoint(URI.create("http://127.0.0.1:9"))) {
            StackFile s = StackLoader.load(StackFiles.write(dir, "s.json", HEAD + resources + "\n} }\n"), Map.of());
            return assertThrows(StackException.class, () -> new Validator(ns.provider("eu-west-1")).validate(s)).errors();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        own peering         | "x": { "type": "vpc-peering-acceptance", "peering": "${peering}" }                 | accept it with its "autoAccept": true instead
        not a pcx           | "x": { "type": "vpc-peering-acceptance", "peering": "vpc-0123" }                   | nor an AWS id starting with pcx-
        own attachment      | "x": { "type": "transit-gateway-attachment-acceptance", "attachment": "${att}" }    | needs no acceptance
        own share           | "x": { "type": "ram-share-acceptance", "share": "${share}" }                       | accept a share in the account it is shared with
        not a share ARN     | "x": { "type": "ram-share-acceptance", "share": "arn:aws:ec2:eu-west-1:111111111111:subnet/subnet-1" } | is not a resource share ARN
        bad principal       | "x": { "type": "ram-resource-share", "resources": ["${s}"], "principals": ["o-abc"] } | is not a 12-digit account id
        twice               | "x": { "type": "ram-resource-share", "resources": ["${s}"], "principals": ["222222222222", "222222222222"] } | is listed twice
        not shareable id    | "x": { "type": "ram-resource-share", "resources": ["vpc-0123"], "principals": ["222222222222"] } | nor an AWS id starting with tgw- or subnet- or pl- or arn:
        """)
    void rejected(String name, String block, String message, @TempDir Path dir) {
        List<StackError> errors = errors(dir, block);
        assertTrue(errors.stream().anyMatch(e -> e.message().contains(message)), () -> name + ": " + errors);
        assertTrue(errors.stream().allMatch(e -> e.toString().contains("s.json:")), () -> "file:line:col: " + errors);
    }

    @Test
    void acceptanceTargetsAreRouteAndTableTargets(@TempDir Path dir) {
        try (Netstack ns = Netstack.forEndpoint(URI.create("http://127.0.0.1:9"))) {
            StackFile s = StackLoader.load(StackFiles.write(dir, "ok.json", """
                { "stack": "v", "region": "eu-west-1", "resources": {
                  "a": { "type": "vpc", "cidr": "10.1.0.0/16" },
                  "tgw": { "type": "transit-gateway" },
                  "pcx": { "type": "vpc-peering-acceptance", "peering": "pcx-0123456789abcdef0", "dnsResolution": true },
                  "att": { "type": "transit-gateway-attachment-acceptance", "attachment": "tgw-attach-0123456789abcdef0" },
                  "rt": { "type": "route-table", "vpc": "${a}", "routes": [ { "destination": "10.9.0.0/16", "target": "${pcx}" } ] },
                  "spokes": { "type": "transit-gateway-route-table", "transitGateway": "${tgw}", "associations": ["${att}"], "propagations": ["${att}"] },
                  "share": { "type": "ram-share-acceptance", "share": "${stack:hub/share}" }
                } }
                """), Map.of());
            new Validator(ns.provider("eu-west-1")).validate(s); // throws on any error
        }
    }
}
