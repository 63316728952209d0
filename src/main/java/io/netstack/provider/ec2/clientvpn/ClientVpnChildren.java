package io.netstack.provider.ec2.clientvpn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netstack.provider.AwsCalls;
import io.netstack.provider.AwsSession;
import io.netstack.provider.Ec2Helper;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import io.netstack.spi.AwsFailure;
import io.netstack.spi.TypeContext;
import io.netstack.spi.Waiter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.ec2.model.AuthorizationRule;
import software.amazon.awssdk.services.ec2.model.ClientVpnRoute;
import software.amazon.awssdk.services.ec2.model.TargetNetwork;

/**
 * The children of a {@link ClientVpnEndpointType} endpoint (as {@code TgwRouteTableReads} is for
 * TGW route tables): the per-endpoint reads of target networks, authorization rules and routes
 * (AWS offers them only per endpoint), and the waits until they read back as written.
 */
final class ClientVpnChildren extends Ec2Helper {
    /**
     * A list read: one attempt first, so that an endpoint that does not implement Client VPN at all
     * (moto answers an HTML 500 for every Client VPN action; docs/moto-notes.md) is recognised at once and
     * read as "no endpoints" instead of failing every plan after the SDK's whole retry budget.
     */
    static <T> Optional<T> listRead(Function<AwsRequestOverrideConfiguration, T> read) {
        try {
            return Optional.of(read.apply(ONE_ATTEMPT));
        } catch (AwsFailure f) {
            if (unimplemented(f)) {
                LoggerFactory.getLogger(ClientVpnEndpointType.class).debug( // looked up here, not in a static field: loading this class (validate does) must not start logback
                        "the endpoint does not implement Client VPN ({}); no client-vpn-endpoint can exist there", f.getMessage());
                return Optional.empty();
            }
            if (!f.category().retryable()) throw f;
        }
        return Optional.of(read.apply(null));
    }

    /** A 501, or a 500 without an AWS error code and with an HTML body (AWS's 5xx always carry a code). */
    static boolean unimplemented(AwsFailure f) {
        if (!(f.getCause() instanceof AwsServiceException e)) return false;
        if (e.statusCode() == 501) return true;
        if (e.statusCode() != 500 || (f.code() != null && !f.code().isBlank() && !f.code().equals("500"))) return false;
        var d = e.awsErrorDetails();
        return d != null && d.sdkHttpResponse() != null
                && d.sdkHttpResponse().firstMatchingHeader("Content-Type").map(t -> t.toLowerCase().startsWith("text/html")).orElse(false);
    }

    /** One attempt, no SDK retries: see {@link #listRead}. */
    private static final AwsRequestOverrideConfiguration ONE_ATTEMPT = AwsRequestOverrideConfiguration.builder()
            .addPlugin(c -> c.overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())))
            .build();


    ClientVpnChildren(AwsSession aws) {
        super(aws);
    }

    List<TargetNetwork> targetNetworks(String id, String endpointId) {
        List<TargetNetwork> out = new ArrayList<>();
        AwsCalls.run(id, "DescribeClientVpnTargetNetworks", () -> ec2().describeClientVpnTargetNetworksPaginator(r -> r.clientVpnEndpointId(endpointId))
                .clientVpnTargetNetworks().forEach(out::add));
        return out;
    }

    List<AuthorizationRule> rules(String id, String endpointId) {
        List<AuthorizationRule> out = new ArrayList<>();
        AwsCalls.run(id, "DescribeClientVpnAuthorizationRules", () -> ec2().describeClientVpnAuthorizationRulesPaginator(r -> r.clientVpnEndpointId(endpointId))
                .authorizationRules().forEach(out::add));
        return out;
    }

    List<ClientVpnRoute> routes(String id, String endpointId) {
        List<ClientVpnRoute> out = new ArrayList<>();
        AwsCalls.run(id, "DescribeClientVpnRoutes", () -> ec2().describeClientVpnRoutesPaginator(r -> r.clientVpnEndpointId(endpointId))
                .routes().forEach(out::add));
        return out;
    }

    void disassociate(TypeContext ctx, String id, String eid, Set<String> subnets) {
        for (TargetNetwork t : targetNetworks(id, eid)) {
            if (!subnets.contains(t.targetNetworkId()) || !ClientVpnTranslator.live(t)) continue;
            deleteQuietly(id, "DisassociateClientVpnTargetNetwork", () -> ec2().disassociateClientVpnTargetNetwork(b -> b.clientVpnEndpointId(eid).associationId(t.associationId())));
        }
        ctx.waiter().until(id, "subnets " + subnets + " disassociated from " + eid, ClientVpnEndpointType.ASSOCIATION_TIMEOUT, Set.of("done"), Set.of(), () -> {
            for (TargetNetwork t : targetNetworks(id, eid)) {
                if (subnets.contains(t.targetNetworkId()) && !"disassociated".equals(ClientVpnTranslator.code(t))) return new Waiter.Outcome(t.targetNetworkId() + " " + ClientVpnTranslator.code(t), null);
            }
            return new Waiter.Outcome("done", null);
        });
    }

    void waitAssociations(TypeContext ctx, String id, String eid, Set<String> subnets) {
        ctx.waiter().until(id, "subnets " + subnets + " associated with " + eid, ClientVpnEndpointType.ASSOCIATION_TIMEOUT, Set.of("done"), Set.of("association-failed"), () -> {
            Map<String, TargetNetwork> now = new HashMap<>();
            for (TargetNetwork t : targetNetworks(id, eid)) if (!"disassociated".equals(ClientVpnTranslator.code(t))) now.put(t.targetNetworkId(), t);
            for (String s : subnets) {
                TargetNetwork t = now.get(s);
                if (t == null) return new Waiter.Outcome(s + " not visible yet", null);
                if ("association-failed".equals(ClientVpnTranslator.code(t))) return new Waiter.Outcome("association-failed", s + ": " + (t.status().message() == null ? "" : t.status().message()));
                if (!"associated".equals(ClientVpnTranslator.code(t))) return new Waiter.Outcome(s + " " + ClientVpnTranslator.code(t), null);
            }
            return new Waiter.Outcome("done", null);
        });
    }

    /**
     * A kind of child that {@link #waitSettled} reads back (rules, routes): its stack shape and set
     * keys (as {@link ClientVpnTranslator} writes them), its status code and message, the states
     * it passes through, and which children count as live.
     */
    private record Children<T>(Function<T, ObjectNode> shape, Function<JsonNode, Map<String, JsonNode>> keys, Function<T, String> code,
                               Function<T, String> message, Set<String> moving, Predicate<T> live) {
    }

    private static final Children<AuthorizationRule> RULES = new Children<>(ClientVpnTranslator::rule, ClientVpnTranslator::ruleKeys,
            r -> r.status() == null ? "" : r.status().codeAsString(), r -> r.status().message(), Set.of("authorizing", "revoking"), ClientVpnTranslator::live);
    private static final Children<ClientVpnRoute> ROUTES = new Children<>(ClientVpnTranslator::route, ClientVpnTranslator::routeKeys,
            r -> r.status() == null ? "" : r.status().codeAsString(), r -> r.status().message(), Set.of("creating", "deleting"), ClientVpnTranslator::live);

    /** Waits until the endpoint's rules are exactly {@code want} and none is in transition. */
    void waitRules(TypeContext ctx, String id, String eid, Map<String, JsonNode> want, boolean removals) {
        waitSettled(ctx, id, "authorization rules of " + eid + (removals ? " revoked" : " active"), ClientVpnEndpointType.RULE_TIMEOUT,
                () -> rules(id, eid), RULES, want, removals);
    }

    /** Waits until the endpoint's routes (not those AWS adds for an association) are exactly {@code want} and none is in transition. */
    void waitRoutes(TypeContext ctx, String id, String eid, Map<String, JsonNode> want, boolean removals) {
        waitSettled(ctx, id, "routes of " + eid + (removals ? " deleted" : " active"), ClientVpnEndpointType.ROUTE_TIMEOUT,
                () -> routes(id, eid).stream().filter(r -> !ClientVpnEndpointType.ASSOCIATE_ORIGIN.equals(r.origin())).toList(), ROUTES, want, removals);
    }

    /** The wait of {@link #waitRules} and {@link #waitRoutes}: a wanted child that failed fails it; one in transition keeps it polling. */
    private <T> void waitSettled(TypeContext ctx, String id, String subject, Duration timeout, Supplier<List<T>> read, Children<T> kind,
                                 Map<String, JsonNode> want, boolean removals) {
        ctx.waiter().until(id, subject, timeout, Set.of("done"), Set.of("failed"), () -> {
            ArrayNode a = JsonNodeFactory.instance.arrayNode();
            for (T r : read.get()) {
                String s = kind.code().apply(r);
                ObjectNode o = kind.shape().apply(r);
                String key = kind.keys().apply(JsonNodeFactory.instance.arrayNode().add(o)).keySet().iterator().next();
                if ("failed".equals(s) && want.containsKey(key)) return new Waiter.Outcome("failed", key + ": " + kind.message().apply(r));
                if (kind.moving().contains(s)) return new Waiter.Outcome(key + " " + s, null);
                if (kind.live().test(r)) a.add(o);
            }
            return settled(kind.keys().apply(a).keySet(), want.keySet(), removals);
        });
    }

    /**
     * A wait's outcome once nothing is in transition: done when the children read ({@code have})
     * are the ones wanted — after removals, none besides them; after additions, all of them.
     */
    static Waiter.Outcome settled(Set<String> have, Set<String> want, boolean removals) {
        if (removals) {
            for (String k : have) if (!want.contains(k)) return new Waiter.Outcome(k + " still active", null);
        } else {
            for (String k : want) if (!have.contains(k)) return new Waiter.Outcome(k + " not visible yet", null);
        }
        return new Waiter.Outcome("done", null);
    }

    /** A removal: NotFound means it is already gone. */
    void deleteQuietly(String id, String action, Runnable call) {
        AwsCalls.ignoringNotFound(id, action, () -> {
            call.run();
            return null;
        });
    }
}
