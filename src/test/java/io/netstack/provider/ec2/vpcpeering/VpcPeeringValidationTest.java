package io.netstack.provider.ec2.vpcpeering;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

/** What vpc-peering rejects before any AWS call ({@link VpcPeeringValidation}). */
class VpcPeeringValidationTest {
    @TempDir
    Path dir;

    static final String NET = """
        "a":  { "type": "vpc", "cidr": "10.1.0.0/16", "dnsHostnames": true },
        "b":  { "type": "vpc", "cidr": "10.2.0.0/16", "dnsHostnames": true },
        "c":  { "type": "vpc", "cidr": "10.1.128.0/17" },
        """;

    static String peering(String body) {
        return "\"pcx\": { \"type\": \"vpc-peering\", " + body + " }";
    }

    private Path file(String resources) {
        return StackFiles.write(dir, "s.json", "{ \"stack\": \"v\", \"region\": \"eu-west-1\", \"resources\": {\n" + NET + resources + "\n} }");
    }

    List<String> errors(String resources) {
        Path f = file(resources);
        try (Netstack ns = Netstack.forEndpoint(URI.create("http://127.0.0.1:9"))) {
            StackException e = assertThrows(StackException.class, () -> ns.validate(ns.load(f, Map.of())));
            return e.errors().stream().map(StackError::toString).toList();
        }
    }

    /** An error with {@code text}, reported as file:line:col. */
    static void has(List<String> errors, String text) {
        assertTrue(errors.stream().anyMatch(e -> e.contains(text) && e.matches("(?s).*s\\.json:\\d+:\\d+: .*")),
                () -> "no file:line:col error containing \"" + text + "\" in " + errors);
    }

    @Test
    void rules() {
        has(errors(peering("\"vpc\": \"${a}\", \"peerVpc\": \"${a}\"")), "a VPC cannot peer with itself");
        has(errors(peering("\"vpc\": \"${a}\", \"peerVpc\": \"${c}\"")), "overlapping CIDR blocks: a 10.1.0.0/16 overlaps c 10.1.128.0/17");
        has(errors(peering("\"vpc\": \"${a}\", \"peerVpc\": \"vpc-0123456789abcdef0\", \"peerRegion\": \"Ireland\"")), "is not an AWS region code");
        has(errors(peering("\"vpc\": \"${a}\", \"peerVpc\": \"vpc-0123456789abcdef0\", \"peerAccount\": \"1234\"")), "an AWS account id is 12 digits");
        has(errors(peering("\"vpc\": \"${a}\", \"peerVpc\": \"${b}\", \"peerRegion\": \"us-east-1\"")), "not in peerRegion us-east-1");
        has(errors(peering("\"vpc\": \"${a}\", \"peerVpc\": \"${c}\", \"dnsResolution\": true")), "set \"dnsHostnames\": true on c");
    }

    @Test
    void aPeeringOfTwoDisjointVpcsWithDnsHostnamesIsValid() {
        Path f = file(peering("\"vpc\": \"${a}\", \"peerVpc\": \"${b}\", \"dnsResolution\": true, \"autoAccept\": true"));
        try (Netstack ns = Netstack.forEndpoint(URI.create("http://127.0.0.1:9"))) {
            assertEquals(List.of(), ns.validate(ns.load(f, Map.of())).warnings());
        }
    }
}
