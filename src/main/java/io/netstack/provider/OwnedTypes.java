package io.netstack.provider;

import io.netstack.spi.AwsFailure;
import io.netstack.spi.Ownership;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.ec2.model.DescribeTagsResponse;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.TagDescription;
import software.amazon.awssdk.services.resourcegroupstaggingapi.ResourceGroupsTaggingApiClient;
import software.amazon.awssdk.services.resourcegroupstaggingapi.model.GetResourcesResponse;
import software.amazon.awssdk.services.resourcegroupstaggingapi.model.ResourceTagMapping;
import software.amazon.awssdk.services.resourcegroupstaggingapi.model.TagFilter;

/**
 * Which resource types hold objects a stack owns, so that a plan reads only those (plus the types
 * its file declares, which are always read in full).
 *
 * <ul>
 *   <li><b>EC2</b>: one paginated {@code DescribeTags} with the filters {@code key=netstack:stack}
 *       and {@code value=<stack>}: one row per owned object, whose {@code ResourceType} names its
 *       kind. (Not {@code tag:netstack:stack}: some backends ignore that filter on DescribeTags;
 *       key+value match the same row on AWS.) A ResourceType netstack does not know — AWS adds
 *       new ones, and backends spell some differently — falls back to the id's prefix.</li>
 *   <li><b>Global types</b> (CloudFront distributions, Direct Connect gateways and virtual
 *       interfaces; RAM resource shares, regional but without EC2 tags), which have no tag-filtered list: the Resource Groups Tagging API's
 *       {@code GetResources} filtered by the ownership tag. It is eventually consistent, so it is
 *       only a hint used for types the file no longer declares: a miss delays the delete of such an
 *       object to a later plan, and can never cause a duplicate (a declared type is always read in
 *       full). When it fails (the role lacks {@code tag:GetResources}, an endpoint lacks the API) the
 *       plan goes on without the hint and says so in a warning. A plan asks it only for the
 *       global types the stack's <b>marker</b> names ({@link GlobalMarkers}: a key pair whose
 *       {@code netstack:global:<type>} tags come back in the same DescribeTags) and the file does
 *       not declare, so a stack that never had a global object asks nothing.</li>
 * </ul>
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeTags.html,
 * https://docs.aws.amazon.com/resourcegroupstagging/latest/APIReference/API_GetResources.html
 */
public final class OwnedTypes {
    /** DescribeTags returns at most 1,000 rows a page (API reference). */
    static final int DESCRIBE_TAGS_PAGE = 1000;
    /** GetResources returns at most 100 resources a page (API reference, ResourcesPerPage). */
    static final int GET_RESOURCES_PAGE = 100;

    /**
     * An EC2 kind of object: its {@code ResourceType} in DescribeTags, the prefix of its ids (for a
     * ResourceType netstack does not know), and the netstack types whose objects those are.
     */
    record Ec2Kind(String resourceType, String idPrefix, List<String> types) {}

    static final List<Ec2Kind> EC2_KINDS = List.of(
            new Ec2Kind("vpc", "vpc-", List.of("vpc")),
            new Ec2Kind("subnet", "subnet-", List.of("subnet")),
            new Ec2Kind("security-group", "sg-", List.of("security-group")),
            new Ec2Kind("internet-gateway", "igw-", List.of("internet-gateway")),
            new Ec2Kind("egress-only-internet-gateway", "eigw-", List.of("egress-only-internet-gateway")),
            new Ec2Kind("elastic-ip", "eipalloc-", List.of("elastic-ip")),
            new Ec2Kind("natgateway", "nat-", List.of("nat-gateway")),
            new Ec2Kind("route-table", "rtb-", List.of("route-table")),
            new Ec2Kind("network-acl", "acl-", List.of("network-acl")),
            new Ec2Kind("transit-gateway", "tgw-", List.of("transit-gateway")),
            // VPC and peering attachments, and the hub's view of a spoke's attachment it accepted, are all transit-gateway-attachment (tgw-attach-…)
            new Ec2Kind("transit-gateway-attachment", "tgw-attach-", List.of("transit-gateway-attachment", "transit-gateway-peering", "transit-gateway-attachment-acceptance")),
            new Ec2Kind("transit-gateway-route-table", "tgw-rtb-", List.of("transit-gateway-route-table")),
            // a requested peering and the accepter side's view of one (vpc-peering-acceptance) are both pcx-
            new Ec2Kind("vpc-peering-connection", "pcx-", List.of("vpc-peering", "vpc-peering-acceptance")),
            new Ec2Kind("vpc-endpoint", "vpce-", List.of("vpc-endpoint")),
            new Ec2Kind("vpc-endpoint-service", "vpce-svc-", List.of("endpoint-service")),
            new Ec2Kind("vpc-flow-log", "fl-", List.of("flow-log")),
            new Ec2Kind("customer-gateway", "cgw-", List.of("customer-gateway")),
            new Ec2Kind("vpn-gateway", "vgw-", List.of("vpn-gateway")),
            new Ec2Kind("vpn-connection", "vpn-", List.of("vpn-connection")),
            new Ec2Kind("client-vpn-endpoint", "cvpn-endpoint-", List.of("client-vpn-endpoint")),
            new Ec2Kind("dhcp-options", "dopt-", List.of("dhcp-options")));

    /** EC2 {@code ResourceType} of DescribeTags → the netstack types whose objects those are. */
    static final Map<String, List<String>> EC2_RESOURCE_TYPES = EC2_KINDS.stream()
            .collect(java.util.stream.Collectors.toUnmodifiableMap(Ec2Kind::resourceType, Ec2Kind::types));

    /** The kinds by id prefix, longest prefixes first (tgw-attach- before tgw-, vpce-svc- before vpce-). */
    static final List<Ec2Kind> EC2_ID_PREFIXES = EC2_KINDS.stream()
            .sorted(java.util.Comparator.comparingInt((Ec2Kind k) -> k.idPrefix().length()).reversed()).toList();

    /** The global types: found through the tagging API, a hint. */
    public static final Set<String> GLOBAL_TYPES = Set.of("cloudfront-distribution", "dx-gateway", "dx-gateway-association", "dx-virtual-interface",
            // RAM shares are regional but have no EC2 tags: found the same way, in the stack's region
            "ram-resource-share");

    /** The types of {@link #GLOBAL_TYPES} that are regional: a cross-stack reference reads them in full when the hint misses. */
    public static final Set<String> REGIONAL_HINTED_TYPES = Set.of("ram-resource-share");

    /** IAM actions of the look-ups. */
    public static final List<String> LOOKUP_ACTIONS = List.of("ec2:DescribeTags", "tag:GetResources");

    /** Where AWS's tagging API reports global resources (CloudFront, and global DX objects). */
    static final String GLOBAL_REGION = "us-east-1";
    static final String REGION_TAG = "netstack:region";

    private OwnedTypes() {}

    /** Type → the other types one DescribeTags resource type stands for (read along with it). */
    public static Map<String, Set<String>> companions() {
        Map<String, Set<String>> out = new java.util.TreeMap<>();
        for (List<String> types : EC2_RESOURCE_TYPES.values()) {
            if (types.size() < 2) continue;
            for (String t : types) {
                Set<String> others = new TreeSet<>(types);
                others.remove(t);
                out.computeIfAbsent(t, k -> new TreeSet<>()).addAll(others);
            }
        }
        return out;
    }

    /**
     * What the look-up found: the EC2 types holding objects of the stack, the global types its
     * marker names ({@link GlobalMarkers}) and the marker's id (null: no marker).
     */
    public record Owned(Set<String> ec2, Set<String> marked, String markerId) {
        public Owned {
            ec2 = Set.copyOf(ec2);
            marked = Set.copyOf(marked);
        }
    }

    /**
     * The EC2 types that hold objects tagged {@code netstack:stack=<stack>}, and, in the same call,
     * the global types the stack's marker names: the {@code key} filter takes several keys
     * (netstack:stack and one {@code netstack:global:<type>} per global type), so the marker's tags
     * come back as extra rows of the one DescribeTags.
     */
    public static Owned ec2(AwsSession aws, String stack) {
        List<String> keys = new java.util.ArrayList<>();
        keys.add(Ownership.STACK_TAG);
        for (String t : new TreeSet<>(GLOBAL_TYPES)) keys.add(GlobalMarkers.tagKey(t));
        List<Filter> filters = List.of(Ec2Tags.filter("key", keys), Ec2Tags.filter("value", stack));
        List<TagDescription> rows = new java.util.ArrayList<>();
        String token = null;
        do {
            String t = token;
            DescribeTagsResponse page = AwsCalls.call(null, "DescribeTags", () -> aws.ec2().describeTags(r -> r
                    .filters(filters).maxResults(DESCRIBE_TAGS_PAGE).nextToken(t)));
            rows.addAll(page.tags());
            token = page.nextToken() == null || page.nextToken().isBlank() ? null : page.nextToken();
        } while (token != null);
        return owned(stack, rows);
    }

    /**
     * The look-up's rows → what they say. Each row is re-checked (some backends ignore the filters):
     * its value must be the stack; a {@code netstack:global:<type>} row counts only on a key pair
     * (the marker) and for a known global type; key-pair rows name no netstack type (the marker and
     * the stack lock are key pairs).
     */
    static Owned owned(String stack, List<TagDescription> rows) {
        Set<String> ec2 = new TreeSet<>(), marked = new TreeSet<>();
        String marker = null;
        for (TagDescription d : rows) {
            if (!stack.equals(d.value()) || d.key() == null) continue;
            if (Ownership.STACK_TAG.equals(d.key())) {
                ec2.addAll(ec2Types(d.resourceTypeAsString(), d.resourceId()));
                continue;
            }
            String type = GlobalMarkers.typeOfTag(d.key());
            if (type == null || !GLOBAL_TYPES.contains(type) || !isKeyPair(d)) continue;
            marked.add(type);
            marker = d.resourceId();
        }
        return new Owned(ec2, marked, marker);
    }

    private static boolean isKeyPair(TagDescription d) {
        return "key-pair".equals(d.resourceTypeAsString()) || d.resourceId() != null && d.resourceId().startsWith("key-");
    }

    static List<String> ec2Types(String resourceType, String resourceId) {
        List<String> byType = resourceType == null ? null : EC2_RESOURCE_TYPES.get(resourceType);
        if (byType != null) return byType;
        if (resourceId == null || resourceId.startsWith("key-")) return List.of(); // the stack lock and the marker are key pairs
        for (Ec2Kind k : EC2_ID_PREFIXES) if (resourceId.startsWith(k.idPrefix())) return k.types();
        return List.of();
    }

    /**
     * The global types with objects that the tagging API says the stack owns, asking only the
     * calls and filters that {@code types} need ({@link #hintCalls(String, Set)}); empty, with a
     * warning, when the look-up fails (see the class comment: a hint only).
     */
    public static Set<String> global(AwsSession aws, String stack, String region, Set<String> types) {
        Set<String> out = new TreeSet<>();
        try {
            for (Map.Entry<String, List<String>> ask : hintCalls(region, types).entrySet()) {
                out.addAll(global(aws.tagging(ask.getKey()), stack, region, ask.getValue()));
            }
        } catch (AwsFailure f) {
            LoggerFactory.getLogger(OwnedTypes.class).warn("{}; CloudFront, Direct Connect and RAM objects of types this file no longer declares "
                    + "are not looked for in this run", f.describe());
        }
        return out;
    }

    /** What a run reads of the global types: in full (as declared types are), and through the hint. */
    public record GlobalScope(Set<String> inFull, Set<String> hinted) {}

    /**
     * Which global types a run reads, and how ({@link GlobalMarkers}). A plan asks the hint only
     * for the types the marker names and the file does not declare (declared types are read in
     * full anyway): no marked, undeclared type, no GetResources. A destroy reads every marked type
     * in full (their list calls are needed to delete them anyway) and still asks the hint for the
     * unmarked, undeclared ones: a stack applied before markers existed finds its global objects
     * there (and a miss only delays a delete).
     *
     * @param global the registered global types
     */
    public static GlobalScope globalScope(Set<String> declared, Set<String> marked, Set<String> global, boolean destroy) {
        Set<String> markedHere = new TreeSet<>(marked);
        markedHere.retainAll(global);
        Set<String> hinted = new TreeSet<>(global);
        if (destroy) hinted.removeAll(markedHere);
        else hinted.retainAll(markedHere);
        hinted.removeAll(declared);
        return new GlobalScope(destroy ? markedHere : Set.of(), hinted);
    }

    /**
     * Resource type filters asked in the stack's own region: DX virtual interfaces and RAM shares
     * (their ARNs name the region), and DX gateways, which are global but which no AWS page places
     * in us-east-1: asking here too costs no call and keeps a gateway from being missed for good.
     */
    static final List<String> REGIONAL_FILTERS = List.of("directconnect:dxvif", "ram:resource-share", "directconnect:dx-gateway");
    /** Resource type filters asked in us-east-1, where the API reports global objects (ARNs without a region). */
    static final List<String> GLOBAL_FILTERS = List.of("cloudfront:distribution", "directconnect:dx-gateway");

    /**
     * Region → the resource type filters the hint asks there. {@code GetResources} "returns all the
     * tagged or previously tagged resources that are located in the specified AWS Region" (API
     * reference, https://docs.aws.amazon.com/resourcegroupstagging/latest/APIReference/API_GetResources.html),
     * one region a call: DX virtual interfaces and RAM shares are in the stack's region; CloudFront
     * distributions are global and reported in us-east-1 only (docs/aws-facts.md, "Resource Groups
     * Tagging API"). So a stack in us-east-1 asks once, with every filter; any other stack twice.
     */
    static Map<String, List<String>> hintCalls(String region) {
        return hintCalls(region, GLOBAL_TYPES);
    }

    /** Resource type filter → the global types whose objects it reports. */
    static final Map<String, Set<String>> FILTER_TYPES = Map.of(
            "directconnect:dxvif", Set.of("dx-virtual-interface"),
            "ram:resource-share", Set.of("ram-resource-share"),
            "directconnect:dx-gateway", Set.of("dx-gateway", "dx-gateway-association"),
            "cloudfront:distribution", Set.of("cloudfront-distribution"));

    /**
     * {@link #hintCalls(String)} for {@code types} only: the regions and filters that find their
     * objects (CloudFront: us-east-1; DX virtual interfaces, RAM shares: the stack's region; DX
     * gateways and associations: both). No type, no call.
     */
    static Map<String, List<String>> hintCalls(String region, Set<String> types) {
        String home = region == null ? GLOBAL_REGION : region;
        List<String> here = needed(REGIONAL_FILTERS, types), there = needed(GLOBAL_FILTERS, types);
        Map<String, List<String>> out = new java.util.LinkedHashMap<>();
        if (home.equals(GLOBAL_REGION)) {
            java.util.Set<String> all = new java.util.LinkedHashSet<>(here);
            all.addAll(there);
            if (!all.isEmpty()) out.put(GLOBAL_REGION, List.copyOf(all));
            return out;
        }
        if (!here.isEmpty()) out.put(home, here);
        if (!there.isEmpty()) out.put(GLOBAL_REGION, there);
        return out;
    }

    private static List<String> needed(List<String> filters, Set<String> types) {
        return filters.stream().filter(f -> FILTER_TYPES.get(f).stream().anyMatch(types::contains)).toList();
    }

    private static Set<String> global(ResourceGroupsTaggingApiClient tagging, String stack, String region, List<String> resourceTypes) {
        Set<String> out = new TreeSet<>();
        TagFilter owned = TagFilter.builder().key(Ownership.STACK_TAG).values(stack).build();
        String token = null;
        do {
            String t = token;
            GetResourcesResponse page = AwsCalls.call(null, "GetResources", () -> tagging.getResources(r -> r
                    .tagFilters(owned).resourceTypeFilters(resourceTypes).resourcesPerPage(GET_RESOURCES_PAGE).paginationToken(t)));
            for (ResourceTagMapping m : page.resourceTagMappingList()) {
                Map<String, String> tags = new java.util.HashMap<>();
                m.tags().forEach(x -> tags.put(x.key(), x.value()));
                if (!stack.equals(tags.get(Ownership.STACK_TAG))) continue;
                String r = tags.get(REGION_TAG);
                if (r != null && !r.equals(region)) continue; // a same-named stack of another region
                out.addAll(globalTypes(m.resourceARN()));
            }
            token = page.paginationToken() == null || page.paginationToken().isBlank() ? null : page.paginationToken();
        } while (token != null);
        return out;
    }

    /** arn:aws:cloudfront::123:distribution/E…, arn:aws:directconnect::123:dx-gateway/…, arn:…:dxvif/dxvif-… */
    static List<String> globalTypes(String arn) {
        String[] p = arn == null ? new String[0] : arn.split(":", 6);
        if (p.length < 6) return List.of();
        String service = p[2], resource = p[5];
        if (service.equals("cloudfront") && resource.startsWith("distribution/")) return List.of("cloudfront-distribution");
        // a gateway association is recorded on its gateway (it cannot be tagged)
        if (service.equals("directconnect") && resource.startsWith("dx-gateway/")) return List.of("dx-gateway", "dx-gateway-association");
        if (service.equals("directconnect") && resource.startsWith("dxvif/")) return List.of("dx-virtual-interface");
        if (service.equals("ram") && resource.startsWith("resource-share/")) return List.of("ram-resource-share");
        return List.of();
    }

}
