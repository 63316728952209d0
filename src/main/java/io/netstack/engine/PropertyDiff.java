package io.netstack.engine;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One attribute-level difference. For properties compared as sets, each added element is a diff
 * with {@code before == null} and each removed element one with {@code after == null}; in a list
 * keyed by an identity field ({@code Property.key}), an element whose other fields changed is
 * one diff with both set.
 *
 * @param path          property path from the resource ({@code cidr}, {@code tags.team}, {@code routes})
 * @param before        live value (null: absent)
 * @param after         desired value (null: absent)
 * @param forcesReplace the property is create-only
 * @param sensitive     write-only: values are never shown
 * @param element       the diff is one element of a set-valued property
 */
public record PropertyDiff(String path, JsonNode before, JsonNode after, boolean forcesReplace, boolean sensitive, boolean element) {
    /** One element of a keyed list whose non-identity fields changed. */
    public boolean modifiedElement() {
        return element && before != null && after != null;
    }

    public String topLevel() {
        int dot = path.indexOf('.');
        return dot < 0 ? path : path.substring(0, dot);
    }
}
