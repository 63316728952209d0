package io.netstack.provider.ec2.internetgateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netstack.engine.Json;
import io.netstack.engine.Normalizer;
import io.netstack.engine.Validator;
import io.netstack.provider.ec2.TestTypes;
import io.netstack.spi.ResourceView;
import io.netstack.stack.StackError;
import io.netstack.stack.StackException;
import io.netstack.stack.StackLoader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** internet-gateway offline rules: "vpc omitted" is a managed state (detached), one IGW per VPC, no implicit dependencies. */
class InternetGatewayTypeTest {
    @RegisterExtension
    static final TestTypes types = new TestTypes();
    static final InternetGatewayType igw = types.type("internet-gateway");

    static ObjectNode json(String s) throws Exception {
        return (ObjectNode) Json.MAPPER.readTree(s);
    }

    @Test
    void omittedVpcIsDetachedOnBothSides() throws Exception {
        assertEquals(InternetGatewayType.DETACHED, Normalizer.normalize(igw, json("{}")).get("vpc").asText(), "desired: vpc omitted");
        assertEquals(InternetGatewayType.DETACHED, Normalizer.normalize(igw, json("{\"vpc\":\"(detached)\"}")).get("vpc").asText(), "live: detached");
        assertEquals("${vpc}", Normalizer.normalize(igw, json("{\"vpc\":\"${vpc}\"}")).get("vpc").asText());
        assertEquals(null, InternetGatewayType.attachedVpc(json("{\"vpc\":\"(detached)\"}")));
        assertEquals("vpc-1", InternetGatewayType.attachedVpc(json("{\"vpc\":\"vpc-1\"}")));
    }

    @Test
    void internetGatewayHasNoImplicitDependencies() throws Exception {
        ResourceView v = new ResourceView("igw", "internet-gateway", json("{\"vpc\":\"${vpc}\"}"));
        assertEquals(java.util.Set.of(), igw.implicitDependencies(v, io.netstack.engine.References.view(List.of(v))));
    }

    @Test
    void secondInternetGatewayForOneVpcIsAnErrorAtVpc() {
        String text = """
            { "stack": "igwval", "region": "eu-west-1",
              "resources": {
                "vpc":   { "type": "vpc", "cidr": "10.0.0.0/16" },
                "igw":   { "type": "internet-gateway", "vpc": "${vpc}" },
                "igw-2": { "type": "internet-gateway", "vpc": "${vpc}" },
                "spare": { "type": "internet-gateway" }
              } }
            """;
        StackException e = assertThrows(StackException.class, () -> new Validator(types).validate(StackLoader.parse("igwval.json", text, Map.of())));
        List<StackError> errs = e.errors();
        assertEquals(1, errs.size(), errs.toString());
        assertEquals("igw-2: ${vpc} already has internet-gateway igw (a VPC takes one internet gateway)", errs.get(0).message());
        assertEquals(5, errs.get(0).location().line());
        assertEquals(text.lines().toList().get(4).indexOf("\"${vpc}\"") + 1, errs.get(0).location().column());
    }
}
