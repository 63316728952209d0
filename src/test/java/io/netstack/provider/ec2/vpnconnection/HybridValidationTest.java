package io.netstack.provider.ec2.vpnconnection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netstack.engine.Validator;
import io.netstack.provider.AwsSession;
import io.netstack.provider.AwsSettings;
import io.netstack.provider.cloudfront.distribution.DistributionType;
import io.netstack.provider.ec2.customergateway.CustomerGatewayType;
import io.netstack.provider.ec2.vpngateway.VpnGatewayType;
import io.netstack.spi.ResourceType;
import io.netstack.spi.TypeRegistry;
import io.netstack.stack.StackError;
import io.netstack.stack.StackException;
import io.netstack.stack.StackFile;
import io.netstack.stack.StackLoader;
import io.netstack.testing.StackFiles;
import java.net.URI;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Offline checks of the site-to-site VPN and CloudFront types (no AWS call: the endpoint is a
 * closed port), and the scrubbing of keys from AWS messages. Messages name the rule, never a
 * pre-shared key.
 */
class HybridValidationTest {
    static final String HEAD = """
        { "stack": "v", "region": "eu-west-1", "resources": {
          "vgw": { "type": "vpn-gateway" },
          "cgw": { "type": "customer-gateway", "ip": "203.0.113.1" },
        """;

    /** The four types under test, independent of AwsProvider's registrations; the session points at a closed port. */
    static final AwsSession SESSION = new AwsSession(AwsSettings.of("eu-west-1", URI.create("http://127.0.0.1:9")));
    static final TypeRegistry TYPES = new TypeRegistry() {
        final Map<String, ResourceType> types = Map.of(
                "customer-gateway", new CustomerGatewayType(SESSION),
                "vpn-gateway", new VpnGatewayType(SESSION),
                "vpn-connection", new VpnConnectionType(SESSION),
                "cloudfront-distribution", new DistributionType(SESSION));

        @Override
        public Optional<ResourceType> find(String name) {
            return Optional.ofNullable(types.get(name));
        }

        @Override
        public Collection<ResourceType> all() {
            return types.values();
        }
    };

    static List<StackError> errors(Path dir, String resources) {
        StackFile s = StackLoader.load(StackFiles.write(dir, "s.json", HEAD + resources + "\n} }\n"), Map.of());
        return assertThrows(StackException.class, () -> new Validator(TYPES).validate(s)).errors();
    }

    static Validator.Result valid(Path dir, String resources) {
        return new Validator(TYPES).validate(StackLoader.load(StackFiles.write(dir, "s.json", HEAD + resources + "\n} }\n"), Map.of()));
    }

    static final String TUNNELS = "\"tunnels\": [ { \"insideCidr\": \"169.254.8.0/30\", \"preSharedKey\": \"%s\" }, { \"insideCidr\": \"%s\" } ]";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        no gateway        | "vpn": { "type": "vpn-connection", "customerGateway": "${cgw}" }                                              | exactly one of vpnGateway and transitGateway
        both gateways     | "vpn": { "type": "vpn-connection", "customerGateway": "${cgw}", "vpnGateway": "${vgw}", "transitGateway": "tgw-0123" } | exactly one of vpnGateway and transitGateway
        routes with BGP   | "vpn": { "type": "vpn-connection", "customerGateway": "${cgw}", "vpnGateway": "${vgw}", "routes": ["10.1.0.0/16"] } | static routes need "staticRoutesOnly": true
        routes on a TGW   | "vpn": { "type": "vpn-connection", "customerGateway": "${cgw}", "transitGateway": "tgw-0123", "staticRoutesOnly": true, "routes": ["10.1.0.0/16"] } | transit gateway VPN has no static routes
        one tunnel        | "vpn": { "type": "vpn-connection", "customerGateway": "${cgw}", "vpnGateway": "${vgw}", "tunnels": [ { "insideCidr": "169.254.8.0/30" } ] } | AWS always creates 2 tunnels
        not a /30         | "vpn": { "type": "vpn-connection", "customerGateway": "${cgw}", "vpnGateway": "${vgw}", "tunnels": [ { "insideCidr": "169.254.8.0/29" }, { "insideCidr": "169.254.9.0/30" } ] } | must be a /30 inside 169.254.0.0/16
        outside link-local| "vpn": { "type": "vpn-connection", "customerGateway": "${cgw}", "vpnGateway": "${vgw}", "tunnels": [ { "insideCidr": "10.0.0.0/30" }, { "insideCidr": "169.254.9.0/30" } ] } | must be a /30 inside 169.254.0.0/16
        reserved /30      | "vpn": { "type": "vpn-connection", "customerGateway": "${cgw}", "vpnGateway": "${vgw}", "tunnels": [ { "insideCidr": "169.254.169.252/30" }, { "insideCidr": "169.254.9.0/30" } ] } | is reserved by AWS
        same inside CIDR  | "vpn": { "type": "vpn-connection", "customerGateway": "${cgw}", "vpnGateway": "${vgw}", "tunnels": [ { "insideCidr": "169.254.9.0/30" }, { "insideCidr": "169.254.9.0/30" } ] } | need different inside CIDRs
        env outside secret| "cgw2": { "type": "customer-gateway", "ip": "${env.OFFICE_IP}" }                                          | only allowed in write-only properties
        bad cgw ip        | "cgw2": { "type": "customer-gateway", "ip": "203.0.113.300" }                                             | is not an IPv4 address
        bad vgw asn       | "vgw2": { "type": "vpn-gateway", "amazonAsn": 7224 }                                                      | amazonAsn must be a private ASN
        cdn no origin ref | "cdn": { "type": "cloudfront-distribution", "origins": [ { "id": "a", "domain": "a.example.com" } ], "defaultBehavior": { "origin": "b" } } | "b" is not the id of an origin
        cdn methods       | "cdn": { "type": "cloudfront-distribution", "origins": [ { "id": "a", "domain": "a.example.com" } ], "defaultBehavior": { "origin": "a", "allowedMethods": ["GET", "POST"] } } | CloudFront allows exactly
        cdn alias no cert | "cdn": { "type": "cloudfront-distribution", "aliases": ["www.example.com"], "origins": [ { "id": "a", "domain": "a.example.com" } ], "defaultBehavior": { "origin": "a" } } | aliases need a certificate
        cdn cert region   | "cdn": { "type": "cloudfront-distribution", "certificate": "arn:aws:acm:eu-west-1:123456789012:certificate/abc", "origins": [ { "id": "a", "domain": "a.example.com" } ], "defaultBehavior": { "origin": "a" } } | ACM certificates from us-east-1 only
        cdn url as domain | "cdn": { "type": "cloudfront-distribution", "origins": [ { "id": "a", "domain": "https://a.example.com/x" } ], "defaultBehavior": { "origin": "a" } } | is not a DNS name
        cdn origin path   | "cdn": { "type": "cloudfront-distribution", "origins": [ { "id": "a", "domain": "a.example.com", "path": "static/" } ], "defaultBehavior": { "origin": "a" } } | an origin path starts with /
        """)
    void rejected(String name, String block, String message, @TempDir Path dir) {
        List<StackError> errors = errors(dir, block);
        assertTrue(errors.stream().anyMatch(e -> e.message().contains(message)), () -> name + ": " + errors);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        too short        | sh0rt.k
        starts with zero | 0abcdefgh
        bad character    | abcd-efgh-ijkl
        too long         | aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
        """)
    void invalidLiteralKeyIsRejectedWithoutEchoingIt(String name, String key, @TempDir Path dir) {
        List<StackError> errors = errors(dir, "\"vpn\": { \"type\": \"vpn-connection\", \"customerGateway\": \"${cgw}\", \"vpnGateway\": \"${vgw}\", "
                + TUNNELS.formatted(key, "169.254.9.0/30") + " }");
        assertEquals(1, errors.size(), errors::toString);
        assertTrue(errors.get(0).message().contains("not a valid pre-shared key"), errors::toString);
        assertFalse(errors.toString().contains(key), "the key is not echoed");
    }

    @Test
    void validKeysAndEnvReferencesPass(@TempDir Path dir) {
        Validator.Result literal = valid(dir, "\"vpn\": { \"type\": \"vpn-connection\", \"customerGateway\": \"${cgw}\", \"vpnGateway\": \"${vgw}\", "
                + TUNNELS.formatted("Valid.key_123", "169.254.9.0/30") + " }");
        assertTrue(literal.warnings().stream().anyMatch(w -> w.message().contains("prefer \"${env.NAME}\"")), literal.warnings()::toString);
        assertFalse(literal.warnings().toString().contains("Valid.key_123"));
        Validator.Result env = valid(dir, "\"vpn\": { \"type\": \"vpn-connection\", \"customerGateway\": \"${cgw}\", \"vpnGateway\": \"${vgw}\", "
                + "\"staticRoutesOnly\": true, \"routes\": [\"10.1.0.0/16\"], " + TUNNELS.formatted("${env.VPN_PSK}", "169.254.9.4/30") + " }");
        assertTrue(env.warnings().isEmpty(), env.warnings()::toString);
    }

    @Test
    void awsMessagesQuotingAKeyAreScrubbed() {
        String key = "Quoted.key_42";
        var sdk = software.amazon.awssdk.awscore.exception.AwsServiceException.builder().message("Invalid value '" + key + "' for PreSharedKey").build();
        var failure = new io.netstack.spi.AwsFailure(io.netstack.spi.ErrorCategory.INVALID_REQUEST, "vpn", "CreateVpnConnection",
                "InvalidParameterValue", "req-1", "Invalid value '" + key + "' for PreSharedKey", sdk);
        var thrown = assertThrows(io.netstack.spi.AwsFailure.class, () -> VpnConnectionType.scrubbed(List.of(key), () -> {
            throw failure;
        }));
        assertFalse(thrown.describe().contains(key), thrown.describe());
        assertTrue(thrown.describe().contains("InvalidParameterValue") && thrown.describe().contains("(sensitive)") && thrown.describe().contains("req-1"), thrown.describe());
        assertEquals(null, thrown.getCause(), "the SDK exception, which repeats the message, is dropped");
        var other = new io.netstack.spi.AwsFailure(io.netstack.spi.ErrorCategory.CONFLICT, "vpn", "CreateVpnConnection", "no key here");
        assertEquals(other, assertThrows(io.netstack.spi.AwsFailure.class, () -> VpnConnectionType.scrubbed(List.of(key), () -> {
            throw other;
        })), "failures without a key pass unchanged");
    }
}
