package io.netstack.provider.ram.shareacceptance;

import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.ram.model.ResourceShare;

/** Opens the package-private matcher to the RAM unit tests. */
public final class RamShareAcceptanceTestAccess {
    private RamShareAcceptanceTestAccess() {}

    public static Optional<ResourceShare> match(String share, List<ResourceShare> visible) {
        return RamShareAcceptanceType.match(share, visible);
    }
}
