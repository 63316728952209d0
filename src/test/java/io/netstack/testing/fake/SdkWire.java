package io.netstack.testing.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.protocol.MarshallingType;
import software.amazon.awssdk.core.traits.ListTrait;
import software.amazon.awssdk.core.util.SdkAutoConstructList;
import software.amazon.awssdk.core.util.SdkAutoConstructMap;

/**
 * Writes AWS wire formats from the SDK's own model objects, using the member names the SDK's
 * service model carries (the same model AWS's API reference is generated from): JSON for
 * Direct Connect ({@code awsJson1_1}), XML for EC2 ({@code ec2} query protocol: lists as
 * {@code <member><item>…</item></member>}). The fakes build their answers as SDK objects and let
 * this class spell them, so a member name can never be misspelt by hand.
 */
public final class SdkWire {
    static final ObjectMapper MAPPER = new ObjectMapper();
    public static final String EC2_NAMESPACE = "http://ec2.amazonaws.com/doc/2016-11-15/";

    private SdkWire() {}

    // ------------------------------------------------------------------ JSON

    public static ObjectNode json(SdkPojo pojo) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        for (SdkField<?> f : pojo.sdkFields()) {
            Object v = f.getValueOrDefault(pojo);
            if (v == null || v instanceof SdkAutoConstructList || v instanceof SdkAutoConstructMap) continue;
            o.set(f.locationName(), jsonValue(f.marshallingType(), v, f));
        }
        return o;
    }

    private static JsonNode jsonValue(MarshallingType<?> t, Object v, SdkField<?> f) {
        if (v instanceof SdkPojo p) return json(p);
        if (v instanceof Collection<?> c) {
            ArrayNode a = JsonNodeFactory.instance.arrayNode();
            SdkField<?> member = f == null ? null : f.getOptionalTrait(ListTrait.class).map(ListTrait::memberFieldInfo).orElse(null);
            for (Object e : c) a.add(jsonValue(member == null ? null : member.marshallingType(), e, member));
            return a;
        }
        if (v instanceof Map<?, ?> m) {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            m.forEach((k, x) -> o.set(String.valueOf(k), jsonValue(null, x, null)));
            return o;
        }
        if (v instanceof Instant i) return JsonNodeFactory.instance.numberNode(i.getEpochSecond());
        return MAPPER.valueToTree(v);
    }

    // ------------------------------------------------------------------ EC2 XML

    /** {@code <ActionResponse xmlns=…><requestId>…</requestId>…members…</ActionResponse>}. */
    public static String ec2Response(String action, String requestId, SdkPojo body) {
        StringBuilder sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<")
                .append(action).append("Response xmlns=\"").append(EC2_NAMESPACE).append("\"><requestId>").append(requestId).append("</requestId>");
        if (body != null) xmlMembers(sb, body);
        return sb.append("</").append(action).append("Response>").toString();
    }

    public static String ec2Error(String code, String message, String requestId) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>" + escape(code) + "</Code><Message>" + escape(message)
                + "</Message></Error></Errors><RequestID>" + requestId + "</RequestID></Response>";
    }

    private static void xmlMembers(StringBuilder sb, SdkPojo pojo) {
        for (SdkField<?> f : pojo.sdkFields()) {
            Object v = f.getValueOrDefault(pojo);
            if (v == null || v instanceof SdkAutoConstructList || v instanceof SdkAutoConstructMap) continue;
            xmlValue(sb, f.unmarshallLocationName(), f, v);
        }
    }

    private static void xmlValue(StringBuilder sb, String name, SdkField<?> f, Object v) {
        sb.append('<').append(name).append('>');
        if (v instanceof SdkPojo p) {
            xmlMembers(sb, p);
        } else if (v instanceof Collection<?> c) {
            ListTrait lt = f.getOptionalTrait(ListTrait.class).orElseThrow();
            String item = lt.memberLocationName() == null ? "item" : lt.memberLocationName();
            for (Object e : c) xmlValue(sb, item, lt.memberFieldInfo(), e);
        } else if (v instanceof Instant i) {
            sb.append(i);
        } else {
            sb.append(escape(String.valueOf(v)));
        }
        sb.append("</").append(name).append('>');
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
