package io.netstack.provider.ec2.vpcendpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.netstack.engine.Json;
import io.netstack.engine.Validator;
import io.netstack.provider.ec2.subnet.SubnetType;
import io.netstack.provider.ec2.vpc.VpcType;
import io.netstack.spi.ResourceType;
import io.netstack.spi.TypeRegistry;
import io.netstack.stack.StackError;
import io.netstack.stack.StackException;
import io.netstack.stack.StackLoader;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.ec2.model.NetworkInterface;
import software.amazon.awssdk.services.ec2.model.NetworkInterfaceIpv6Address;
import software.amazon.awssdk.services.ec2.model.VpcEndpoint;
import org.junit.jupiter.api.Test;

/** The canonical forms that keep a just-applied endpoint at zero changes. */
class VpcEndpointTypeTest {
    static JsonNode json(String s) throws Exception {
        return Json.MAPPER.readTree(s);
    }

    @Test
    void serviceNamesCanonicalise() {
        assertEquals("s3", VpcEndpointType.canonicalService("s3", "eu-west-1"));
        assertEquals("s3", VpcEndpointType.canonicalService("com.amazonaws.eu-west-1.s3", "eu-west-1"));
        assertEquals("ecr.dkr", VpcEndpointType.canonicalService("com.amazonaws.eu-west-1.ecr.dkr", "eu-west-1"));
        assertEquals("com.amazonaws.us-east-1.s3", VpcEndpointType.canonicalService("com.amazonaws.us-east-1.s3", "eu-west-1"), "another region stays whole");
        assertEquals("vpce-svc-0abc123", VpcEndpointType.canonicalService("com.amazonaws.vpce.eu-west-1.vpce-svc-0abc123", "eu-west-1"),
                "endpoint services by id, so an owned one reads back as ${id}");
        assertEquals("${svc}", VpcEndpointType.canonicalService("${svc}", "eu-west-1"));
        assertEquals("aws.sagemaker.eu-west-1.notebook", VpcEndpointType.canonicalService("aws.sagemaker.eu-west-1.notebook", "eu-west-1"));
    }

    @Test
    void equivalentPoliciesCompareEqual() throws Exception {
        JsonNode stackSide = json("""
            { "Version": "2012-10-17",
              "Statement": { "Sid": "", "Effect": "Allow", "Principal": { "AWS": "arn:aws:iam::123456789012:root" },
                             "Action": "s3:GetObject", "Resource": ["arn:aws:s3:::b/*", "arn:aws:s3:::a/*"],
                             "Condition": { "StringEquals": { "aws:PrincipalOrgID": "o-1" } } } }
            """);
        String awsSide = "{\"Statement\":[{\"Resource\":[\"arn:aws:s3:::a/*\",\"arn:aws:s3:::b/*\"],\"Action\":[\"s3:GetObject\"],"
                + "\"Effect\":\"Allow\",\"Principal\":{\"AWS\":[\"arn:aws:iam::123456789012:root\"]},"
                + "\"Condition\":{\"StringEquals\":{\"aws:PrincipalOrgID\":[\"o-1\"]}}}],\"Version\":\"2012-10-17\"}";
        assertEquals(Json.canonical(VpcEndpointPolicy.canonicalPolicy(stackSide)),
                Json.canonical(VpcEndpointPolicy.canonicalPolicy(Json.MAPPER.getNodeFactory().textNode(awsSide))));
    }

    @Test
    void statementOrderDoesNotMatterButContentDoes() throws Exception {
        JsonNode a = json("{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"a\"},{\"Effect\":\"Deny\",\"Action\":\"b\"}]}");
        JsonNode b = json("{\"Statement\":[{\"Effect\":\"Deny\",\"Action\":[\"b\"]},{\"Effect\":\"Allow\",\"Action\":\"a\"}]}");
        JsonNode c = json("{\"Statement\":[{\"Effect\":\"Deny\",\"Action\":[\"b\"]},{\"Effect\":\"Allow\",\"Action\":\"c\"}]}");
        assertEquals(Json.canonical(VpcEndpointPolicy.canonicalPolicy(a)), Json.canonical(VpcEndpointPolicy.canonicalPolicy(b)));
        assertNotEquals(Json.canonical(VpcEndpointPolicy.canonicalPolicy(a)), Json.canonical(VpcEndpointPolicy.canonicalPolicy(c)));
    }

    // ------------------------------------------------------------------ fixed IPs per subnet

    static final TypeRegistry TYPES = registry(new VpcType(null), new SubnetType(null), new VpcEndpointType(null));

    /** The errors of a stack with a VPC and subnets a (10.78.1.0/24) and b (10.78.2.0/24), as file:line:col: message. */
    static List<String> errors(String endpoints) {
        String text = """
            { "stack": "t", "region": "eu-west-1",
              "resources": {
                "vpc": { "type": "vpc", "cidr": "10.78.0.0/16" },
                "a":   { "type": "subnet", "vpc": "${vpc}", "cidr": "10.78.1.0/24", "zone": "eu-west-1a" },
                "b":   { "type": "subnet", "vpc": "${vpc}", "cidr": "10.78.2.0/24", "zone": "eu-west-1b" },
            %s
              } }
            """.formatted(endpoints);
        try {
            new Validator(TYPES).validate(StackLoader.parse("t.json", text, Map.of()));
            return List.of();
        } catch (StackException e) {
            return e.errors().stream().map(StackError::toString).toList();
        }
    }

    @Test
    void fixedIpsInsideTheirSubnetsAreValid() {
        assertEquals(List.of(), errors("""
                "ep": { "type": "vpc-endpoint", "vpc": "${vpc}", "service": "ssm", "kind": "interface", "subnets": ["${a}", "${b}"],
                        "subnetConfigurations": [ { "subnet": "${a}", "ipv4": "10.78.1.10" },
                                                  { "subnet": "${b}", "ipv4": "10.78.2.10", "ipv6": "2001:db8::10" } ] }
            """));
    }

    @Test
    void fixedIpMistakesPointAtTheirLine() {
        List<String> e = errors("""
                "ep": { "type": "vpc-endpoint", "vpc": "${vpc}", "service": "ssm", "kind": "interface", "subnets": ["${a}", "${b}"],
                        "subnetConfigurations": [
                          { "subnet": "${a}", "ipv4": "10.78.2.10" },
                          { "subnet": "${b}", "ipv4": "10.78.2.3" } ] },
                "ep2": { "type": "vpc-endpoint", "vpc": "${vpc}", "service": "ssm", "kind": "interface", "subnets": ["${a}"],
                        "subnetConfigurations": [ { "subnet": "${a}", "ipv4": "10.78.1.300" } ] },
                "ep3": { "type": "vpc-endpoint", "vpc": "${vpc}", "service": "ssm", "kind": "interface", "subnets": ["${a}", "${b}"],
                        "subnetConfigurations": [ { "subnet": "${a}", "ipv6": "10.78.1.20" } ] },
                "ep4": { "type": "vpc-endpoint", "vpc": "${vpc}", "service": "ssm", "kind": "interface", "subnets": ["${a}"],
                        "subnetConfigurations": [ { "subnet": "${b}", "ipv4": "10.78.2.10" } ] },
                "gw": { "type": "vpc-endpoint", "vpc": "${vpc}", "service": "s3", "subnetConfigurations": [ { "subnet": "${a}", "ipv4": "10.78.1.10" } ] }
            """);
        assertHas(e, "t.json:8:", "ep: 10.78.2.10 is outside the subnet's CIDR 10.78.1.0/24");
        assertHas(e, "t.json:9:", "ep: 10.78.2.3 is one of the five addresses AWS reserves in 10.78.2.0/24");
        assertHas(e, "t.json:11:", "ep2: \"10.78.1.300\" is not an IPv4 address");
        assertHas(e, "t.json:12:", "ep3: ${b} has no entry in subnetConfigurations");
        assertHas(e, "t.json:13:", "ep3: \"10.78.1.20\" is not an IPv6 address");
        assertHas(e, "t.json:15:", "ep4: ${b} is not one of the endpoint's subnets");
        assertHas(e, "t.json:16:", "gw: fixed IPs per subnet apply to interface endpoints only");
        assertEquals(8, e.size(), String.join("\n", e));
    }

    static void assertHas(List<String> errors, String at, String message) {
        assertTrue(errors.stream().anyMatch(x -> x.startsWith(at) && x.contains(message)), at + " " + message + " in\n" + String.join("\n", errors));
    }

    @Test
    void readBackListsEachInterfacesSubnetAndAddresses() {
        VpcEndpoint e = VpcEndpoint.builder().vpcEndpointId("vpce-1").vpcId("vpc-1").serviceName("com.amazonaws.eu-west-1.ssm")
                .vpcEndpointType("Interface").subnetIds("subnet-a", "subnet-b").networkInterfaceIds("eni-a", "eni-b", "eni-gone").build();
        Map<String, NetworkInterface> enis = Map.of(
                "eni-a", NetworkInterface.builder().networkInterfaceId("eni-a").subnetId("subnet-a").privateIpAddress("10.0.1.10").build(),
                "eni-b", NetworkInterface.builder().networkInterfaceId("eni-b").subnetId("subnet-b").privateIpAddress("10.0.2.10")
                        .ipv6Addresses(NetworkInterfaceIpv6Address.builder().ipv6Address("2001:db8::10").build()).build());
        JsonNode got = VpcEndpointTranslator.translate("vpc-endpoint", "eu-west-1", "ep", e, enis).properties().get("subnetConfigurations");
        assertEquals(Json.canonical(Json.MAPPER.valueToTree(List.of(Map.of("subnet", "subnet-a", "ipv4", "10.0.1.10"),
                Map.of("subnet", "subnet-b", "ipv4", "10.0.2.10", "ipv6", "2001:db8::10")))), Json.canonical(got));
        VpcEndpoint gateway = e.toBuilder().vpcEndpointType("Gateway").build();
        assertTrue(VpcEndpointTranslator.translate("vpc-endpoint", "eu-west-1", "ep", gateway, enis).properties().get("subnetConfigurations") == null);
    }

    static TypeRegistry registry(ResourceType... types) {
        Map<String, ResourceType> m = new LinkedHashMap<>();
        for (ResourceType t : types) m.put(t.name(), t);
        return new TypeRegistry() {
            @Override public Optional<ResourceType> find(String name) { return Optional.ofNullable(m.get(name)); }
            @Override public Collection<ResourceType> all() { return m.values(); }
        };
    }
}
