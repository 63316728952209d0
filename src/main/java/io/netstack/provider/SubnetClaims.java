package io.netstack.provider;

import com.fasterxml.jackson.databind.JsonNode;
import io.netstack.spi.Ownership;
import io.netstack.spi.ResourceView;
import io.netstack.spi.TypeContext;
import io.netstack.spi.Validation;
import io.netstack.stack.Reference;
import io.netstack.stack.ResourceBlock;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * What the two types with an exclusive {@code subnets} list share (route-table, network-acl): a
 * subnet has exactly one route table and exactly one network ACL, so the same checks and the same
 * words apply to both.
 */
public final class SubnetClaims {
    private SubnetClaims() {}

    /**
     * Checks a block's {@code subnets}: no subnet twice, each in the block's VPC, none claimed by an
     * earlier block of the same type (reported once, on the later block).
     *
     * @param noun  the type in messages ("route table")
     * @param whose the block in messages ("this table's")
     */
    public static void validate(ResourceBlock b, Validation v, String noun, String whose) {
        JsonNode subnets = b.properties().get("subnets"), vpc = b.properties().get("vpc");
        if (subnets == null || !subnets.isArray()) return;
        Map<String, Integer> mine = new HashMap<>();
        for (int i = 0; i < subnets.size(); i++) {
            JsonNode s = subnets.get(i);
            String at = "/subnets/" + i;
            String text = s.asText();
            Integer prev = mine.putIfAbsent(text, i);
            if (prev != null) {
                v.error(b, at, text + " is listed twice (subnets[" + prev + "])");
                continue;
            }
            Optional<ResourceBlock> sb = v.target(s);
            if (sb.isPresent()) {
                JsonNode subnetVpc = sb.get().properties().get("vpc");
                if (comparable(subnetVpc, vpc) && !subnetVpc.asText().equals(vpc.asText())) {
                    v.error(b, at, "subnet " + sb.get().id() + " is in " + subnetVpc.asText() + ", not in " + whose + " VPC " + vpc.asText());
                }
            }
            for (ResourceBlock other : v.blocksOfType(b.type())) {
                if (other.id().equals(b.id())) break;
                if (!other.type().equals(b.type())) continue;
                for (JsonNode os : other.properties().path("subnets")) {
                    if (os.asText().equals(text)) {
                        v.error(b, at, text + " is already associated with " + noun + " " + other.id() + " (a subnet has exactly one " + noun + ")");
                    }
                }
            }
        }
    }

    /** Two VPC values name the same thing comparably: both {@code ${id}} references, or both literal ids. */
    public static boolean comparable(JsonNode a, JsonNode b) {
        if (a == null || b == null || !a.isTextual() || !b.isTextual()) return false;
        boolean ra = ResourceView.refOf(a).isPresent(), rb = ResourceView.refOf(b).isPresent();
        boolean la = !Reference.containsReference(a.asText()), lb = !Reference.containsReference(b.asText());
        return ra && rb || la && lb;
    }

    /** Who holds an object a subnet is taken from, for the refusal's message. */
    public static String owner(List<Tag> tags) {
        for (Tag t : tags) if (Ownership.STACK_TAG.equals(t.key())) return "belongs to netstack stack " + t.value();
        return "netstack does not manage";
    }

    /**
     * An update's {@code subnets}: what the file wants, what AWS has (minus {@code handedOver}, the
     * subnets another resource of this apply takes over with one Replace…Association: this one
     * neither releases them, which would put them on AWS's default holder, nor waits for them).
     */
    public record Claim(Set<String> want, Set<String> have, Set<String> handedOver) {
        /** The claim of resource {@code id} from the {@code subnets} of its spec and of its live object. */
        public static Claim of(TypeContext ctx, String id, JsonNode want, JsonNode have) {
            Set<String> handedOver = ctx.handedOver(id), held = texts(have);
            held.removeAll(handedOver);
            return new Claim(texts(want), held, handedOver);
        }

        /**
         * Some wanted subnet that may carry traffic is not held yet: it joins only once the
         * resource's own children are in place. Subnets {@code fresh} says this session created
         * moments ago carry no traffic yet, so nothing waits for them (issue 12).
         */
        public boolean joining(java.util.function.Predicate<String> fresh) {
            return want.stream().anyMatch(s -> !have.contains(s) && !fresh.test(s));
        }
    }

    /**
     * Whether the {@code subnets} read back are {@code want} (null: any), the subnets another
     * resource of this apply takes over ({@code handedOver}) aside.
     */
    public static boolean readAsWanted(JsonNode subnets, Set<String> want, Set<String> handedOver) {
        if (want == null) return true;
        Set<String> seen = texts(subnets);
        seen.removeAll(handedOver);
        return seen.equals(want);
    }

    /** The texts of a JSON list, in order, without repeats ({@code null} or not a list: none). */
    public static Set<String> texts(JsonNode list) {
        Set<String> out = new LinkedHashSet<>();
        if (list != null && list.isArray()) for (JsonNode n : list) out.add(n.asText());
        return out;
    }
}
