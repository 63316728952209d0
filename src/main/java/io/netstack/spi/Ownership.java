package io.netstack.spi;

import java.util.LinkedHashMap;
import java.util.Map;

/** The tags that make a resource netstack's (DESIGN.md principle 1), set at creation. */
public final class Ownership {
    public static final String STACK_TAG = "netstack:stack";
    public static final String ID_TAG = "netstack:id";

    private Ownership() {}

    public static Map<String, String> tags(String stack, String id) {
        Map<String, String> t = new LinkedHashMap<>();
        t.put(STACK_TAG, stack);
        t.put(ID_TAG, id);
        t.put("Name", stack + "/" + id);
        return t;
    }
}
