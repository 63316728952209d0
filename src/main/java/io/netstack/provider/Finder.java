package io.netstack.provider;

import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * How a type finds one of its objects by AWS id, built once per type with {@link AwsType#finder}
 * (terraform-provider-aws's {@code FindXByID}): one Describe of that id through
 * {@link AwsType#findOne}, empty for NotFound, an empty answer, another id, or a gone state.
 *
 * @param <T> the SDK's shape of the object
 */
public final class Finder<T> {
    private final AwsTypeCore<?> type;
    private final String action;
    private final Function<String, ? extends Collection<T>> describe;
    private final Function<T, String> idOf;
    private final Function<T, String> stateOf;
    private final Set<String> goneStates;

    Finder(AwsTypeCore<?> type, String action, Function<String, ? extends Collection<T>> describe,
           Function<T, String> idOf, Function<T, String> stateOf, Set<String> goneStates) {
        this.type = type;
        this.action = action;
        this.describe = describe;
        this.idOf = idOf;
        this.stateOf = stateOf;
        this.goneStates = Set.copyOf(goneStates);
    }

    /** The object unless it is missing or in one of the type's gone states. */
    public Optional<T> find(String id, String awsId) {
        return find(id, awsId, goneStates);
    }

    /** The object unless it is missing or in one of {@code goneStates} (none: any state, for waits that watch it go). */
    public Optional<T> find(String id, String awsId, Set<String> goneStates) {
        return type.findOne(id, action, awsId, () -> describe.apply(awsId), idOf, stateOf, goneStates);
    }
}
