package io.netstack.provider.ec2.egressonlyinternetgateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netstack.engine.Validator;
import io.netstack.provider.ec2.TestTypes;
import io.netstack.stack.StackLoader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** egress-only-internet-gateway offline checks. */
class EgressOnlyInternetGatewayTypeTest {
    @RegisterExtension
    static final TestTypes types = new TestTypes();

    static List<String> warnings(boolean ipv6) {
        String text = """
            { "stack": "eigwval", "region": "eu-west-1",
              "resources": {
                "vpc":  { "type": "vpc", "cidr": "10.0.0.0/16", "ipv6": %s },
                "eigw": { "type": "egress-only-internet-gateway", "vpc": "${vpc}" }
              } }
            """.formatted(ipv6);
        return new Validator(types).validate(StackLoader.parse("eigwval.json", text, Map.of())).warnings().stream()
                .map(w -> w.location().line() + ": " + w.message()).toList();
    }

    @Test
    void vpcWithoutIpv6IsAWarning() {
        assertEquals(List.of("4: eigw: vpc has no IPv6 block (\"ipv6\": true): an egress-only internet gateway only carries IPv6 traffic"), warnings(false));
        assertEquals(List.of(), warnings(true));
    }
}
