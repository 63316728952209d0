package io.netstack.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.netstack.engine.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * What the {@code *IT} classes share: finding the objects a stack owns by their ownership tags,
 * running the CLI's apply/plan and asserting on the result, and ordering checks on a log or an
 * apply trace.
 *
 * <p>Ownership is always re-checked here on the client side: moto ignores the tag filter of
 * several describes (docs/moto-notes.md), so a server-side {@link #stackFilter} alone would let
 * other tests' objects in.
 */
public final class ItSupport {
    /** Spelled out, not taken from the code under test, so that a wrong tag name fails the ITs. */
    public static final String STACK_TAG = "netstack:stack", ID_TAG = "netstack:id";

    private ItSupport() {}

    /** The server-side filter on the stack tag, for the describes that honour it (AWS: all). */
    public static Filter stackFilter(String stack) {
        return Filter.builder().name("tag:" + STACK_TAG).values(stack).build();
    }

    /** The server-side filter on the logical id tag ({@code netstack:id}). */
    public static Filter idFilter(String id) {
        return Filter.builder().name("tag:" + ID_TAG).values(id).build();
    }

    /**
     * The items of a {@code drift --json} run as "{@code <class> <id> <path>}" ("-" where an item
     * has none: an unmanaged object has no id, a deleted one no path), in report order.
     */
    public static List<String> driftItems(Cli.Result drift) throws IOException {
        List<String> seen = new ArrayList<>();
        Json.MAPPER.readTree(drift.out()).get("drift")
                .forEach(i -> seen.add(i.get("class").asText() + " " + i.get("id").asText("-") + " " + i.get("path").asText("-")));
        return seen;
    }

    /** EC2 tags as a map (keys are unique within one object). */
    public static Map<String, String> tags(List<Tag> tags) {
        return tags.stream().collect(Collectors.toMap(Tag::key, Tag::value));
    }

    public static boolean hasTag(List<Tag> tags, String key, String value) {
        return tags.stream().anyMatch(t -> t.key().equals(key) && t.value().equals(value));
    }

    /** The value of tag {@code key}; fails when the object does not have it. */
    public static String tag(List<Tag> tags, String key) {
        return tags.stream().filter(t -> t.key().equals(key)).findFirst()
                .orElseThrow(() -> new AssertionError("no tag " + key + " in " + tags)).value();
    }

    /** Whether the tags make the object part of {@code stack}. */
    public static boolean owned(List<Tag> tags, String stack) {
        return hasTag(tags, STACK_TAG, stack);
    }

    /** The object's logical id in its stack ({@code netstack:id}). */
    public static String logicalId(List<Tag> tags) {
        return tag(tags, ID_TAG);
    }

    /** The objects of {@code items} that {@code stack} owns, by logical id, in describe order. */
    public static <T> Map<String, T> owned(Collection<T> items, Function<T, List<Tag>> tagsOf, String stack) {
        return items.stream().filter(i -> owned(tagsOf.apply(i), stack))
                .collect(Collectors.toMap(i -> logicalId(tagsOf.apply(i)), i -> i, (a, b) -> {
                    throw new AssertionError("two objects with one logical id: " + a + ", " + b);
                }, java.util.LinkedHashMap::new));
    }

    /** {@code netstack apply --auto-approve}, which must succeed. */
    public static Cli.Result applyOk(AwsApi api, String region, Path stackFile) {
        Cli.Result r = Cli.run(api, region, "apply", stackFile.toString(), "--auto-approve");
        assertEquals(0, r.exit(), r.toString());
        return r;
    }

    /** {@code netstack plan --detailed-exitcode} finds nothing to change (exit 0). */
    public static void assertNoChanges(AwsApi api, String region, Path stackFile) {
        Cli.Result plan = Cli.run(api, region, "plan", stackFile.toString(), "--detailed-exitcode");
        assertEquals(0, plan.exit(), plan.toString());
    }

    /** Both lines are in {@code log}, {@code first} before {@code then}. */
    public static void assertBefore(String log, String first, String then) {
        int a = log.indexOf(first), b = log.indexOf(then);
        assertTrue(a >= 0, "no \"" + first + "\" in:\n" + log);
        assertTrue(b >= 0, "no \"" + then + "\" in:\n" + log);
        assertTrue(a < b, "\"" + first + "\" should come before \"" + then + "\" in:\n" + log);
    }

    /** Both events are in {@code events}, the first {@code first} before the first {@code then}. */
    public static void assertBefore(List<String> events, String first, String then) {
        int a = events.indexOf(first), b = events.indexOf(then);
        assertTrue(a >= 0, "no \"" + first + "\" in " + events);
        assertTrue(b >= 0, "no \"" + then + "\" in " + events);
        assertTrue(a < b, "\"" + first + "\" should come before \"" + then + "\" in " + events);
    }

    /** The phase events of an apply's {@code --trace} file, each as "event phase id" (e.g. "end detach igw"). */
    public static List<String> traceEvents(Path trace) {
        List<String> events = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(trace)) {
                JsonNode e = Json.MAPPER.readTree(line);
                if (e.has("phase")) events.add(e.get("event").asText() + " " + e.get("phase").asText() + " " + e.get("id").asText());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return events;
    }
}
