package io.netstack.drift;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netstack.engine.Json;
import io.netstack.engine.PlanJson;
import java.time.Instant;
import java.util.List;

/**
 * The drift of one stack at one moment:
 * {@code {"stack":…, "checkedAt":…, "drift":[{"id","awsId","type","class","path","expected","actual"}]}}.
 */
public record DriftReport(String stack, String region, Instant checkedAt, List<DriftItem> drift) {
    public boolean hasDrift() {
        return !drift.isEmpty();
    }

    public long count(DriftItem.DriftClass c) {
        return drift.stream().filter(d -> d.driftClass() == c).count();
    }

    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("stack", stack);
        o.put("region", region);
        o.put("checkedAt", checkedAt.toString());
        ArrayNode a = o.putArray("drift");
        for (DriftItem d : drift) {
            ObjectNode j = a.addObject();
            j.put("id", d.id());
            if (d.awsId() != null) j.put("awsId", d.awsId());
            else j.putNull("awsId");
            j.put("type", d.type());
            j.put("class", d.driftClass().lower());
            if (d.path() != null) j.put("path", d.path());
            else j.putNull("path");
            j.set("expected", d.expected() == null ? Json.MAPPER.nullNode() : d.expected());
            j.set("actual", d.actual() == null ? Json.MAPPER.nullNode() : d.actual());
        }
        ObjectNode summary = o.putObject("summary");
        for (DriftItem.DriftClass c : DriftItem.DriftClass.values()) summary.put(c.lower(), count(c));
        return o;
    }

    static final String SENSITIVE = PlanJson.SENSITIVE;
}
