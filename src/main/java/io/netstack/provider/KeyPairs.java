package io.netstack.provider;

import io.netstack.spi.AwsFailure;
import io.netstack.spi.ErrorCategory;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.ec2.model.KeyPairInfo;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * Reads of the EC2 key pairs netstack keeps as records of its own (the stack lock, the global-type
 * marker): looked up by name, as names are unique per account and Region. DescribeKeyPairs answers
 * an unknown name with InvalidKeyPair.NotFound rather than an empty list.
 */
public final class KeyPairs {
    private KeyPairs() {}

    /** The key pair called {@code name}, if there is one (one DescribeKeyPairs). */
    public static Optional<KeyPairInfo> byName(AwsSession aws, String resource, String name) {
        try {
            List<KeyPairInfo> l = AwsCalls.call(resource, "DescribeKeyPairs", () -> aws.ec2().describeKeyPairs(r -> r.keyNames(name)).keyPairs());
            return l.stream().filter(k -> name.equals(k.keyName())).findFirst();
        } catch (AwsFailure f) {
            if (f.category() == ErrorCategory.NOT_FOUND) return Optional.empty();
            throw f;
        }
    }

    /** The value of the key pair's tag {@code key}, or null. */
    public static String tag(KeyPairInfo k, String key) {
        return k.tags().stream().filter(t -> key.equals(t.key())).map(Tag::value).findFirst().orElse(null);
    }
}
