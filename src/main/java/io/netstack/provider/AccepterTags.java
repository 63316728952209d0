package io.netstack.provider;

import io.netstack.spi.LiveResource;
import io.netstack.spi.Ownership;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeTagsResponse;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagDescription;

/**
 * Ownership of an <em>acceptance</em>: the accepter side of an object another account created (a
 * VPC peering requested by another account, a transit gateway attachment a spoke account made to
 * this account's gateway). netstack did not create the object, so it owns only its own account's
 * view of it: the accepting stack tags the object with the usual ownership tags plus
 * {@value #ROLE_TAG}={@value #ACCEPTER}, in its own account.
 *
 * <p>Why the tags are read with DescribeTags and not from the object's Describe: tags belong to the
 * account that writes them — each side's DescribeTags shows its own account's tags on the shared
 * object (so moto 5.2.1 behaves; on AWS the console and Terraform's accepter resources treat the
 * accepter's tags as its own, but no AWS page states the per-account rule outright, hence the
 * conservative read). moto's DescribeVpcPeeringConnections shows the <em>requester's</em> tags to
 * both accounts (docs/moto-notes.md), so the Describe's tags cannot tell the accepter's ownership.
 * DescribeTags is batched (key + value filters; then one call for the tag sets of the ids found).
 *
 * <p>The requester-side types ({@code vpc-peering}, {@code transit-gateway-attachment}) skip objects
 * carrying the accepter role: in one account the accepter's view of an object would otherwise read
 * as a second, foreign requester-side resource of the stack.
 */
public final class AccepterTags {
    /** Marks a tag set as an acceptance's, not a creation's. */
    public static final String ROLE_TAG = "netstack:role";
    public static final String ACCEPTER = "accepter";
    /** DescribeTags returns at most 1,000 rows a page (API reference). */
    static final int PAGE = 1000;
    /** DescribeTags takes at most 200 values in one filter (EC2 filter limit). */
    static final int IDS_PER_CALL = 200;

    private AccepterTags() {}

    /** The tags an acceptance writes: ownership, Name, user tags, and the accepter role. */
    public static Map<String, String> of(Map<String, String> specTags) {
        Map<String, String> t = new TreeMap<>(specTags);
        t.put(ROLE_TAG, ACCEPTER);
        return t;
    }

    public static boolean isAccepter(List<Tag> tags) {
        if (tags != null) for (Tag t : tags) if (ROLE_TAG.equals(t.key()) && ACCEPTER.equals(t.value())) return true;
        return false;
    }

    /** An object of this account's stack, seen through this account's tags. */
    public record Owned(String awsId, String logicalId, List<Tag> tags) {}

    /**
     * The objects of EC2 resource type {@code resourceType} that {@code stack} owns as accepter in
     * this account: one DescribeTags for the ids, one per 200 ids for their tag sets.
     */
    public static Map<String, Owned> owned(Ec2Client ec2, String stack, String resourceType) {
        List<String> ids = new ArrayList<>();
        for (TagDescription d : describe(ec2, null, List.of(Ec2Tags.filter("resource-type", resourceType),
                Ec2Tags.filter("key", Ownership.STACK_TAG), Ec2Tags.filter("value", stack)))) {
            // some backends ignore DescribeTags filters: check the row
            if (Ownership.STACK_TAG.equals(d.key()) && stack.equals(d.value()) && resourceType.equals(d.resourceTypeAsString())
                    && !ids.contains(d.resourceId())) ids.add(d.resourceId());
        }
        Map<String, Owned> out = new LinkedHashMap<>();
        for (int i = 0; i < ids.size(); i += IDS_PER_CALL) {
            List<String> chunk = ids.subList(i, Math.min(ids.size(), i + IDS_PER_CALL));
            Map<String, List<Tag>> tags = new LinkedHashMap<>();
            for (TagDescription d : describe(ec2, null, List.of(Ec2Tags.filter("resource-id", chunk)))) {
                if (chunk.contains(d.resourceId())) tags.computeIfAbsent(d.resourceId(), k -> new ArrayList<>()).add(Tag.builder().key(d.key()).value(d.value()).build());
            }
            tags.forEach((awsId, t) -> {
                Optional<String> id = Ec2Tags.ownedId(t, stack);
                if (id.isPresent() && isAccepter(t)) out.put(awsId, new Owned(awsId, id.get(), t));
            });
        }
        return out;
    }

    /** This account's tags of one object. */
    /** How an accepter type translates one of its objects: the logical id and the accepter tags are netstack's. */
    @FunctionalInterface
    public interface Translate<T> {
        LiveResource of(String id, T object, List<Tag> tags);
    }

    /**
     * The body of an accepter type's {@code list}: the objects of {@code resourceType} that this
     * stack accepted ({@link #owned}), read with one Describe filtered by their ids
     * ({@code idFilter}), without those in a gone state or that a backend returned though the
     * filter left them out (moto ignores it).
     */
    public static <T> List<LiveResource> listAccepted(Ec2Client ec2, String stack, String resourceType, String action, String idFilter,
                                                      Function<Filter, ? extends Iterable<T>> describe, Function<T, String> idOf,
                                                      Predicate<T> gone, Translate<T> translate) {
        Map<String, Owned> owned = owned(ec2, stack, resourceType);
        if (owned.isEmpty()) return List.of();
        List<LiveResource> out = new ArrayList<>();
        AwsCalls.run(null, action, () -> describe.apply(Ec2Tags.filter(idFilter, owned.keySet())).forEach(o -> {
            Owned mine = owned.get(idOf.apply(o));
            if (mine != null && !gone.test(o)) out.add(translate.of(mine.logicalId(), o, mine.tags()));
        }));
        return out;
    }

    public static List<Tag> tagsOf(Ec2Client ec2, String resource, String awsId) {
        List<Tag> out = new ArrayList<>();
        for (TagDescription d : describe(ec2, resource, List.of(Ec2Tags.filter("resource-id", awsId)))) {
            if (awsId.equals(d.resourceId())) out.add(Tag.builder().key(d.key()).value(d.value()).build());
        }
        return out;
    }

    /** Removes every tag this acceptance wrote (ownership, role, user tags): the object is the requester's again. */
    public static void release(Ec2Client ec2, String resource, String awsId, Collection<Tag> tags) {
        if (tags.isEmpty()) return;
        List<Tag> keys = tags.stream().map(t -> Tag.builder().key(t.key()).build()).toList();
        AwsCalls.run(resource, "DeleteTags", () -> ec2.deleteTags(r -> r.resources(awsId).tags(keys)));
    }

    private static List<TagDescription> describe(Ec2Client ec2, String resource, List<Filter> filters) {
        List<TagDescription> out = new ArrayList<>();
        String token = null;
        do {
            String t = token;
            DescribeTagsResponse page = AwsCalls.call(resource, "DescribeTags", () -> ec2.describeTags(r -> r.filters(filters).maxResults(PAGE).nextToken(t)));
            out.addAll(page.tags());
            token = page.nextToken() == null || page.nextToken().isBlank() ? null : page.nextToken();
        } while (token != null);
        return out;
    }
}
