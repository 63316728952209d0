package io.netstack.provider.ec2.customergateway;

import java.util.ArrayList;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netstack.provider.AwsCalls;
import io.netstack.provider.AwsSession;
import io.netstack.provider.Ec2Tags;
import io.netstack.provider.Deletion;
import io.netstack.provider.Ec2Type;
import io.netstack.provider.Finder;
import io.netstack.provider.Status;
import io.netstack.provider.Wait;
import io.netstack.spi.AwsFailure;
import io.netstack.spi.ErrorCategory;
import io.netstack.spi.LiveResource;
import io.netstack.spi.Property;
import io.netstack.spi.ResourceSpec;
import io.netstack.spi.Schema;
import io.netstack.spi.TypeContext;
import io.netstack.spi.Validation;
import io.netstack.spi.Waiter;
import io.netstack.stack.ResourceBlock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.ec2.model.CustomerGateway;
import software.amazon.awssdk.services.ec2.model.GatewayType;
import software.amazon.awssdk.services.ec2.model.ResourceType;

/**
 * {@code customer-gateway}: the on-premises end of a site-to-site VPN. Everything is create-only
 * (EC2 has no ModifyCustomerGateway): {@code ip}, {@code bgpAsn}, {@code deviceName}.
 *
 * <p>Reads: one DescribeCustomerGateways filtered by {@code tag:netstack:stack} (the call takes no
 * pagination, docs/aws-facts.md). moto ignores tag filters here and keeps deleted gateways visible in
 * state {@code deleted} (docs/moto-notes.md): ownership is re-checked client-side and deleted/deleting
 * gateways are dropped.
 */
public final class CustomerGatewayType extends Ec2Type {
    /** Terraform customerGatewayCreatedTimeout = 10 m (internal/service/ec2/wait.go). */
    static final Duration CREATE_TIMEOUT = Duration.ofMinutes(10);
    /**
     * Terraform customerGatewayDeletedTimeout = 5 m. The delete itself is retried while AWS still
     * counts a just-deleted VPN connection as using the gateway (IncorrectState), for as long.
     */
    static final Duration DELETE_TIMEOUT = Duration.ofMinutes(5);
    static final Set<String> GONE_STATES = DELETING_OR_DELETED;
    static final Status<CustomerGateway> STATE = Status.of(CustomerGateway::state);
    static final Wait AVAILABLE = Wait.available(CREATE_TIMEOUT);
    /** IncorrectState: a VPN connection that used the gateway is still being deleted, a dependency that goes away. */
    static final Deletion DELETION = Deletion.of("DeleteCustomerGateway", DELETE_TIMEOUT, "InvalidCustomerGatewayID.NotFound").busyOn("IncorrectState");
    /** AWS's default when CreateCustomerGateway gets no BgpAsn (EC2 API reference). */
    static final int DEFAULT_BGP_ASN = 65000;
    /** BgpAsn takes 1–2,147,483,647; larger 4-byte ASNs go in BgpAsnExtended (EC2 API reference). */
    static final long MAX_BGP_ASN = 4_294_967_294L;

    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");

    private static final Schema SCHEMA = new Schema(true, List.of(),
            Property.string("ip").required().createOnly().describe("public IPv4 address of the on-premises VPN device"),
            Property.integer("bgpAsn").createOnly().range(1, MAX_BGP_ASN).defaultValue(DEFAULT_BGP_ASN)
                    .describe("BGP ASN of the on-premises side (AWS default 65000)"),
            Property.string("deviceName").createOnly().describe("name of the on-premises device (informational)"));

    private final Finder<CustomerGateway> gateways = finder("DescribeCustomerGateways", cgwId -> ec2().describeCustomerGateways(r -> r.customerGatewayIds(cgwId)).customerGateways(),
            CustomerGateway::customerGatewayId, CustomerGateway::state, GONE_STATES);
    private final Reads<CustomerGateway> reads = reads("DescribeCustomerGateways", f -> ec2().describeCustomerGateways(r -> r.filters(f)).customerGateways(),
            CustomerGateway::customerGatewayId, CustomerGateway::tags, g -> !gone(g.state()), (ctx, id, g) -> translate(id, g));

    public CustomerGatewayType(AwsSession aws) {
        super(aws, "customer-gateway", "customer gateway", SCHEMA);
    }

    @Override
    public void validate(ResourceBlock b, Validation v) {
        String ip = b.properties().path("ip").asText();
        if (io.netstack.stack.Reference.containsReference(ip)) {
            // e.g. ${eip.publicIp}: an attribute of another resource, known only at apply
        } else if (!IPV4.matcher(ip).matches()) {
            v.error(b, "/ip", "\"" + ip + "\" is not an IPv4 address (the customer gateway's public IP, e.g. 203.0.113.12)");
        } else if (isPrivate(ip)) {
            v.warning(b, "/ip", ip + " is a private address; AWS expects the device's public IP unless the VPN runs over Direct Connect private IP");
        }
        JsonNode dn = b.properties().get("deviceName");
        if (dn != null && dn.isTextual() && dn.asText().length() > 255) v.error(b, "/deviceName", "deviceName is at most 255 characters");
    }

    private static boolean isPrivate(String ip) {
        String[] o = ip.split("\\.");
        int a = Integer.parseInt(o[0]), b = Integer.parseInt(o[1]);
        return a == 10 || (a == 172 && b >= 16 && b <= 31) || (a == 192 && b == 168);
    }

    /** Gateways live outside VPCs: the second pass imports those the VPN connections name (it takes no pagination). */
    @Override
    public List<LiveResource> importable(TypeContext ctx, io.netstack.spi.ImportScope scope) {
        Set<String> ids = scope.referenced("cgw-");
        if (!scope.byReference() || ids.isEmpty()) return List.of();
        List<LiveResource> out = new ArrayList<>();
        for (CustomerGateway g : AwsCalls.call(null, "DescribeCustomerGateways",
                () -> ec2().describeCustomerGateways(r -> r.filters(Ec2Tags.filter("customer-gateway-id", ids))).customerGateways())) {
            if (!gone(g.state()) && ids.contains(g.customerGatewayId())) out.add(Ec2Tags.any().mark(translate(g.customerGatewayId(), g), g.tags()));
        }
        return out;
    }

    static boolean gone(String state) {
        return GONE_STATES.contains(state);
    }

    private LiveResource translate(String id, CustomerGateway g) {
        ObjectNode p = JsonNodeFactory.instance.objectNode();
        p.put("ip", g.ipAddress());
        String asn = g.bgpAsnExtended() != null && !g.bgpAsnExtended().isBlank() ? g.bgpAsnExtended() : g.bgpAsn();
        if (asn != null && !asn.isBlank()) p.put("bgpAsn", Long.parseLong(asn.trim()));
        if (g.deviceName() != null && !g.deviceName().isEmpty()) p.put("deviceName", g.deviceName());
        p.set("tags", Ec2Tags.userTags(g.tags()));
        return new LiveResource(id, name(), g.customerGatewayId(), p, Map.of());
    }

    @Override
    public LiveResource create(TypeContext ctx, ResourceSpec spec) {
        String id = spec.id();
        long asn = spec.properties().path("bgpAsn").asLong(DEFAULT_BGP_ASN);
        CustomerGateway g = AwsCalls.call(id, "CreateCustomerGateway", () -> ec2().createCustomerGateway(r -> {
            r.type(GatewayType.IPSEC_1).ipAddress(spec.text("ip"))
                    .tagSpecifications(Ec2Tags.spec(ResourceType.CUSTOMER_GATEWAY, spec.tags()));
            if (asn <= Integer.MAX_VALUE) r.bgpAsn((int) asn);
            else r.bgpAsnExtended(asn);
            if (spec.text("deviceName") != null) r.deviceName(spec.text("deviceName"));
        }).customerGateway());
        String cgwId = g.customerGatewayId();
        await(ctx, id, cgwId, AVAILABLE, () -> gateways.find(id, cgwId, Set.of()), STATE);
        return readBack(ctx, id, cgwId, () -> readOne(id, cgwId));
    }

    private Optional<LiveResource> readOne(String id, String cgwId) {
        return gateways.find(id, cgwId).map(g -> translate(id, g));
    }

    @Override
    public LiveResource update(TypeContext ctx, LiveResource live, ResourceSpec spec, Set<String> changed) {
        return updateTags(ctx, live, spec, changed, gateways::find, this::readOne);
    }

    @Override
    public void delete(TypeContext ctx, LiveResource live) {
        deleteAndWaitGone(ctx, live, DELETION, cgwId -> ec2().deleteCustomerGateway(r -> r.customerGatewayId(cgwId)),
                (id, cgwId) -> gateways.find(id, cgwId, DELETED), STATE);
    }

    /** IAM actions of the handlers above, for {@code netstack policy} (spi.Permissions). */
    @Override
    public io.netstack.spi.Permissions permissions() {
        return ec2Permissions(DELETION, List.of("CreateCustomerGateway"), List.of(), List.of(), false);
    }
}
