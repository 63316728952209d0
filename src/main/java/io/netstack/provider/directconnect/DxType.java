package io.netstack.provider.directconnect;

import io.netstack.provider.AwsSession;
import io.netstack.spi.AwsFailure;
import io.netstack.spi.ErrorCategory;
import io.netstack.spi.LiveResource;
import io.netstack.spi.ResourceType;
import io.netstack.spi.TypeContext;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import software.amazon.awssdk.services.directconnect.DirectConnectClient;

/**
 * What the Direct Connect types share: the client and the retry shapes of {@code Ec2Type}, with
 * Direct Connect's error model ({@link DxCalls}).
 */
public abstract class DxType implements ResourceType {
    /**
     * A just-created Direct Connect object may not be visible to the next call for a moment; the
     * same bound as EC2's eventual consistency (aws-facts.md: "up to about 5 minutes").
     */
    public static final Duration PROPAGATION_TIMEOUT = Duration.ofMinutes(5);

    protected final AwsSession aws;

    protected DxType(AwsSession aws) {
        this.aws = aws;
    }

    protected DirectConnectClient dx() {
        return aws.directConnect();
    }

    /** A call that may name objects created a moment ago: NotFound is retried for a while. */
    protected <T> T mutate(TypeContext ctx, String id, String action, Supplier<T> call) {
        return ctx.retrying(id, action, Set.of(ErrorCategory.NOT_FOUND), PROPAGATION_TIMEOUT, () -> DxCalls.call(id, action, call));
    }

    protected void mutateRun(TypeContext ctx, String id, String action, Runnable call) {
        mutate(ctx, id, action, () -> {
            call.run();
            return null;
        });
    }

    /** A delete: NotFound means done. */
    protected void delete(String id, String action, Runnable call) {
        try {
            DxCalls.run(id, action, call);
        } catch (AwsFailure f) {
            if (f.category() != ErrorCategory.NOT_FOUND) throw f;
        }
    }

    /** A plain call; NotFound becomes {@code Optional.empty()}. */
    protected <T> Optional<T> find(String id, String action, Supplier<T> call) {
        try {
            return Optional.ofNullable(DxCalls.call(id, action, call));
        } catch (AwsFailure f) {
            if (f.category() == ErrorCategory.NOT_FOUND) return Optional.empty();
            throw f;
        }
    }

    /** Reads one object back after a create or update; absence is retried for {@link #PROPAGATION_TIMEOUT}. */
    protected LiveResource readBack(TypeContext ctx, String id, String awsId, Supplier<Optional<LiveResource>> read) {
        return ctx.retrying(id, "read " + awsId, Set.of(ErrorCategory.NOT_FOUND), PROPAGATION_TIMEOUT, () ->
                read.get().orElseThrow(() -> new AwsFailure(ErrorCategory.NOT_FOUND, id, null, awsId + " is not visible yet")));
    }

    /** Fails an update whose object has gone, rather than recreating it (the contract's rule). */
    protected static AwsFailure gone(String id, String awsId) {
        return new AwsFailure(ErrorCategory.NOT_FOUND, id, null, awsId + " no longer exists; run plan again to recreate it");
    }
}
