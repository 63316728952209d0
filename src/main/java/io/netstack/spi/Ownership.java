package io.netstack.spi;

import java.util.LinkedHashMap;
import java.util.Map;

/** The tags that make a resource netstack's (docs/DESIGN.md principle 1), set at creation. */
public final class Ownership {
    public static final String STACK_TAG = "netstack:stack";
    public static final String ID_TAG = "netstack:id";
    /** Not ownership: the user may set it; {@link #defaultName} when they do not. */
    public static final String NAME_TAG = "Name";

    private Ownership() {}

    public static Map<String, String> tags(String stack, String id) {
        Map<String, String> t = new LinkedHashMap<>();
        t.put(STACK_TAG, stack);
        t.put(ID_TAG, id);
        t.put(NAME_TAG, defaultName(stack, id));
        return t;
    }

    public static String defaultName(String stack, String id) {
        return stack + "/" + id;
    }
}
