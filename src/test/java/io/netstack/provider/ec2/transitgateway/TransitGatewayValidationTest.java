package io.netstack.provider.ec2.transitgateway;

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

/** What transit-gateway rejects in its cidrBlocks before any AWS call. */
class TransitGatewayValidationTest {
    @TempDir
    Path dir;

    private Path file(String cidrBlocks) {
        return StackFiles.write(dir, "s.json", "{ \"stack\": \"v\", \"region\": \"eu-west-1\", \"resources\": {\n"
                + "\"tgw\": { \"type\": \"transit-gateway\", \"cidrBlocks\": [" + cidrBlocks + "] }\n} }");
    }

    List<String> errors(String cidrBlocks) {
        Path f = file(cidrBlocks);
        try (Netstack ns = Netstack.forEndpoint(URI.create("http://127.0.0.1:9"))) {
            StackException e = assertThrows(StackException.class, () -> ns.validate(ns.load(f, Map.of())));
            return e.errors().stream().map(StackError::toString).toList();
        }
    }

    static void has(List<String> errors, String text) {
        assertTrue(errors.stream().anyMatch(e -> e.contains(text) && e.contains("s.json:")), () -> "no file:line:col error containing \"" + text + "\" in " + errors);
    }

    @Test
    void cidrBlocks() {
        has(errors("\"10.0.0.0/25\""), "10.0.0.0/25 is too small for a transit gateway CIDR block: use /24 or larger");
        has(errors("\"2001:db8::/65\""), "is too small for a transit gateway CIDR block: use /64 or larger");
        has(errors("\"169.254.10.0/24\""), "169.254.10.0/24 overlaps 169.254.0.0/16");
        List<String> overlap = errors("\"10.0.0.0/16\", \"2001:db8::/56\", \"10.0.1.0/24\"");
        has(overlap, "10.0.1.0/24 overlaps 10.0.0.0/16, listed before it");
        assertEquals(1, overlap.size(), overlap.toString());
    }

    @Test
    void disjointBlocksOfBothFamiliesAreValid() {
        Path f = file("\"10.0.0.0/16\", \"10.1.0.0/24\", \"2001:db8::/56\"");
        try (Netstack ns = Netstack.forEndpoint(URI.create("http://127.0.0.1:9"))) {
            assertEquals(List.of(), ns.validate(ns.load(f, Map.of())).warnings());
        }
    }
}
