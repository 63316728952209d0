package io.netstack.provider.ec2.transitgatewayroutetable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netstack.provider.AwsType;
import io.netstack.stack.Cidr;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.services.ec2.model.TransitGatewayRoute;

/**
 * Translator between a transit gateway route table in stack form ({@code associations},
 * {@code propagations}, {@code routes: [{destination, attachment | blackhole}]}) and the SDK
 * shapes AWS answers with. No AWS calls here: {@link TgwRouteTableReads} fetches, this shapes.
 */
final class TgwRouteTableTranslator {
    static final Set<String> GONE_STATES = AwsType.DELETING_OR_DELETED;

    private TgwRouteTableTranslator() {}

    /** The stack form of one table from what was read (association/propagation states by attachment id). */
    static ObjectNode properties(String tgwId, Map<String, String> associations, Map<String, String> propagations, List<TransitGatewayRoute> routes) {
        ObjectNode p = JsonNodeFactory.instance.objectNode();
        p.put("transitGateway", tgwId);
        ArrayNode assoc = p.putArray("associations");
        associations.forEach((att, state) -> {
            if (!"disassociating".equals(state) && !"disassociated".equals(state)) assoc.add(att);
        });
        ArrayNode props = p.putArray("propagations");
        propagations.forEach((att, state) -> {
            if (!"disabling".equals(state) && !"disabled".equals(state)) props.add(att);
        });
        ArrayNode out = p.putArray("routes");
        for (TransitGatewayRoute r : routes) {
            if (r.destinationCidrBlock() == null || GONE_STATES.contains(r.stateAsString())) continue; // prefix-list routes are not managed
            ObjectNode o = out.addObject();
            o.put("destination", r.destinationCidrBlock());
            String att = routeAttachment(r);
            if (att != null) o.put("attachment", att);
            else if ("blackhole".equals(r.stateAsString())) o.put("blackhole", true);
        }
        return p;
    }

    static String routeAttachment(TransitGatewayRoute r) {
        return r.hasTransitGatewayAttachments() && !r.transitGatewayAttachments().isEmpty()
                ? r.transitGatewayAttachments().get(0).transitGatewayAttachmentId() : null;
    }

    /** {@code "blackhole": false} and {@code null} fields say nothing: dropped, so all spellings compare equal. */
    static void normalizeRoutes(JsonNode routes) {
        if (routes == null || !routes.isArray()) return;
        for (JsonNode r : routes) {
            if (!r.isObject()) continue;
            ObjectNode o = (ObjectNode) r;
            if (o.has("blackhole") && (o.get("blackhole").isNull() || o.get("blackhole").isBoolean() && !o.get("blackhole").asBoolean())) o.remove("blackhole");
            if (o.has("attachment") && o.get("attachment").isNull()) o.remove("attachment");
        }
    }

    static Map<String, JsonNode> routesByDestination(JsonNode routes) {
        Map<String, JsonNode> out = new TreeMap<>();
        if (routes != null && routes.isArray()) {
            for (JsonNode r : routes) out.put(Cidr.canonical(r.path("destination").asText()), r);
        }
        return out;
    }

    static boolean blackhole(JsonNode route) {
        return route.path("blackhole").asBoolean(false);
    }

    /** The attachment a route sends to, or null for a blackhole. */
    static String attachment(JsonNode route) {
        return blackhole(route) ? null : route.path("attachment").asText();
    }

    static boolean sameTarget(JsonNode a, JsonNode b) {
        return blackhole(a) == blackhole(b) && a.path("attachment").asText("").equals(b.path("attachment").asText(""));
    }
}
