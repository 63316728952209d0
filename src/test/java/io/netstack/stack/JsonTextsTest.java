package io.netstack.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTextsTest {
    private static final ObjectMapper M = new ObjectMapper();

    @Test
    void replacesStringsOfObjectsAndListsInPlaceAndNamesTheirPointers() throws Exception {
        JsonNode n = M.readTree("{\"vpc\": \"vpc-1\", \"a/b\": [\"vpc-1\", 5, {\"x\": \"keep\"}], \"n\": null}");
        List<String> seen = new ArrayList<>();
        JsonNode out = JsonTexts.replace(n, "/r", (ptr, text) -> {
            seen.add(ptr + "=" + text);
            return text.equals("vpc-1") ? "${vpc}" : null;
        });
        assertSame(n, out, "a container is changed in place");
        assertEquals(M.readTree("{\"vpc\": \"${vpc}\", \"a/b\": [\"${vpc}\", 5, {\"x\": \"keep\"}], \"n\": null}"), n);
        assertEquals(List.of("/r/vpc=vpc-1", "/r/a~1b/0=vpc-1", "/r/a~1b/2/x=keep"), seen);
    }

    @Test
    void aStringAloneIsReplacedByItsReplacement() throws Exception {
        Map<String, String> ids = Map.of("sg-1", "${web}");
        assertEquals("${web}", JsonTexts.replace(M.readTree("\"sg-1\""), ids::get).asText());
        JsonNode other = M.readTree("\"sg-2\"");
        assertSame(other, JsonTexts.replace(other, ids::get), "null keeps the string");
    }
}
