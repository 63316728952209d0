package io.netstack.provider.ec2.transitgatewayroutetable;

import com.fasterxml.jackson.databind.JsonNode;
import io.netstack.provider.AwsCalls;
import io.netstack.provider.AwsSession;
import io.netstack.provider.Ec2Helper;
import io.netstack.provider.Ec2Tags;
import io.netstack.spi.AwsFailure;
import io.netstack.spi.ErrorCategory;
import io.netstack.spi.Ownership;
import io.netstack.spi.ResourceSpec;
import io.netstack.spi.TypeContext;
import io.netstack.spi.Validation;
import io.netstack.stack.ResourceBlock;
import java.util.Optional;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TransitGatewayRouteTable;

/**
 * {@code "default": true} on a {@code transit-gateway-route-table}: the block is the default
 * route table AWS made with the gateway (AssociationDefaultRouteTableId, else
 * PropagationDefaultRouteTableId). It is taken over by tagging, never created or deleted: removing
 * the block only removes netstack's tags. Its associations, propagations and routes are then
 * managed like any table's ({@link TgwRouteTableVerbs}).
 */
final class TgwDefaultRouteTable extends Ec2Helper {
    private final TgwRouteTableReads reads;

    TgwDefaultRouteTable(AwsSession aws, TgwRouteTableReads reads) {
        super(aws);
        this.reads = reads;
    }

    /**
     * The default table is the gateway's: only one of this stack may be taken over (ownership,
     * docs/DESIGN.md principle 1), it must exist (AWS makes it only when a gateway-wide default option
     * is on at creation), and the attachments' per-attachment booleans must not say otherwise.
     */
    static void validate(String type, ResourceBlock b, Validation v, JsonNode tgw) {
        Optional<ResourceBlock> gw = v.target(tgw);
        if (gw.isEmpty() || !gw.get().type().equals("transit-gateway")) {
            v.error(b, "/transitGateway", "a default route table belongs to its gateway: name a transit-gateway of this stack (${id}), not an id");
            return;
        }
        JsonNode g = gw.get().properties();
        if (!g.path("defaultRouteTableAssociation").asBoolean(true) && !g.path("defaultRouteTablePropagation").asBoolean(true)) {
            v.error(b, "/default", gw.get().id() + " has both defaultRouteTableAssociation and defaultRouteTablePropagation off, so AWS makes no default route table for it");
        }
        for (ResourceBlock other : v.blocksOfType(type)) {
            if (other.id().equals(b.id())) break;
            if (other.properties().path("default").asBoolean(false) && other.properties().path("transitGateway").equals(tgw)) {
                v.error(b, "/default", "route table " + other.id() + " is already the default route table of " + gw.get().id());
            }
        }
        for (ResourceBlock att : v.blocksOfType("transit-gateway-attachment")) {
            if (!att.properties().path("transitGateway").equals(tgw)) continue;
            for (String[] pair : new String[][] {{"associations", "defaultRouteTableAssociation"}, {"propagations", "defaultRouteTablePropagation"}}) {
                JsonNode says = att.properties().get(pair[1]);
                if (says == null || !says.isBoolean()) continue;
                boolean listed = false;
                for (JsonNode a : b.properties().path(pair[0])) listed |= v.target(a).filter(t -> t.id().equals(att.id())).isPresent();
                if (listed != says.asBoolean()) {
                    v.error(b, "/" + pair[0], att.id() + " says " + pair[1] + ": " + says.asBoolean() + " but this default route table "
                            + (listed ? "lists" : "does not list") + " it in " + pair[0] + ": say it in one place");
                }
            }
        }
    }

    /**
     * {@code "default": true}: the table AWS made with the gateway is tagged as this block's (the
     * gateway is this stack's, validation made sure), then its children are brought to the file
     * like a new table's. A default table another stack has tagged is never taken over.
     */
    /** Tags the gateway's default table as this block's; its id. */
    String adopt(TypeContext ctx, ResourceSpec spec) {
        String id = spec.id(), tgwId = spec.text("transitGateway");
        String rtId = reads.defaultAssociationTable(id, tgwId);
        if (rtId == null) rtId = reads.defaultPropagationTable(id, tgwId);
        if (rtId == null) {
            throw new AwsFailure(ErrorCategory.INVALID_REQUEST, id, "DescribeTransitGateways",
                    "transit gateway " + tgwId + " has no default route table (it was created with both default route table options off)");
        }
        String table = rtId;
        TransitGatewayRouteTable t = reads.describe(id, table).orElseThrow(() -> new AwsFailure(ErrorCategory.NOT_FOUND, id, "DescribeTransitGatewayRouteTables", table + " is not visible"));
        Optional<String> owner = t.tags().stream().filter(x -> Ownership.STACK_TAG.equals(x.key())).map(x -> x.value()).findFirst();
        if (owner.isPresent() && !Ec2Tags.ownedId(t.tags(), ctx.stack()).equals(Optional.of(id))) {
            throw new AwsFailure(ErrorCategory.CONFLICT, id, "CreateTags", "the default route table " + table + " of " + tgwId + " is already managed as "
                    + owner.get() + "/" + t.tags().stream().filter(x -> Ownership.ID_TAG.equals(x.key())).map(x -> x.value()).findFirst().orElse("?"));
        }
        AwsCalls.run(id, "CreateTags", () -> ec2().createTags(r -> r.resources(table).tags(Ec2Tags.toTags(spec.tags()))));
        return table;
    }

    /**
     * The block left the file: the gateway's table is given back untagged, its associations,
     * propagations and routes left as they are (removing them would cut traffic); it goes when
     * the gateway goes.
     */
    void release(String id, String rtId) {
        try {
            AwsCalls.run(id, "DeleteTags", () -> ec2().deleteTags(r -> r.resources(rtId).tags(
                    Tag.builder().key(Ownership.STACK_TAG).build(), Tag.builder().key(Ownership.ID_TAG).build(), Tag.builder().key("Name").build())));
        } catch (AwsFailure f) {
            if (f.category() != ErrorCategory.NOT_FOUND) throw f;
        }
    }
}
