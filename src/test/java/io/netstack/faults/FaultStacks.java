package io.netstack.faults;

import io.netstack.testing.StackFiles;
import java.nio.file.Path;

/** The stack the fault tests run: {@code stacks/three-tier.json} (21 resources, 9 types, most from the VPC module it uses), renamed so tests do not collide. */
final class FaultStacks {
    static final String REGION = "eu-west-1";

    private FaultStacks() {}

    static Path write(Path dir, String name) {
        return StackFiles.copyExample(dir, "three-tier.json", name);
    }
}
