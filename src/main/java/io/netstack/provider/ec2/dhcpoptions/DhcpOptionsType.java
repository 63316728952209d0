package io.netstack.provider.ec2.dhcpoptions;

import io.netstack.provider.AwsCalls;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netstack.provider.AwsSession;
import io.netstack.provider.Ec2Tags;
import io.netstack.provider.Deletion;
import io.netstack.provider.Ec2Type;
import io.netstack.provider.Finder;
import io.netstack.provider.Status;
import io.netstack.provider.Wait;
import io.netstack.spi.LiveResource;
import io.netstack.spi.Property;
import io.netstack.spi.ResourceSpec;
import io.netstack.spi.Schema;
import io.netstack.spi.TypeContext;
import io.netstack.spi.Validation;
import io.netstack.stack.Reference;
import io.netstack.stack.ResourceBlock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.ec2.model.DhcpConfiguration;
import software.amazon.awssdk.services.ec2.model.DhcpOptions;
import software.amazon.awssdk.services.ec2.model.NewDhcpConfiguration;
import software.amazon.awssdk.services.ec2.model.ResourceType;

/**
 * {@code dhcp-options}: a DHCP options set (domain name, DNS, NTP and NetBIOS servers). A VPC uses
 * it through its {@code dhcpOptions} reference. EC2 has no ModifyDhcpOptions: every option is
 * create-only, and a changed set is a new set, associated with the VPC before the old one goes.
 *
 * <p>Reads: one paginated DescribeDhcpOptions filtered by {@code tag:netstack:stack}. moto takes no
 * TagSpecifications on CreateDhcpOptions (AWS does): a set that comes back without its ownership
 * tags gets them at once ({@link Ec2Tags#ensure}, a no-op on AWS). moto also deletes a VPC's set
 * with the VPC; AWS keeps it, so the delete here takes NotFound as done.
 */
public final class DhcpOptionsType extends Ec2Type {
    /** Sets are usable at once (no state); Terraform's aws_vpc_dhcp_options has no create timeout. */
    static final Duration READ_TIMEOUT = Duration.ofMinutes(2);
    /** A set still associated with a VPC that is being deleted answers DependencyViolation for a while. */
    static final Duration DELETE_TIMEOUT = Duration.ofMinutes(5);
    /** EC2 API reference, NewDhcpConfiguration: up to four servers per server option. */
    static final int MAX_SERVERS = 4;
    /** A DHCP options set has no state: existing is all there is to know. */
    static final Status<DhcpOptions> STATE = Status.exists();
    static final Wait VISIBLE = Wait.created("visible", READ_TIMEOUT, "exists");
    static final Deletion DELETION = Deletion.of("DeleteDhcpOptions", DELETE_TIMEOUT, "InvalidDhcpOptionID.NotFound");
    /** AWS's own resolver as a domain-name-servers value (Amazon VPC user guide, "DHCP option sets"). */
    static final String AMAZON_DNS = "AmazonProvidedDNS";

    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:]*:[0-9a-fA-F:.]*");
    private static final Pattern DOMAIN = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\.?");

    /** Stack-file name → the DHCP option key of the EC2 API. */
    private static final Map<String, String> KEYS = Map.of(
            "domainName", "domain-name",
            "domainNameServers", "domain-name-servers",
            "ntpServers", "ntp-servers",
            "netbiosNameServers", "netbios-name-servers",
            "netbiosNodeType", "netbios-node-type");

    private static final Schema SCHEMA = new Schema(true, List.of(),
            Property.string("domainName").createOnly()
                    .describe("search domain(s) for the VPC's instances, space-separated, e.g. corp.example.com"),
            Property.list("domainNameServers", Property.string("server")).ordered().createOnly().defaultEmptyList()
                    .describe("up to four DNS server IPs, or \"AmazonProvidedDNS\" (the VPC's resolver), in order"),
            Property.list("ntpServers", Property.string("server")).ordered().createOnly().defaultEmptyList()
                    .describe("up to four NTP server IPs (169.254.169.123 is the Amazon Time Sync Service)"),
            Property.list("netbiosNameServers", Property.string("server")).ordered().createOnly().defaultEmptyList()
                    .describe("up to four NetBIOS name server IPs"),
            Property.integer("netbiosNodeType").createOnly().range(1, 8)
                    .describe("NetBIOS node type 1, 2, 4 or 8 (AWS recommends 2; broadcast is not supported)"));

    private final Finder<DhcpOptions> sets = finder("DescribeDhcpOptions", optionsId -> ec2().describeDhcpOptions(r -> r.dhcpOptionsIds(optionsId)).dhcpOptions(),
            DhcpOptions::dhcpOptionsId, null, Set.of());
    private final Reads<DhcpOptions> reads = reads("DescribeDhcpOptions", f -> ec2().describeDhcpOptionsPaginator(r -> r.filters(f)).dhcpOptions(),
            DhcpOptions::dhcpOptionsId, DhcpOptions::tags, this::translate);

    public DhcpOptionsType(AwsSession aws) {
        super(aws, "dhcp-options", "DHCP options", SCHEMA);
    }

    @Override
    public void validate(ResourceBlock b, Validation v) {
        JsonNode p = b.properties();
        boolean any = p.has("domainName") || p.has("netbiosNodeType");
        for (String list : List.of("domainNameServers", "ntpServers", "netbiosNameServers")) {
            JsonNode l = p.get(list);
            if (l == null) continue;
            any |= !l.isEmpty();
            if (l.size() > MAX_SERVERS) v.error(b, "/" + list, "at most " + MAX_SERVERS + " servers (EC2 API), got " + l.size());
            for (int i = 0; i < l.size(); i++) {
                String s = l.get(i).asText();
                if (Reference.containsReference(s)) continue; // e.g. ${resolver.ip}: known at apply
                boolean amazon = list.equals("domainNameServers") && s.equals(AMAZON_DNS);
                if (!amazon && !IPV4.matcher(s).matches() && !IPV6.matcher(s).matches()) {
                    v.error(b, "/" + list + "/" + i, "\"" + s + "\" is not an IP address" + (list.equals("domainNameServers") ? " or " + AMAZON_DNS : ""));
                }
            }
        }
        JsonNode dn = p.get("domainName");
        if (dn != null && dn.isTextual()) {
            for (String d : dn.asText().trim().split("\\s+")) {
                if (!DOMAIN.matcher(d).matches()) v.error(b, "/domainName", "\"" + d + "\" is not a domain name");
            }
        }
        JsonNode nt = p.get("netbiosNodeType");
        if (nt != null && nt.isIntegralNumber() && !Set.of(1, 2, 4, 8).contains(nt.asInt())) {
            v.error(b, "/netbiosNodeType", "NetBIOS node type is 1, 2, 4 or 8, got " + nt.asInt());
        }
        if (!any) v.error(b, "", "a DHCP options set needs at least one option (AWS refuses an empty set)");
    }

    /** The sets the import's VPCs use, but AWS's default set (left to AWS: not managed). */
    @Override
    public List<LiveResource> importable(TypeContext ctx, io.netstack.spi.ImportScope scope) {
        return importInVpcs(ctx, scope, reads, () -> ofVpcs(ec2(), scope), d -> !awsDefault(d));
    }

    /** The DHCP options sets of the import's VPCs: one DescribeDhcpOptions by id, shared with the vpc type. */
    public static List<DhcpOptions> ofVpcs(software.amazon.awssdk.services.ec2.Ec2Client ec2, io.netstack.spi.ImportScope scope) {
        return scope.shared("DescribeDhcpOptions", () -> {
            Set<String> ids = new java.util.TreeSet<>();
            for (var v : io.netstack.provider.ec2.vpc.VpcType.inScope(ec2, scope)) {
                if (v.dhcpOptionsId() != null && v.dhcpOptionsId().startsWith("dopt-")) ids.add(v.dhcpOptionsId());
            }
            List<DhcpOptions> all = new ArrayList<>();
            if (ids.isEmpty()) return all;
            AwsCalls.run(null, "DescribeDhcpOptions", () -> ec2.describeDhcpOptionsPaginator(r -> r.filters(Ec2Tags.filter("dhcp-options-id", ids))).dhcpOptions().forEach(d -> {
                if (ids.contains(d.dhcpOptionsId())) all.add(d);
            }));
            return all;
        });
    }

    /**
     * AWS's default set, which every VPC of a region gets unless told otherwise: only
     * {@code domain-name} {@code <region>.compute.internal} ({@code ec2.internal} in us-east-1) and
     * {@code domain-name-servers} {@code AmazonProvidedDNS}, and no Name.
     */
    public static boolean awsDefault(DhcpOptions d) {
        if (d.tags() != null && d.tags().stream().anyMatch(t -> t.key().equals("Name"))) return false;
        for (DhcpConfiguration c : d.dhcpConfigurations()) {
            List<String> values = c.values().stream().map(x -> x.value()).toList();
            switch (c.key()) {
                case "domain-name" -> {
                    if (values.size() != 1 || !(values.get(0).endsWith(".compute.internal") || values.get(0).equals("ec2.internal"))) return false;
                }
                case "domain-name-servers" -> {
                    if (!values.equals(List.of("AmazonProvidedDNS"))) return false;
                }
                default -> {
                    return false;
                }
            }
        }
        return true;
    }

    private LiveResource translate(TypeContext ctx, String id, DhcpOptions d) {
        Map<String, List<String>> options = new LinkedHashMap<>();
        for (DhcpConfiguration c : d.dhcpConfigurations()) {
            List<String> values = new ArrayList<>();
            c.values().forEach(x -> values.add(x.value()));
            options.put(c.key(), values);
        }
        ObjectNode p = JsonNodeFactory.instance.objectNode();
        List<String> domain = options.get("domain-name");
        if (domain != null && !domain.isEmpty()) p.put("domainName", String.join(" ", domain));
        for (String list : List.of("domainNameServers", "ntpServers", "netbiosNameServers")) {
            ArrayNode a = p.putArray(list);
            options.getOrDefault(KEYS.get(list), List.of()).forEach(a::add);
        }
        List<String> node = options.get("netbios-node-type");
        if (node != null && !node.isEmpty()) p.put("netbiosNodeType", Integer.parseInt(node.get(0).trim()));
        p.set("tags", Ec2Tags.userTags(d.tags()));
        return new LiveResource(id, name(), d.dhcpOptionsId(), p, Map.of("arn", arn(ctx, d.ownerId(), "dhcp-options", d.dhcpOptionsId())));
    }

    private Optional<LiveResource> readOne(TypeContext ctx, String id, String optionsId) {
        return sets.find(id, optionsId).map(d -> translate(ctx, id, d));
    }

    @Override
    public LiveResource create(TypeContext ctx, ResourceSpec spec) {
        String id = spec.id();
        List<NewDhcpConfiguration> config = new ArrayList<>();
        JsonNode p = spec.properties();
        if (spec.text("domainName") != null) config.add(option("domain-name", List.of(spec.text("domainName"))));
        for (String list : List.of("domainNameServers", "ntpServers", "netbiosNameServers")) {
            List<String> values = new ArrayList<>();
            p.path(list).forEach(x -> values.add(x.asText()));
            if (!values.isEmpty()) config.add(option(KEYS.get(list), values));
        }
        if (p.has("netbiosNodeType")) config.add(option("netbios-node-type", List.of(p.get("netbiosNodeType").asText())));
        DhcpOptions d = mutate(ctx, id, "CreateDhcpOptions", () -> ec2().createDhcpOptions(r -> r.dhcpConfigurations(config)
                .tagSpecifications(Ec2Tags.spec(ResourceType.DHCP_OPTIONS, spec.tags()))).dhcpOptions());
        String optionsId = d.dhcpOptionsId();
        Ec2Tags.ensure(ec2(), id, optionsId, d.tags(), spec.tags());
        await(ctx, id, optionsId, VISIBLE, () -> sets.find(id, optionsId), STATE);
        return readBack(ctx, id, optionsId, () -> readOne(ctx, id, optionsId));
    }

    private static NewDhcpConfiguration option(String key, List<String> values) {
        return NewDhcpConfiguration.builder().key(key).values(values).build();
    }

    @Override
    public LiveResource update(TypeContext ctx, LiveResource live, ResourceSpec spec, Set<String> changed) {
        String id = spec.id(), optionsId = live.awsId();
        return updateTags(ctx, live, spec, changed, () -> sets.find(id, optionsId), () -> readOne(ctx, id, optionsId));
    }

    @Override
    public void delete(TypeContext ctx, LiveResource live) {
        String id = live.id(), optionsId = live.awsId();
        // DependencyViolation while a VPC still uses the set: the VPC's own change moves it off first.
        deleteAndWaitGone(ctx, id, optionsId, DELETION, () -> ec2().deleteDhcpOptions(r -> r.dhcpOptionsId(optionsId)), () -> sets.find(id, optionsId), STATE);
    }

    /** IAM actions of the handlers above, for {@code netstack policy} (spi.Permissions). */
    @Override
    public io.netstack.spi.Permissions permissions() {
        return ec2Permissions(DELETION, List.of("CreateDhcpOptions"), List.of(), List.of(), false);
    }
}
