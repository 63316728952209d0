package io.netstack.provider;

import io.netstack.spi.AwsFailure;
import io.netstack.spi.ErrorCategory;
import io.netstack.spi.LiveResource;
import io.netstack.spi.ResourceType;
import io.netstack.spi.TypeContext;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * What every EC2 type shares: the client, and the retry shapes terraform-provider-aws uses
 * (tfresource.RetryWhenAWSErrCodeEquals): creates that name a just-created object retry its
 * NotFound for {@link #PROPAGATION_TIMEOUT}; deletes count NotFound as done and retry
 * DependencyViolation for the type's delete timeout.
 */
public abstract class Ec2Type implements ResourceType {
    /**
     * EC2 eventual consistency: "poll with exponential backoff … up to about 5 minutes"
     * (aws-facts.md, EC2 developer guide); Terraform's ec2PropagationTimeout is 2–5 min.
     */
    public static final Duration PROPAGATION_TIMEOUT = Duration.ofMinutes(5);

    protected final AwsSession aws;

    protected Ec2Type(AwsSession aws) {
        this.aws = aws;
    }

    protected Ec2Client ec2() {
        return aws.ec2();
    }

    /** A mutating call that may name objects created a moment ago: NotFound is retried for a while. */
    protected <T> T mutate(TypeContext ctx, String id, String action, Supplier<T> call) {
        return ctx.retrying(id, action, Set.of(ErrorCategory.NOT_FOUND), PROPAGATION_TIMEOUT, () -> AwsCalls.call(id, action, call));
    }

    protected void mutateRun(TypeContext ctx, String id, String action, Runnable call) {
        mutate(ctx, id, action, () -> {
            call.run();
            return null;
        });
    }

    /** A delete: NotFound means done; DependencyViolation is retried until {@code timeout}. */
    protected void delete(TypeContext ctx, String id, String action, Duration timeout, Runnable call) {
        try {
            ctx.retrying(id, action, Set.of(ErrorCategory.DEPENDENCY_VIOLATION), timeout, () -> {
                AwsCalls.run(id, action, call);
                return null;
            });
        } catch (AwsFailure f) {
            if (f.category() != ErrorCategory.NOT_FOUND) throw f;
        }
    }

    /** A plain call; NotFound becomes {@code Optional.empty()}. */
    protected <T> Optional<T> find(String id, String action, Supplier<T> call) {
        try {
            return Optional.ofNullable(AwsCalls.call(id, action, call));
        } catch (AwsFailure f) {
            if (f.category() == ErrorCategory.NOT_FOUND) return Optional.empty();
            throw f;
        }
    }

    /**
     * Reads one object back after a create or update; a just-created object may not be visible
     * yet, so absence is retried for {@link #PROPAGATION_TIMEOUT}.
     */
    protected LiveResource readBack(TypeContext ctx, String id, String awsId, Supplier<List<LiveResource>> read) {
        return ctx.retrying(id, "read " + awsId, Set.of(ErrorCategory.NOT_FOUND), PROPAGATION_TIMEOUT, () -> {
            List<LiveResource> r = read.get();
            if (r.isEmpty()) throw new AwsFailure(ErrorCategory.NOT_FOUND, id, null, awsId + " is not visible yet");
            return r.get(0);
        });
    }

    /** Fails an update whose object has gone, rather than recreating it (the contract's rule). */
    protected static AwsFailure gone(String id, String awsId) {
        return new AwsFailure(ErrorCategory.NOT_FOUND, id, null, awsId + " no longer exists; run plan again to recreate it");
    }
}
