package io.netstack.provider.ec2;

import io.netstack.provider.AwsSession;
import io.netstack.provider.AwsSettings;
import io.netstack.provider.ec2.egressonlyinternetgateway.EgressOnlyInternetGatewayType;
import io.netstack.provider.ec2.elasticip.ElasticIpType;
import io.netstack.provider.ec2.internetgateway.InternetGatewayType;
import io.netstack.provider.ec2.natgateway.NatGatewayType;
import io.netstack.provider.ec2.subnet.SubnetType;
import io.netstack.provider.ec2.vpc.VpcType;
import io.netstack.spi.ResourceType;
import io.netstack.spi.TypeRegistry;
import java.net.URI;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A registry of the gateway-related EC2 types for offline tests (validation, dependency rules,
 * plan ordering). Independent of {@code AwsProvider}'s registrations. Its session points at a
 * closed port: nothing here may call AWS. A test class holds one as
 * {@code @RegisterExtension static final TestTypes types = new TestTypes();}, which closes it after
 * the class's tests.
 */
public final class TestTypes implements TypeRegistry, AutoCloseable, AfterAllCallback {
    public final AwsSession session = new AwsSession(AwsSettings.of("eu-west-1", URI.create("http://127.0.0.1:9")));
    private final Map<String, ResourceType> types = new LinkedHashMap<>();

    public TestTypes() {
        for (ResourceType t : List.of(new VpcType(session), new SubnetType(session), new InternetGatewayType(session),
                new EgressOnlyInternetGatewayType(session), new ElasticIpType(session), new NatGatewayType(session))) {
            types.put(t.name(), t);
        }
    }

    @SuppressWarnings("unchecked")
    public <T extends ResourceType> T type(String name) {
        return (T) types.get(name);
    }

    @Override
    public Optional<ResourceType> find(String name) {
        return Optional.ofNullable(types.get(name));
    }

    @Override
    public Collection<ResourceType> all() {
        return types.values();
    }

    @Override
    public void close() {
        session.close();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }
}
