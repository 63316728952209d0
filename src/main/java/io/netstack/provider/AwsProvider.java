package io.netstack.provider;

import io.netstack.provider.ec2.securitygroup.SecurityGroupType;
import io.netstack.provider.ec2.subnet.SubnetType;
import io.netstack.provider.ec2.vpc.VpcType;
import io.netstack.spi.ResourceType;
import io.netstack.spi.TypeRegistry;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The registry of AWS resource types: one line per type. */
public final class AwsProvider implements TypeRegistry {
    private final Map<String, ResourceType> types = new LinkedHashMap<>();
    private final AwsSession session;

    public AwsProvider(AwsSession session) {
        this.session = session;
        register(List.of(
                new VpcType(session),
                new SubnetType(session),
                new SecurityGroupType(session)
        ));
    }

    private void register(List<ResourceType> all) {
        for (ResourceType t : all) types.put(t.name(), t);
    }

    public AwsSession session() {
        return session;
    }

    @Override
    public Optional<ResourceType> find(String name) {
        return Optional.ofNullable(types.get(name));
    }

    @Override
    public Collection<ResourceType> all() {
        return types.values();
    }
}
