package io.netstack.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.netstack.spi.LiveResource;
import io.netstack.spi.ResourceType;
import io.netstack.spi.TypeContext;
import io.netstack.spi.TypeRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Elements of exclusive lists ({@link ResourceType#exclusiveLists}) that change holder in a plan:
 * a subnet that leaves route table X for route table Y. AWS moves such an element in one call
 * (ReplaceRouteTableAssociation, ReplaceNetworkAclAssociation); releasing it first would leave it
 * on AWS's default (the VPC's main route table, its default NACL) until the taker runs, which may
 * be minutes when the taker waits for a NAT gateway. So:
 * <ul>
 *   <li>the taker (Y's create or update) moves it — types do that already for a held element;</li>
 *   <li>the giver's update leaves it alone: {@link #context} tells the type through
 *       {@link TypeContext#handedOver};</li>
 *   <li>the giver's delete (which must empty it first) comes after the taker: {@link ExecutionOrder}.</li>
 * </ul>
 *
 * @param from    key of the change that holds the element now ({@link Change#key()})
 * @param to      logical id of the resource that claims it in the stack file
 * @param awsId   the element as AWS names it (in the giver's live properties)
 */
public record HandOver(String type, String property, String from, String to, String awsId) {

    /** Every hand-over in a plan's changes, in a stable order. */
    public static List<HandOver> of(List<Change> changes, TypeRegistry types) {
        LiveState live = new LiveState(changes.stream().map(Change::live).filter(Objects::nonNull).toList());
        // (type, property, element as written) → the logical id that claims it
        Map<List<String>, String> claims = new HashMap<>();
        for (Change c : changes) {
            if (c.desired() == null) continue;
            for (String p : exclusive(types, c.type())) {
                for (JsonNode e : c.desired().path(p)) claims.putIfAbsent(List.of(c.type(), p, e.asText()), c.id());
            }
        }
        List<HandOver> out = new ArrayList<>();
        if (claims.isEmpty()) return out;
        for (Change c : changes) {
            LiveResource l = c.live();
            if (l == null) continue;
            JsonNode logical = live.logical(l);
            for (String p : exclusive(types, l.type())) {
                JsonNode raw = l.properties().path(p), named = logical.path(p);
                for (int i = 0; i < raw.size(); i++) {
                    String awsId = raw.get(i).asText();
                    String taker = claims.get(List.of(l.type(), p, named.path(i).asText(awsId)));
                    if (taker == null) taker = claims.get(List.of(l.type(), p, awsId));
                    if (taker != null && !taker.equals(c.key())) out.add(new HandOver(l.type(), p, c.key(), taker, awsId));
                }
            }
        }
        out.sort(java.util.Comparator.comparing(HandOver::from).thenComparing(HandOver::awsId));
        return out;
    }

    /** Giver's key → the AWS ids it hands over. */
    public static Map<String, Set<String>> byGiver(List<HandOver> all) {
        Map<String, Set<String>> out = new TreeMap<>();
        for (HandOver h : all) out.computeIfAbsent(h.from(), k -> new TreeSet<>()).add(h.awsId());
        return out;
    }

    /** {@code ctx}, answering {@link TypeContext#handedOver} for this apply's hand-overs. */
    public static TypeContext context(TypeContext ctx, List<HandOver> all) {
        if (all.isEmpty()) return ctx;
        Map<String, Set<String>> given = byGiver(all);
        return new TypeContext() {
            @Override public String stack() { return ctx.stack(); }
            @Override public String region() { return ctx.region(); }
            @Override public io.netstack.spi.Waiter waiter() { return ctx.waiter(); }
            @Override public io.netstack.spi.Retry retry() { return ctx.retry(); }
            @Override public Set<String> ownedAwsIds(String type) { return ctx.ownedAwsIds(type); }

            @Override
            public <T> T retrying(String resource, String action, Set<io.netstack.spi.ErrorCategory> on, java.time.Duration timeout,
                                  java.util.function.Supplier<T> call) {
                return ctx.retrying(resource, action, on, timeout, call);
            }

            @Override
            public Set<String> handedOver(String id) {
                Set<String> mine = new TreeSet<>(ctx.handedOver(id));
                mine.addAll(given.getOrDefault(id, Set.of()));
                return mine;
            }
        };
    }

    private static Set<String> exclusive(TypeRegistry types, String type) {
        return types.find(type).map(ResourceType::exclusiveLists).orElse(Set.of());
    }
}
