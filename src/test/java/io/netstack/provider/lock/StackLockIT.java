package io.netstack.provider.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netstack.api.Netstack;
import io.netstack.engine.LockLease;
import io.netstack.provider.AwsSettings;
import io.netstack.spi.StackLocks;
import io.netstack.stack.StackFile;
import io.netstack.testing.AwsApi;
import io.netstack.testing.AwsApiExtension;
import io.netstack.testing.Cli;
import io.netstack.testing.StackFiles;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * One apply/destroy per stack at a time: a run on "another machine" (the same lock code, held
 * through the Java API) makes the CLI refuse, naming the holder; a crashed holder's expired
 * lock is broken with --force-unlock; the lock is released when a run ends.
 */
@ExtendWith(AwsApiExtension.class)
class StackLockIT {
    static final String REGION = "eu-west-1";

    @Test
    void secondRunIsRefusedAndStaleLockIsBroken(AwsApi api, @TempDir Path dir) {
        String name = api.uniqueStack("lock");
        Path f = StackFiles.write(dir, "s.json", """
            { "stack": "%s", "region": "eu-west-1",
              "resources": { "vpc": { "type": "vpc", "cidr": "10.80.0.0/16" } } }
            """.formatted(name));
        System.setProperty("aws.accessKeyId", "test");
        System.setProperty("aws.secretAccessKey", "test");
        try (Netstack other = new Netstack(AwsSettings.of(null, api.endpoint()))) {
            StackFile s = other.load(f, Map.of());
            StackLocks locks = other.provider(REGION).locks().orElseThrow();

            try (LockLease held = other.lock(s, false, m -> { })) {
                Cli.Result refused = Cli.run(api, REGION, "apply", f.toString(), "--auto-approve");
                assertEquals(1, refused.exit(), refused.toString());
                String owner = locks.holder(name).orElseThrow().owner();
                assertTrue(owner.contains("@") && owner.contains("pid"), owner);
                assertTrue(refused.err().contains("is locked by another apply or destroy: " + owner), refused.toString());
                assertTrue(refused.err().contains("since "), "names when the holder started: " + refused);
                assertFalse(refused.out().contains("created"), "nothing was applied: " + refused);
                assertEquals(1, Cli.run(api, REGION, "destroy", f.toString(), "--auto-approve").exit(), "destroy is refused too");
                assertThrows(StackLocks.LockHeld.class, () -> other.lock(s, false, m -> { }), "the lock is exclusive");
            }
            assertTrue(locks.holder(name).isEmpty(), "released on close");

            Cli.Result ok = Cli.run(api, REGION, "apply", f.toString(), "--auto-approve");
            assertEquals(0, ok.exit(), ok.toString());
            assertTrue(locks.holder(name).isEmpty(), "the CLI releases its lock when the run ends");

            // A crashed holder: its lease ran out long ago.
            Instant longAgo = Instant.now().minusSeconds(3600);
            locks.acquire(name, new StackLocks.Holder("bob@build-7 (pid 4242)", longAgo, longAgo.plus(LockLease.LEASE), "crashed-run"));
            Cli.Result stale = Cli.run(api, REGION, "destroy", f.toString(), "--auto-approve");
            assertEquals(1, stale.exit(), stale.toString());
            assertTrue(stale.err().contains("bob@build-7 (pid 4242)"), stale.toString());
            assertTrue(stale.err().contains("lease has expired") && stale.err().contains("--force-unlock"), stale.toString());

            Cli.Result broken = Cli.run(api, REGION, "destroy", f.toString(), "--auto-approve", "--force-unlock");
            assertEquals(0, broken.exit(), broken.toString());
            assertTrue(broken.err().contains("broke the lock of stack " + name + " held by bob@build-7 (pid 4242)"), broken.toString());
            assertTrue(locks.holder(name).isEmpty());
            assertTrue(LockLease.acquire(locks, name, false, Clock.systemUTC(), m -> { }) != null);
            locks.forceUnlock(name);
        }
    }
}
