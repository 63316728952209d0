package io.netstack.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.netstack.spi.LiveResource;
import io.netstack.spi.Ownership;
import io.netstack.spi.ResourceType;
import io.netstack.spi.TypeContext;
import io.netstack.spi.TypeRegistry;
import io.netstack.stack.StackFile;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * {@code netstack adopt}: puts the ownership tags on objects that exist, so that from then on the
 * stack manages them. It plans the file against the objects named by the {@link AdoptFile} as if
 * they were owned already (the very planner {@code plan} uses), and goes on only if that plan
 * changes nothing but tags: no create, no replacement, no delete, no other property. The tags it
 * sets are those a create sets ({@link Ownership#tags}: {@code netstack:stack}, {@code netstack:id},
 * and {@code Name} where the object has none) plus any tag the file adds or changes; a tag the file
 * drops is left for the next {@code apply}.
 */
public final class Adopter {
    private Adopter() {}

    /** One object to tag ({@code tags} empty: it carries this stack's tags already, an earlier adopt did it). */
    public record Item(String id, String type, String awsId, LiveResource live, Map<String, String> tags) {}

    /** What adopt would do, or why it will not ({@code refusals} not empty: nothing may be changed). */
    public record Adoption(String stack, List<Item> items, List<String> refusals, List<String> notes) {
        public boolean refused() {
            return !refusals.isEmpty();
        }

        public int toTag() {
            return (int) items.stream().filter(i -> !i.tags().isEmpty()).count();
        }
    }

    /**
     * @param found the objects import reads for the adopt file's VPCs ({@link Importer#read}), with AWS ids as ids
     */
    public static Adoption plan(StackFile stack, AdoptFile sidecar, List<LiveResource> found, TypeRegistry types) {
        List<String> refusals = new ArrayList<>(), notes = new ArrayList<>();
        if (!sidecar.stack().equals(stack.name()) || !sidecar.region().equals(stack.region())) {
            refusals.add("the adopt file is for stack " + sidecar.stack() + " in " + sidecar.region() + ", the stack file is " + stack.name() + " in " + stack.region());
            return new Adoption(stack.name(), List.of(), refusals, notes);
        }
        Map<String, LiveResource> byAwsId = new HashMap<>();
        for (LiveResource r : found) byAwsId.put(r.awsId(), r);
        List<LiveResource> live = new ArrayList<>();
        Map<String, Boolean> done = new HashMap<>();
        for (Map.Entry<String, AdoptFile.Entry> e : sidecar.resources().entrySet()) {
            String id = e.getKey();
            AdoptFile.Entry en = e.getValue();
            var block = stack.resources().get(id);
            if (block == null) {
                notes.add(id + " (" + en.type() + " " + en.awsId() + ") is no longer in the stack file: left alone, not adopted");
                continue;
            }
            if (!block.type().equals(en.type())) {
                refusals.add(id + ": the stack file says " + block.type() + ", but " + en.awsId() + " is a " + en.type());
                continue;
            }
            LiveResource r = byAwsId.get(en.awsId());
            if (r == null || !r.type().equals(en.type())) {
                refusals.add(id + ": " + en.type() + " " + en.awsId() + " is not in AWS any more (or no longer in VPCs " + String.join(", ", sidecar.vpcs()) + ")");
                continue;
            }
            String owner = r.attributes().get(Ownership.STACK_TAG);
            if (owner != null && !owner.equals(stack.name())) {
                refusals.add(id + ": " + en.type() + " " + en.awsId() + " belongs to netstack stack \"" + owner + "\"");
                continue;
            }
            done.put(id, owner != null);
            live.add(new LiveResource(id, r.type(), r.awsId(), r.properties(), r.attributes()));
        }
        for (String id : stack.resources().keySet()) {
            if (!sidecar.resources().containsKey(id)) {
                refusals.add(id + " would be created: adopt only tags objects that exist (remove it, adopt, then add it back and apply)");
            }
        }
        if (!refusals.isEmpty()) return new Adoption(stack.name(), List.of(), refusals, notes);

        Plan plan = new Planner(types).plan(stack, new LiveState(live), false);
        List<Item> items = new ArrayList<>();
        for (Change c : plan.changes()) {
            switch (c.action()) {
                case NOOP, UPDATE -> {
                    List<PropertyDiff> other = c.diffs().stream().filter(d -> !d.topLevel().equals("tags")).toList();
                    if (!other.isEmpty()) {
                        for (PropertyDiff d : other) {
                            refusals.add(c.id() + "." + d.path() + " would change: AWS has " + shown(d, d.before()) + ", the file says " + shown(d, d.after())
                                    + " (edit the file to match AWS; change it with apply once adopted)");
                        }
                        continue;
                    }
                    items.add(new Item(c.id(), c.type(), c.awsId(), c.live(), tagsToSet(stack, c, done.getOrDefault(c.id(), false))));
                }
                default -> refusals.add(c.id() + " would be " + c.action().name().toLowerCase() + "d" + (c.reasons().isEmpty() ? "" : " (" + String.join("; ", c.reasons()) + ")")
                        + ": adopt changes only tags");
            }
        }
        return new Adoption(stack.name(), refusals.isEmpty() ? items : List.of(), refusals, notes);
    }

    private static String shown(PropertyDiff d, JsonNode v) {
        if (d.sensitive()) return PlanJson.SENSITIVE;
        return v == null ? "nothing" : Json.display(v);
    }

    /** Ownership tags, plus the tags the file sets that the object lacks or has with another value. */
    private static Map<String, String> tagsToSet(StackFile stack, Change c, boolean adopted) {
        Map<String, String> out = new TreeMap<>();
        JsonNode want = c.desired() == null ? null : c.desired().get("tags");
        JsonNode have = c.live().properties().path("tags");
        if (want != null) want.fields().forEachRemaining(e -> {
            if (!e.getValue().asText().equals(have.path(e.getKey()).asText(null))) out.put(e.getKey(), e.getValue().asText());
        });
        if (adopted && out.isEmpty()) return Map.of();
        Map<String, String> own = new LinkedHashMap<>(Ownership.tags(stack.name(), c.id()));
        own.remove(Ownership.NAME_TAG); // Name: the file's (above), which is <stack>/<id> only when the object had none
        out.putAll(own);
        return out;
    }

    /** Tags the objects, one call each, in the plan's order; {@code progress} hears each one. */
    public static void apply(Adoption a, TypeRegistry types, TypeContext ctx, Consumer<Item> progress) {
        if (a.refused()) throw new IllegalStateException("refused adoption: " + a.refusals());
        for (Item i : a.items()) {
            if (i.tags().isEmpty()) continue;
            ResourceType t = types.find(i.type()).orElseThrow();
            t.adopt(ctx, i.live(), i.tags());
            progress.accept(i);
        }
    }
}
