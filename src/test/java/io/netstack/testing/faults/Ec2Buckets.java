package io.netstack.testing.faults;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Which token bucket an EC2 API action draws from, and its size. Defaults are AWS's documented
 * ones (docs/aws-facts.md, "EC2 API throttling", from the EC2 developer guide "Request throttling for
 * the Amazon EC2 API"). Every action has a bucket of its own (AWS: "a token bucket per API action");
 * the category only decides its size:
 * <ul>
 *   <li>non-mutating ({@code Describe*}, {@code Get*}, {@code List*}, {@code Search*}): 100 / 20 per s;</li>
 *   <li>non-mutating sent with no filter and no pagination: 50 / 10 — only if
 *       {@link #unfiltered()} is set (it is by default off: AWS does not publish exactly which calls
 *       count as unfiltered, and id-named reads are not unfiltered);</li>
 *   <li>mutating (everything else): 50 / 5;</li>
 *   <li>own sizes: {@code CreateNatGateway}, {@code DeleteNatGateway} 10 / 1; {@code CreateVpcEndpoint},
 *       {@code ModifyVpcEndpoint}, {@code DeleteVpcEndpoints} 4 / 0.3; {@code CreateTags},
 *       {@code DeleteTags} 100 / 10; the resource-intensive security-group and peering actions 50 / 5.</li>
 * </ul>
 */
public record Ec2Buckets(BucketSpec nonMutating, BucketSpec unfiltered, BucketSpec mutating, Map<String, BucketSpec> own) {
    public static final BucketSpec NON_MUTATING = new BucketSpec(100, 20);
    public static final BucketSpec UNFILTERED_NON_MUTATING = new BucketSpec(50, 10);
    public static final BucketSpec MUTATING = new BucketSpec(50, 5);
    public static final BucketSpec NAT_GATEWAY = new BucketSpec(10, 1);
    public static final BucketSpec VPC_ENDPOINT = new BucketSpec(4, 0.3);
    public static final BucketSpec TAGS = new BucketSpec(100, 10);
    public static final BucketSpec RESOURCE_INTENSIVE = new BucketSpec(50, 5);

    /** Actions AWS calls resource-intensive: each has its own 50 / 5 bucket. */
    public static final Set<String> RESOURCE_INTENSIVE_ACTIONS = Set.of(
            "AuthorizeSecurityGroupIngress", "AuthorizeSecurityGroupEgress",
            "RevokeSecurityGroupIngress", "RevokeSecurityGroupEgress",
            "CreateVpcPeeringConnection", "AcceptVpcPeeringConnection", "DeleteVpcPeeringConnection");

    /** The documented defaults, without the unfiltered-read category. */
    public static Ec2Buckets defaults() {
        Map<String, BucketSpec> own = new LinkedHashMap<>();
        own.put("CreateNatGateway", NAT_GATEWAY);
        own.put("DeleteNatGateway", NAT_GATEWAY);
        own.put("CreateVpcEndpoint", VPC_ENDPOINT);
        own.put("ModifyVpcEndpoint", VPC_ENDPOINT);
        own.put("DeleteVpcEndpoints", VPC_ENDPOINT);
        own.put("CreateTags", TAGS);
        own.put("DeleteTags", TAGS);
        RESOURCE_INTENSIVE_ACTIONS.forEach(a -> own.put(a, RESOURCE_INTENSIVE));
        return new Ec2Buckets(NON_MUTATING, null, MUTATING, Map.copyOf(own));
    }

    /** With the stricter 50 / 10 buckets for reads that send neither a filter nor pagination. */
    public Ec2Buckets withUnfiltered() {
        return new Ec2Buckets(nonMutating, UNFILTERED_NON_MUTATING, mutating, own);
    }

    /** Every bucket's size and rate times {@code factor}: e.g. 0.1 for an account ten times busier. */
    public Ec2Buckets scaled(double factor) {
        Map<String, BucketSpec> o = new LinkedHashMap<>();
        own.forEach((k, v) -> o.put(k, v.scaled(factor)));
        return new Ec2Buckets(nonMutating.scaled(factor), unfiltered == null ? null : unfiltered.scaled(factor), mutating.scaled(factor), Map.copyOf(o));
    }

    /** Overrides (or adds) the bucket of one action. */
    public Ec2Buckets with(String action, BucketSpec spec) {
        Map<String, BucketSpec> o = new LinkedHashMap<>(own);
        o.put(action, spec);
        return new Ec2Buckets(nonMutating, unfiltered, mutating, Map.copyOf(o));
    }

    public static boolean nonMutating(String action) {
        return action.startsWith("Describe") || action.startsWith("Get") || action.startsWith("List") || action.startsWith("Search");
    }

    /**
     * The bucket key and size of one request: the action's name, or {@code Action(unfiltered)} for
     * an unfiltered, unpaginated read when that category is on.
     */
    public Map.Entry<String, BucketSpec> bucketFor(String action, boolean filteredOrPaginated) {
        BucketSpec o = own.get(action);
        if (o != null) return Map.entry(action, o);
        if (nonMutating(action)) {
            if (unfiltered != null && !filteredOrPaginated) return Map.entry(action + "(unfiltered)", unfiltered);
            return Map.entry(action, nonMutating);
        }
        return Map.entry(action, mutating);
    }
}
