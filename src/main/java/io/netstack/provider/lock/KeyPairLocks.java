package io.netstack.provider.lock;

import static io.netstack.provider.KeyPairs.tag;

import io.netstack.provider.AwsCalls;
import io.netstack.provider.AwsSession;
import io.netstack.provider.Ec2Tags;
import io.netstack.provider.KeyPairs;
import io.netstack.spi.AwsFailure;
import io.netstack.spi.StackLocks;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.ec2.model.KeyPairInfo;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * The stack lock as an EC2 key pair named {@code netstack-lock-<stack>}: key pair names are
 * unique per account and region, CreateKeyPair fails atomically with InvalidKeyPair.Duplicate
 * when the name is taken, key pairs carry tags (holder, start, lease expiry, run id), cost nothing
 * and need no VPC. The private key AWS returns is discarded unread. Reading a holder is one
 * DescribeKeyPairs call; renewing is one CreateTags.
 */
public final class KeyPairLocks implements StackLocks {
    static final String PREFIX = "netstack-lock-";
    static final String OWNER = "netstack:lock-owner";
    static final String STARTED = "netstack:lock-started";
    static final String EXPIRES = "netstack:lock-expires";
    static final String RUN = "netstack:lock-run";

    private final AwsSession aws;

    public KeyPairLocks(AwsSession aws) {
        this.aws = aws;
    }

    static String name(String stack) {
        return PREFIX + stack;
    }

    @Override
    public void acquire(String stack, Holder me) {
        try {
            AwsCalls.call(stack, "CreateKeyPair", () -> aws.ec2().createKeyPair(r -> r.keyName(name(stack))
                    .tagSpecifications(Ec2Tags.spec(ResourceType.KEY_PAIR, tags(stack, me)))));
        } catch (AwsFailure f) {
            if ("InvalidKeyPair.Duplicate".equals(f.code())) {
                Holder h = holder(stack).orElse(new Holder("an unknown holder (lock object without tags)", null, null, null));
                // The SDK retried a create whose first response was lost: the lock is already ours.
                if (me.run().equals(h.run())) return;
                throw new LockHeld(stack, h);
            }
            throw f;
        }
    }

    @Override
    public void renew(String stack, Holder me) {
        find(stack).ifPresent(k -> {
            if (me.run().equals(tag(k, RUN))) {
                AwsCalls.run(stack, "CreateTags", () -> aws.ec2().createTags(r -> r.resources(k.keyPairId())
                        .tags(Tag.builder().key(EXPIRES).value(me.expires().toString()).build())));
            }
        });
    }

    @Override
    public void release(String stack, Holder me) {
        find(stack).ifPresent(k -> {
            if (me.run().equals(tag(k, RUN))) AwsCalls.run(stack, "DeleteKeyPair", () -> aws.ec2().deleteKeyPair(r -> r.keyName(k.keyName())));
        });
    }

    @Override
    public Optional<Holder> holder(String stack) {
        return find(stack).map(k -> new Holder(tag(k, OWNER), instant(tag(k, STARTED)), instant(tag(k, EXPIRES)), tag(k, RUN)));
    }

    @Override
    public boolean forceUnlock(String stack) {
        Optional<KeyPairInfo> k = find(stack);
        k.ifPresent(x -> AwsCalls.run(stack, "DeleteKeyPair", () -> aws.ec2().deleteKeyPair(r -> r.keyName(x.keyName()))));
        return k.isPresent();
    }

    private Optional<KeyPairInfo> find(String stack) {
        return KeyPairs.byName(aws, stack, name(stack));
    }

    private static Map<String, String> tags(String stack, Holder me) {
        Map<String, String> t = new LinkedHashMap<>();
        t.put(OWNER, me.owner());
        t.put(STARTED, me.started().toString());
        t.put(EXPIRES, me.expires().toString());
        t.put(RUN, me.run());
        t.put("Name", name(stack));
        return t;
    }

    private static Instant instant(String s) {
        try {
            return s == null ? null : Instant.parse(s);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** IAM actions of the lock: the key pair, tagged at creation, its lease renewed by CreateTags. */
    public static final java.util.List<String> ACTIONS = java.util.List.of("ec2:CreateKeyPair", "ec2:CreateTags", "ec2:DeleteKeyPair", "ec2:DescribeKeyPairs");
}
