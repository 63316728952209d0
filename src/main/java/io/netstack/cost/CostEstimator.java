package io.netstack.cost;

import com.fasterxml.jackson.databind.JsonNode;
import io.netstack.engine.Action;
import io.netstack.engine.Change;
import io.netstack.engine.Plan;
import io.netstack.stack.Reference;
import io.netstack.stack.ResourceBlock;
import io.netstack.stack.StackFile;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** Prices stack blocks (the whole stack) and plans (the change). */
public final class CostEstimator {
    private final PriceTable prices;

    public CostEstimator(PriceTable prices) {
        this.prices = prices;
    }

    /** One resource as priced: its shape is the stack-file block (desired) or the live object (AWS ids). */
    record Block(String id, String type, JsonNode props) {}

    /** Every hourly charge of the stack as its file describes it. */
    public Estimate stack(StackFile stack) {
        List<Block> blocks = new ArrayList<>();
        for (ResourceBlock b : stack.resources().values()) blocks.add(new Block(b.id(), b.type(), b.properties()));
        Map<String, BigDecimal> rates = prices.region(stack.region());
        Ctx ctx = new Ctx(rates, blocks);
        List<CostItem> items = new ArrayList<>();
        for (Block b : blocks) items.addAll(items(b, ctx));
        return new Estimate(prices.currency(), stack.region(), prices, items, usage(blocks));
    }

    /**
     * The monthly change a plan makes: created objects add their charges, deleted ones remove
     * theirs, updates and replacements add the difference (an interface endpoint gaining a zone).
     */
    public Estimate change(Plan plan) {
        List<Block> desired = new ArrayList<>();
        for (Change c : plan.changes()) if (c.desired() != null && c.action() != Action.DELETE) desired.add(new Block(c.id(), c.type(), c.desired()));
        Map<String, BigDecimal> rates = prices.region(plan.region());
        Ctx ctx = new Ctx(rates, desired);
        List<CostItem> items = new ArrayList<>();
        List<Block> touched = new ArrayList<>();
        for (Change c : plan.actionable()) {
            List<CostItem> after = c.desired() != null && c.action() != Action.DELETE ? items(new Block(c.id(), c.type(), c.desired()), ctx) : List.of();
            List<CostItem> before = c.live() != null && c.action() != Action.CREATE ? items(new Block(c.id(), c.type(), c.live().properties()), ctx) : List.of();
            BigDecimal delta = sum(after).subtract(sum(before));
            if (!after.isEmpty() || !before.isEmpty()) touched.add(new Block(c.id(), c.type(), c.desired()));
            if (delta.signum() == 0) continue;
            String basis = switch (c.action()) {
                case CREATE -> basis(after);
                case DELETE -> "deleted: " + basis(before);
                default -> (before.isEmpty() ? "(none)" : basis(before)) + " → " + (after.isEmpty() ? "(none)" : basis(after));
            };
            items.add(new CostItem(c.id(), c.type(), delta, basis));
        }
        return new Estimate(prices.currency(), plan.region(), prices, items, usage(touched));
    }

    private static BigDecimal sum(List<CostItem> items) {
        return items.stream().map(CostItem::monthly).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    private static String basis(List<CostItem> items) {
        return String.join(" + ", items.stream().map(CostItem::basis).toList());
    }

    private List<String> usage(List<Block> blocks) {
        TreeSet<String> types = new TreeSet<>();
        for (Block b : blocks) {
            if (b.type().equals("vpc-endpoint") && "gateway".equals(kind(b.props()))) continue; // gateway endpoints: no charge at all
            if (prices.usage().containsKey(b.type())) types.add(b.type());
        }
        return types.stream().map(t -> t + ": " + prices.usage().get(t)).toList();
    }

    /** What the priced blocks can ask of the others: the type behind a reference, who uses an EIP. */
    private final class Ctx {
        final Map<String, BigDecimal> rates;
        final Map<String, String> typeOf = new HashMap<>();
        final Map<String, String> eipUser = new HashMap<>();

        Ctx(Map<String, BigDecimal> rates, List<Block> blocks) {
            this.rates = rates;
            for (Block b : blocks) {
                typeOf.put(b.id(), b.type());
                if (b.type().equals("nat-gateway")) refId(b.props().path("eip").asText(null)).ifPresent(e -> eipUser.put(e, b.id()));
            }
        }

        /** Whether a reference (or literal AWS id) names a transit gateway. */
        boolean isTransitGateway(String ref) {
            if (ref == null) return false;
            if (ref.startsWith("tgw-")) return true;
            return Reference.whole(ref).map(r -> r.kind() == Reference.Kind.RESOURCE && "transit-gateway".equals(typeOf.get(r.target())))
                    .orElse(false);
        }

        CostItem item(Block b, String rate, int count, String unit, String what) {
            BigDecimal perHour = rates.get(rate);
            BigDecimal monthly = perHour.multiply(BigDecimal.valueOf((long) count * prices.hoursPerMonth())).setScale(2, RoundingMode.HALF_UP);
            String n = count == 1 ? "" : count + " " + unit + " × ";
            return new CostItem(b.id(), b.type(), monthly, n + prices.hoursPerMonth() + " h × $" + rate(perHour) + "/h (" + what + ")");
        }

        private static String rate(BigDecimal perHour) {
            BigDecimal r = perHour.stripTrailingZeros();
            return (r.scale() < 2 ? r.setScale(2) : r).toPlainString();
        }
    }

    private static java.util.Optional<String> refId(String s) {
        return Reference.whole(s).filter(r -> r.kind() == Reference.Kind.RESOURCE).map(Reference::target);
    }

    private static String kind(JsonNode props) {
        return props.path("kind").asText("gateway");
    }

    private static int count(JsonNode props, String key) {
        JsonNode a = props.path(key);
        return a.isArray() ? a.size() : 0;
    }

    private List<CostItem> items(Block b, Ctx ctx) {
        JsonNode p = b.props() == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : b.props();
        List<CostItem> out = new ArrayList<>();
        switch (b.type()) {
            case "nat-gateway" -> out.add(ctx.item(b, "natGatewayHour", 1, "", "NAT gateway"
                    + ("private".equals(p.path("connectivity").asText("public")) ? ", private" : "")));
            // Every public IPv4 address is billed since 2024-02-01, in use or idle, a NAT gateway's
            // EIP included (https://aws.amazon.com/vpc/pricing/, "Public IPv4 Address" tab).
            case "elastic-ip" -> out.add(ctx.item(b, "publicIpv4Hour", 1, "", "public IPv4"
                    + (ctx.eipUser.containsKey(b.id()) ? ", in use by " + ctx.eipUser.get(b.id()) : "")));
            case "transit-gateway-attachment" -> out.add(ctx.item(b, "tgwAttachmentHour", 1, "", "Transit Gateway VPC attachment"));
            case "transit-gateway-peering" -> out.add(ctx.item(b, "tgwPeeringAttachmentHour", 1, "", "Transit Gateway peering attachment"));
            case "vpn-connection" -> {
                out.add(ctx.item(b, "vpnConnectionHour", 1, "", "Site-to-Site VPN connection"));
                // A VPN on a transit gateway is also a TGW attachment, billed as one.
                if (p.hasNonNull("transitGateway")) out.add(ctx.item(b, "tgwAttachmentHour", 1, "", "Transit Gateway VPN attachment"));
            }
            // A DX gateway associated with a transit gateway is a TGW attachment; with a VGW it is free.
            case "dx-gateway-association" -> {
                if (ctx.isTransitGateway(p.path("gateway").asText(null))) out.add(ctx.item(b, "tgwAttachmentHour", 1, "", "Transit Gateway Direct Connect attachment"));
            }
            // Interface and GWLB endpoints bill per AZ; AWS takes at most one subnet per AZ for an
            // endpoint, so the subnets are the AZs (https://aws.amazon.com/privatelink/pricing/).
            case "vpc-endpoint" -> {
                int azs = count(p, "subnets");
                String kind = kind(p);
                if (kind.equals("interface") && azs > 0) out.add(ctx.item(b, "interfaceEndpointAzHour", azs, "AZs", "interface endpoint per AZ"));
                if (kind.equals("gateway-load-balancer") && azs > 0) out.add(ctx.item(b, "gwlbEndpointAzHour", azs, "AZs", "Gateway Load Balancer endpoint per AZ"));
            }
            // One target-network association per subnet, one subnet per AZ (Client VPN's own rule).
            case "client-vpn-endpoint" -> {
                int assoc = count(p, "subnets");
                if (assoc > 0) out.add(ctx.item(b, "clientVpnAssociationHour", assoc, "associations", "Client VPN endpoint association"));
            }
            default -> { }
        }
        return out;
    }
}
