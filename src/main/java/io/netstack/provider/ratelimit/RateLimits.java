package io.netstack.provider.ratelimit;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The EC2 token buckets netstack paces itself to: AWS's documented defaults (docs/aws-facts.md, "EC2
 * API throttling", from the EC2 developer guide "Request throttling for the Amazon EC2 API").
 * Buckets are per account, region and API action and shared with every other client of the
 * account, so these are the most netstack may use; {@link RateLimiter} lowers an action's rate
 * further when AWS throttles it anyway (someone else is spending the same bucket).
 *
 * @param enabled     false: no client-side limiting (the SDK's retries alone handle throttling)
 * @param nonMutating {@code Describe*}, {@code Get*}, {@code List*}, {@code Search*}: 100 / 20 per s
 *                    (netstack's reads always filter and paginate, so the stricter 50 / 10 bucket of
 *                    unfiltered reads does not apply)
 * @param mutating    every other action: 50 / 5 per s, one bucket per action
 * @param own         actions with buckets of their own size
 */
public record RateLimits(boolean enabled, Bucket nonMutating, Bucket mutating, Map<String, Bucket> own) {
    /** A bucket: {@code burst} tokens when full, refilled at {@code perSecond}. */
    public record Bucket(double burst, double perSecond) {
        public Bucket {
            if (burst < 1 || perSecond <= 0) throw new IllegalArgumentException("a bucket needs burst >= 1 and a positive rate");
        }

        Bucket scaled(double f) {
            return new Bucket(Math.max(1, burst * f), perSecond * f);
        }
    }

    public static final Bucket NON_MUTATING = new Bucket(100, 20);
    public static final Bucket MUTATING = new Bucket(50, 5);
    public static final Bucket NAT_GATEWAY = new Bucket(10, 1);
    public static final Bucket VPC_ENDPOINT = new Bucket(4, 0.3);
    public static final Bucket TAGS = new Bucket(100, 10);

    /** AWS's default buckets. */
    public static RateLimits awsDefaults() {
        Map<String, Bucket> own = new LinkedHashMap<>();
        for (String a : Set.of("CreateNatGateway", "DeleteNatGateway")) own.put(a, NAT_GATEWAY);
        for (String a : Set.of("CreateVpcEndpoint", "ModifyVpcEndpoint", "DeleteVpcEndpoints")) own.put(a, VPC_ENDPOINT);
        for (String a : Set.of("CreateTags", "DeleteTags")) own.put(a, TAGS);
        return new RateLimits(true, NON_MUTATING, MUTATING, Map.copyOf(own));
    }

    public static final RateLimits OFF = new RateLimits(false, NON_MUTATING, MUTATING, Map.of());

    /**
     * Every bucket times {@code share} (0 < share ≤ 1): for an account where other automation
     * spends part of the same buckets, e.g. 0.5 to leave half to it.
     */
    public RateLimits share(double share) {
        if (!(share > 0 && share <= 1)) throw new IllegalArgumentException("a share of the buckets is more than 0 and at most 1, not " + share);
        Map<String, Bucket> o = new LinkedHashMap<>();
        own.forEach((k, v) -> o.put(k, v.scaled(share)));
        return new RateLimits(enabled, nonMutating.scaled(share), mutating.scaled(share), Map.copyOf(o));
    }

    /** The bucket an action draws from. */
    public Bucket bucketFor(String action) {
        Bucket b = own.get(action);
        if (b != null) return b;
        return nonMutating(action) ? nonMutating : mutating;
    }

    public static boolean nonMutating(String action) {
        return action.startsWith("Describe") || action.startsWith("Get") || action.startsWith("List") || action.startsWith("Search");
    }

    /**
     * Parses the CLI's {@code --rate-limit}: {@code aws} (AWS's default buckets), {@code off}, or a
     * share of them such as {@code 0.5} or {@code 50%}.
     */
    public static RateLimits parse(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        if (t.equals("aws") || t.equals("on") || t.equals("default")) return awsDefaults();
        if (t.equals("off") || t.equals("none")) return OFF;
        try {
            double share = t.endsWith("%") ? Double.parseDouble(t.substring(0, t.length() - 1)) / 100 : Double.parseDouble(t);
            return awsDefaults().share(share);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected aws, off, or a share of AWS's buckets such as 0.5 or 50%, not '" + text + "'");
        }
    }
}
