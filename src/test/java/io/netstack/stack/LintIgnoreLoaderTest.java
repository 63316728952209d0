package io.netstack.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The loader's checks of {@code lintIgnore}: shape, a required reason, a known resource. */
class LintIgnoreLoaderTest {
    static String stack(String lintIgnore) {
        return "{\n  \"stack\": \"s\",\n  \"region\": \"eu-west-1\",\n  \"lintIgnore\": " + lintIgnore + ",\n"
                + "  \"resources\": { \"vpc\": { \"type\": \"vpc\", \"cidr\": \"10.0.0.0/16\" } }\n}\n";
    }

    static List<String> errors(String lintIgnore) {
        StackException e = assertThrows(StackException.class, () -> StackLoader.parse("s.json", stack(lintIgnore), Map.of()));
        return e.errors().stream().map(StackError::toString).toList();
    }

    @Test
    void validEntriesLoad() {
        StackFile s = StackLoader.parse("s.json", stack("[ { \"rule\": \"NS301\", \"id\": \"vpc\", \"reason\": \"account-wide flow logs\" },"
                + " { \"rule\": \"shadowed-nacl-rule\", \"reason\": \"kept for the audit trail\" } ]"), Map.of());
        assertEquals(2, s.source().root().path("lintIgnore").size());
    }

    @Test
    void badEntriesAreLocatedErrors() {
        assertEquals(List.of("s.json:4:17: \"lintIgnore\" must be an array of {\"rule\", \"id\", \"reason\"}"), errors("{}"));
        assertEquals(List.of("s.json:4:19: lintIgnore entry needs a \"reason\": say why the finding is accepted"),
                errors("[ { \"rule\": \"NS301\", \"reason\": \" \" } ]"));
        assertEquals(List.of("s.json:4:59: lintIgnore names unknown resource \"vcp\""),
                errors("[ { \"rule\": \"NS301\", \"reason\": \"r\", \"id\": \"vcp\" } ]"));
        assertEquals(List.of("s.json:4:53: unknown key \"because\" in lintIgnore (expected rule, id, reason)"),
                errors("[ { \"rule\": \"NS301\", \"reason\": \"r\", \"because\": \"x\" } ]"));
    }
}
