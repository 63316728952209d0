package io.netstack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netstack.testing.Cli;
import io.netstack.testing.StackFiles;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, bug 6: {@code validate} checks a stack whose variables have no value (CI has no
 * secrets or environment values), as {@code terraform validate} does; plan still needs them.
 * The endpoint is a closed loopback port: validate must not call AWS.
 */
class ValidateWithoutValuesTest {
    static final Map<String, String> ENV = Map.of("AWS_ENDPOINT_URL", "http://127.0.0.1:9",
            "AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test");

    static final String HEAD = """
            {
              "stack": "vars",
              "region": "eu-west-1",
              "tags": { "owner": "${var.owner}" },
              "variables": { "cidr": {}, "owner": {}, "zone": { "default": "a" }, "peer": {} },
              "resources": {
                "vpc": { "type": "vpc", "cidr": "${var.cidr}" },
                "a":   { "type": "subnet", "vpc": "${vpc}", "cidr": "10.0.1.0/24", "zone": "eu-west-1${var.zone}" },
                "b":   { "type": "subnet", "vpc": "${var.peer}", "cidr": "10.0.2.0/24" },
                "web": { "type": "security-group", "vpc": "${vpc}", "description": "web of ${var.owner}",
                         "ingress": [ { "protocol": "tcp", "ports": "443", "from": "${var.cidr}" } ] }""";

    @Test
    void validatesWithoutValuesAndNamesWhatIsLeftForPlan(@TempDir Path dir) {
        Path f = StackFiles.write(dir, "s.json", HEAD + "\n  }\n}\n");
        Cli.Result r = Cli.run(ENV, "validate", f.toString());
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("valid (stack vars, 4 resources); values of variables without a value (cidr, owner, peer) are checked at plan time"), r.toString());

        Cli.Result json = Cli.run(ENV, "validate", "--json", f.toString());
        assertEquals(0, json.exit(), json.toString());
        assertTrue(json.out().contains("\"unsetVariables\":[\"cidr\",\"owner\",\"peer\"]"), json.toString());

        // with the values given, the same file is checked in full
        Cli.Result given = Cli.run(ENV, "validate", f.toString(), "--var", "cidr=10.1.0.0/16", "--var", "owner=ops", "--var", "peer=vpc-0abc");
        assertEquals(3, given.exit(), given.toString());
        assertTrue(given.err().contains(f + ":8:") && given.err().contains("10.0.1.0/24 is outside vpc's CIDR blocks (10.1.0.0/16)"), given.toString());
    }

    @Test
    void planStillNeedsTheValues(@TempDir Path dir) {
        Path f = StackFiles.write(dir, "s.json", HEAD + "\n  }\n}\n");
        Cli.Result r = Cli.run(ENV, "plan", f.toString());
        assertEquals(3, r.exit(), r.toString());
        assertTrue(r.err().contains(f + ":7:") && r.err().contains("variable \"cidr\" has no value"), r.toString());
    }

    @Test
    void knownValuesAreStillChecked(@TempDir Path dir) {
        Path f = StackFiles.write(dir, "s.json", HEAD + ",\n"
                + "    \"c\": { \"type\": \"subnet\", \"vpc\": \"${vpc}\", \"cidr\": \"10.0.300.0/24\" },\n"
                + "    \"d\": { \"type\": \"security-group\", \"vpc\": \"${vpc}\", \"ingress\": [ { \"protocol\": \"tcp\", \"ports\": \"70000\", \"from\": \"${var.cidr}\" } ] }\n  }\n}\n");
        Cli.Result r = Cli.run(ENV, "validate", f.toString());
        assertEquals(3, r.exit(), r.toString());
        assertTrue(r.err().contains(f + ":12:") && r.err().contains("10.0.300.0/24"), r.toString());
        assertTrue(r.err().contains(f + ":13:") && r.err().contains("must be within 0-65535"), r.toString());
        assertTrue(r.err().contains("2 errors"), r.toString());
    }

    @Test
    void anUndeclaredVariableIsStillAnError(@TempDir Path dir) {
        Path f = StackFiles.write(dir, "s.json", HEAD + ",\n"
                + "    \"d\": { \"type\": \"subnet\", \"vpc\": \"${vpc}\", \"cidr\": \"${var.nope}\" }\n  }\n}\n");
        Cli.Result r = Cli.run(ENV, "validate", f.toString());
        assertEquals(3, r.exit(), r.toString());
        assertTrue(r.err().contains(f + ":12:") && r.err().contains("variable \"nope\" has no value"), r.toString());
        assertTrue(!r.err().contains("\"cidr\" has no value"), r.toString());
    }
}
