package io.netstack.provider.directconnect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netstack.spi.Ownership;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import software.amazon.awssdk.services.directconnect.DirectConnectClient;
import software.amazon.awssdk.services.directconnect.model.Tag;

/**
 * Ownership tags on Direct Connect objects, the Direct Connect way: tags go on at creation in the
 * create call's own {@code tags} (so creation and ownership are one step, as everywhere else), are
 * changed with {@code TagResource}/{@code UntagResource} on the object's ARN, and Direct Connect
 * gateways, being global, also carry {@value #REGION_TAG} so that two stacks of the same name in
 * two regions never claim each other's gateway.
 */
public final class DxTags {
    /** The region of the stack that owns a global object (a Direct Connect gateway). */
    public static final String REGION_TAG = "netstack:region";

    private DxTags() {}

    public static List<Tag> toTags(Map<String, String> tags) {
        List<Tag> out = new ArrayList<>();
        new TreeMap<>(tags).forEach((k, v) -> out.add(Tag.builder().key(k).value(v).build()));
        return out;
    }

    public static Map<String, String> toMap(List<Tag> tags) {
        Map<String, String> m = new TreeMap<>();
        if (tags != null) for (Tag t : tags) m.put(t.key(), t.value() == null ? "" : t.value());
        return m;
    }

    /**
     * The logical id if the tags say the object belongs to {@code stack}; with {@code region} non-null
     * the region tag must name it too (objects without a region tag are taken as the stack's: only
     * global objects carry one).
     */
    public static Optional<String> ownedId(List<Tag> tags, String stack, String region) {
        Map<String, String> m = toMap(tags);
        if (!stack.equals(m.get(Ownership.STACK_TAG)) || m.get(Ownership.ID_TAG) == null) return Optional.empty();
        String r = m.get(REGION_TAG);
        if (region != null && r != null && !r.equals(region)) return Optional.empty();
        return Optional.of(m.get(Ownership.ID_TAG));
    }

    public static boolean hasOwnership(List<Tag> tags) {
        Map<String, String> m = toMap(tags);
        return m.containsKey(Ownership.STACK_TAG) && m.containsKey(Ownership.ID_TAG);
    }

    /** The user's tags: without netstack:*, aws:* and Name (which netstack sets). */
    public static ObjectNode userTags(List<Tag> tags) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        toMap(tags).forEach((k, v) -> {
            if (!k.startsWith("netstack:") && !k.startsWith("aws:")) o.put(k, v);
        });
        return o;
    }

    /** Brings the user tags of {@code arn} from {@code before} to {@code after}. */
    public static void update(DirectConnectClient dx, String resource, String arn, JsonNode before, JsonNode after) {
        Map<String, String> b = map(before), a = map(after);
        List<String> remove = new ArrayList<>();
        b.keySet().forEach(k -> {
            if (!a.containsKey(k)) remove.add(k);
        });
        Map<String, String> put = new TreeMap<>();
        a.forEach((k, v) -> {
            if (!v.equals(b.get(k))) put.put(k, v);
        });
        if (!remove.isEmpty()) DxCalls.run(resource, "UntagResource", () -> dx.untagResource(r -> r.resourceArn(arn).tagKeys(remove)));
        if (!put.isEmpty()) DxCalls.run(resource, "TagResource", () -> dx.tagResource(r -> r.resourceArn(arn).tags(toTags(put))));
    }

    private static Map<String, String> map(JsonNode n) {
        Map<String, String> m = new TreeMap<>();
        if (n != null && n.isObject()) n.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
        return m;
    }

    /** AWS partition of a region, for ARNs. */
    public static String partition(String region) {
        if (region == null) return "aws";
        if (region.startsWith("cn-")) return "aws-cn";
        if (region.startsWith("us-gov-")) return "aws-us-gov";
        if (region.startsWith("us-isob-")) return "aws-iso-b";
        if (region.startsWith("us-iso-")) return "aws-iso";
        return "aws";
    }

    /** Direct Connect gateways are global: their ARN has no region. */
    public static String gatewayArn(String region, String account, String gatewayId) {
        return "arn:" + partition(region) + ":directconnect::" + account + ":dx-gateway/" + gatewayId;
    }

    public static String virtualInterfaceArn(String region, String account, String vifId) {
        return "arn:" + partition(region) + ":directconnect:" + region + ":" + account + ":dxvif/" + vifId;
    }
}
