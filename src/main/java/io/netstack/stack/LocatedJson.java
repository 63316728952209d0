package io.netstack.stack;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * A JSON document together with the line and column of every node, keyed by JSON Pointer.
 * Jackson's tree model drops locations, so the tree is built here from the streaming parser.
 * Duplicate keys are an error (Jackson would silently keep the last one).
 */
public final class LocatedJson {
    /** Nesting a stack file needs is ~6 levels (resources, block, list, rule, …); deeper is not a stack. */
    public static final int MAX_DEPTH = 64;
    /** Longest string value: policies and formats are a few KB; AWS's own limits are far below this. */
    public static final int MAX_STRING_CHARS = 1_000_000;
    /** Longest key (resource ids are at most 63 characters). */
    public static final int MAX_KEY_CHARS = 1_000;
    /** Longest number literal: ports, indexes and ASNs have a few digits. */
    public static final int MAX_NUMBER_DIGITS = 100;

    // Jackson's own limits set to ours, with its nesting limit above MAX_DEPTH so our check (and
    // its message) comes first; Jackson's messages name its API, so they are reworded in parse().
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_DEPTH + 1)
                    .maxStringLength(MAX_STRING_CHARS)
                    .maxNameLength(MAX_KEY_CHARS)
                    .maxNumberLength(MAX_NUMBER_DIGITS)
                    .build())
            .build();

    private final String file;
    private final JsonNode root;
    private final Map<String, Location> locations;
    private final Map<String, Origin> origins;

    private LocatedJson(String file, JsonNode root, Map<String, Location> locations, Map<String, Origin> origins) {
        this.file = file;
        this.root = root;
        this.locations = locations;
        this.origins = origins;
    }

    /** A tree built elsewhere (a template's expansion) with the locations of its nodes, keyed by JSON Pointer. */
    public static LocatedJson of(String file, JsonNode root, Map<String, Location> locations) {
        return new LocatedJson(file, root, locations, Map.of());
    }

    /** {@link #of(String, JsonNode, Map)}, with where each expanded resource came from (resource id → origin). */
    public static LocatedJson of(String file, JsonNode root, Map<String, Location> locations, Map<String, Origin> origins) {
        return new LocatedJson(file, root, locations, Map.copyOf(origins));
    }

    /** Resource id → its module / forEach origin, for the resources a template expanded (empty for a v1 file). */
    public Map<String, Origin> origins() {
        return origins;
    }

    public static LocatedJson parse(String file, String text) {
        // Sized for the file up front (about one node and one key per 8 characters of stack JSON):
        // growing the table was a tenth of loading a 50,000-resource file.
        Map<String, Location> locs = new HashMap<>(Math.max(16, text.length() / 4));
        JsonParser[] open = new JsonParser[1];
        try (JsonParser p = FACTORY.createParser(text)) {
            open[0] = p;
            JsonToken t = p.nextToken();
            if (t == null) throw new StackException(new Location(file, 1, 1), "empty file: expected a JSON object");
            JsonNode root = read(file, p, "", locs, 1);
            JsonToken extra = p.nextToken();
            if (extra != null) {
                throw new StackException(loc(file, p.currentTokenLocation()), "unexpected content after the end of the JSON document");
            }
            return new LocatedJson(file, root, locs, Map.of());
        } catch (StreamConstraintsException e) {
            // Jackson gives these no location: where the parser stopped is where the limit was hit.
            throw new StackException(loc(file, e.getLocation() != null ? e.getLocation() : open[0] == null ? null : open[0].currentLocation()), limitMessage(e));
        } catch (StreamReadException e) {
            JsonLocation l = e.getLocation();
            String msg = e.getOriginalMessage();
            int cut = msg.indexOf('\n');
            if (cut > 0) msg = msg.substring(0, cut);
            throw new StackException(loc(file, l), "invalid JSON: " + msg);
        } catch (IOException e) {
            throw new StackException(new Location(file, 1, 1), "cannot read: " + e.getMessage());
        }
    }

    /** Jackson's limit messages ("… from `StreamReadConstraints.getMaxNumberLength()`") in the user's words. */
    static String limitMessage(StreamConstraintsException e) {
        String m = String.valueOf(e.getOriginalMessage());
        if (m.contains("NumberLength")) return "a number longer than " + MAX_NUMBER_DIGITS + " digits";
        if (m.contains("StringLength")) return String.format(java.util.Locale.ROOT, "a string longer than %,d characters", MAX_STRING_CHARS);
        if (m.contains("NameLength")) return String.format(java.util.Locale.ROOT, "a key longer than %,d characters", MAX_KEY_CHARS);
        if (m.contains("NestingDepth")) return "nesting deeper than " + MAX_DEPTH + " levels (a stack file needs fewer than 10)";
        return "the file is larger than a stack file may be";
    }

    private static JsonNode read(String file, JsonParser p, String ptr, Map<String, Location> locs, int depth) throws IOException {
        locs.put(ptr, loc(file, p.currentTokenLocation()));
        if (depth > MAX_DEPTH && (p.currentToken() == JsonToken.START_OBJECT || p.currentToken() == JsonToken.START_ARRAY)) {
            throw new StackException(loc(file, p.currentTokenLocation()), "nesting deeper than " + MAX_DEPTH + " levels (a stack file needs fewer than 10)");
        }
        JsonNodeFactory f = JsonNodeFactory.instance;
        switch (p.currentToken()) {
            case START_OBJECT -> {
                ObjectNode o = f.objectNode();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    String child = ptr + "/" + escape(name);
                    Location keyLoc = loc(file, p.currentTokenLocation());
                    if (o.has(name)) throw new StackException(keyLoc, "duplicate key \"" + name + "\"");
                    locs.put(child + "#key", keyLoc);
                    p.nextToken();
                    o.set(name, read(file, p, child, locs, depth + 1));
                }
                return o;
            }
            case START_ARRAY -> {
                ArrayNode a = f.arrayNode();
                int i = 0;
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    a.add(read(file, p, ptr + "/" + i++, locs, depth + 1));
                }
                return a;
            }
            case VALUE_STRING -> { return f.textNode(p.getText()); }
            case VALUE_NUMBER_INT -> { return f.numberNode(p.getLongValue()); }
            case VALUE_NUMBER_FLOAT -> { return f.numberNode(p.getDecimalValue()); }
            case VALUE_TRUE -> { return f.booleanNode(true); }
            case VALUE_FALSE -> { return f.booleanNode(false); }
            case VALUE_NULL -> { return f.nullNode(); }
            default -> throw new StackException(loc(file, p.currentTokenLocation()), "unexpected token " + p.currentToken());
        }
    }

    private static Location loc(String file, JsonLocation l) {
        if (l == null) return new Location(file, 1, 1);
        return new Location(file, Math.max(1, l.getLineNr()), Math.max(1, l.getColumnNr()));
    }

    public static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }

    public String file() {
        return file;
    }

    public JsonNode root() {
        return root;
    }

    /** Location of the value at {@code pointer}, or of its nearest located ancestor. */
    public Location at(String pointer) {
        String p = pointer;
        while (true) {
            Location l = locations.get(p);
            if (l != null) return l;
            if (p.isEmpty()) return new Location(file, 1, 1);
            int cut = p.lastIndexOf('/');
            p = cut <= 0 ? "" : p.substring(0, cut);
        }
    }

    /** Location of the key that names the value at {@code pointer} (better for "unknown key" errors). */
    public Location keyAt(String pointer) {
        Location l = locations.get(pointer + "#key");
        return l != null ? l : at(pointer);
    }
}
