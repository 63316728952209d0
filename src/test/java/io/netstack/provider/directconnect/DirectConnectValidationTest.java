package io.netstack.provider.directconnect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netstack.api.Netstack;
import io.netstack.stack.StackError;
import io.netstack.stack.StackException;
import io.netstack.testing.StackFiles;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the Direct Connect types reject before any AWS call, with file:line:col. */
class DirectConnectValidationTest {
    @TempDir
    Path dir;

    List<String> errors(String resources) {
        Path f = StackFiles.write(dir, "s.json", "{ \"stack\": \"v\", \"region\": \"eu-west-1\", \"resources\": {\n" + resources + "\n} }");
        try (Netstack ns = Netstack.forEndpoint(URI.create("http://127.0.0.1:9"))) {
            StackException e = assertThrows(StackException.class, () -> ns.validate(ns.load(f, java.util.Map.of())));
            return e.errors().stream().map(StackError::toString).toList();
        }
    }

    void valid(String resources) {
        Path f = StackFiles.write(dir, "s.json", "{ \"stack\": \"v\", \"region\": \"eu-west-1\", \"resources\": {\n" + resources + "\n} }");
        try (Netstack ns = Netstack.forEndpoint(URI.create("http://127.0.0.1:9"))) {
            ns.validate(ns.load(f, java.util.Map.of()));
        }
    }

    static void has(List<String> errors, String text) {
        assertTrue(errors.stream().anyMatch(e -> e.contains(text)), () -> "no error containing \"" + text + "\" in " + errors);
    }

    @Test
    void gatewayAsnMustBePrivate() {
        List<String> e = errors("\"gw\": { \"type\": \"dx-gateway\", \"amazonAsn\": 65535 }");
        has(e, "gw: the Amazon-side ASN must be private");
        assertTrue(e.get(0).contains("s.json:2:"), "file:line:col: " + e);
        valid("\"gw\": { \"type\": \"dx-gateway\", \"amazonAsn\": 4200000000, \"name\": \"edge gateway\" }");
    }

    @Test
    void transitAssociationNeedsPrefixes() {
        has(errors("\"a\": { \"type\": \"dx-gateway-association\", \"dxGateway\": \"5f294f92-bafb-4011-916d-9b0bde000000\", \"gateway\": \"tgw-0123456789abcdef0\" }"),
                "an association with a transit gateway needs allowedPrefixes");
        has(errors("\"a\": { \"type\": \"dx-gateway-association\", \"dxGateway\": \"x\", \"gateway\": \"igw-0123\" }"),
                "neither a reference ${id} nor an AWS id starting with vgw- or tgw-");
        valid("\"a\": { \"type\": \"dx-gateway-association\", \"dxGateway\": \"5f294f92\", \"gateway\": \"vgw-0123456789abcdef0\" }");
    }

    @Test
    void associationPrefixesAreListedOnce() {
        String a = "\"a\": { \"type\": \"dx-gateway-association\", \"dxGateway\": \"5f294f92\", \"gateway\": \"tgw-0123456789abcdef0\", \"allowedPrefixes\": ";
        List<String> e = errors(a + "[\"10.0.0.0/16\", \"10.1.0.0/16\", \"10.0.0.0/16\"] }");
        has(e, "10.0.0.0/16 is listed twice");
        assertEquals(1, e.stream().filter(x -> x.contains("listed twice")).count(), e.toString());
        valid(a + "[\"10.0.0.0/16\", \"10.1.0.0/16\"] }");
    }

    @Test
    void virtualInterfaceRules() {
        String base = "\"type\": \"dx-virtual-interface\", \"connection\": \"dxcon-fgabc123\", \"vlan\": 100, \"customerAsn\": 65000";
        has(errors("\"v\": { " + base + ", \"kind\": \"private\" }"), "needs exactly one of dxGateway and vpnGateway");
        has(errors("\"v\": { " + base + ", \"kind\": \"private\", \"vpnGateway\": \"vgw-1\", \"dxGateway\": \"x\" }"), "needs exactly one of dxGateway and vpnGateway");
        has(errors("\"v\": { " + base + ", \"kind\": \"transit\", \"vpnGateway\": \"vgw-1\" }"), "a transit virtual interface needs dxGateway");
        has(errors("\"v\": { " + base + ", \"kind\": \"transit\", \"dxGateway\": \"x\", \"mtu\": 9001 }"), "a transit virtual interface's MTU is 1500 or 8500, got 9001");
        has(errors("\"v\": { " + base + ", \"kind\": \"private\", \"dxGateway\": \"x\", \"mtu\": 8500 }"), "a private virtual interface's MTU is 1500 or 9001");
        has(errors("\"v\": { " + base + ", \"kind\": \"public\" }"), "needs the public prefixes it advertises");
        has(errors("\"v\": { " + base.replace("dxcon-fgabc123", "conn-1") + ", \"kind\": \"private\", \"dxGateway\": \"x\" }"), "is not a connection or LAG id");
        has(errors("\"v\": { " + base + ", \"kind\": \"private\", \"dxGateway\": \"x\", \"authKey\": \"short\" }"), "not a valid BGP auth key: 6–80 printable ASCII characters without spaces");
        // the charset is checked too (issue 13 item 4), and the message never repeats the key
        List<String> spaced = errors("\"v\": { " + base + ", \"kind\": \"private\", \"dxGateway\": \"x\", \"authKey\": \"has a space\u00e9\" }");
        has(spaced, "not a valid BGP auth key");
        assertFalse(spaced.toString().contains("has a space"), spaced.toString());
        has(errors("\"v\": { " + base + ", \"kind\": \"private\", \"dxGateway\": \"x\", \"amazonAddress\": \"169.254.1.300/30\" }"), "is not an address with a prefix length");
        has(errors("\"v\": { " + base + ", \"kind\": \"private\", \"dxGateway\": \"x\", \"name\": \"${env.NAME}\" }"), "only allowed in write-only properties");
        valid("\"v\": { " + base + ", \"kind\": \"private\", \"dxGateway\": \"x\", \"mtu\": 9001, \"authKey\": \"${env.DX_KEY}\", "
                + "\"amazonAddress\": \"169.254.1.1/30\", \"customerAddress\": \"169.254.1.2/30\" }");
        valid("\"v\": { " + base + ", \"kind\": \"public\", \"prefixes\": [\"203.0.113.0/24\"], \"amazonAddress\": \"198.51.100.1/30\", \"customerAddress\": \"198.51.100.2/30\" }");
    }

    @Test
    void gatewayAssociationTargetsAreTyped() {
        List<String> e = errors("""
                "vpc": { "type": "vpc", "cidr": "10.0.0.0/16" },
                "a": { "type": "dx-gateway-association", "dxGateway": "${vpc}", "gateway": "vgw-0123" }""");
        has(e, "${vpc} is a vpc, expected dx-gateway");
        assertEquals(1, e.size(), e.toString());
    }
}
