package io.netstack.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class LocatedJsonTest {
    private static final String FILE = "stacks/net.json";

    private static String lines(String... lines) {
        return String.join("\n", lines);
    }

    private static StackException fails(String text) {
        return assertThrows(StackException.class, () -> LocatedJson.parse(FILE, text));
    }

    private static StackError single(StackException e) {
        assertEquals(1, e.errors().size(), e.getMessage());
        return e.errors().get(0);
    }

    //                     col: 1234567890123456789012345
    private static final String DOC = lines(
            "{",                                   // 1
            "  \"stack\": \"net\",",               // 2
            "  \"resources\": {",                  // 3
            "    \"vpc\": {",                      // 4
            "      \"type\": \"vpc\",",            // 5
            "      \"cidr\": \"10.0.0.0/16\",",    // 6
            "      \"subnets\": [",                // 7
            "        \"a\",",                      // 8
            "        {\"x\": true}",               // 9
            "      ]",                             // 10
            "    },",                              // 11
            "    \"a/b~c\": 12",                   // 12
            "  }",                                 // 13
            "}");                                  // 14

    @Test
    void buildsTheTree() {
        LocatedJson j = LocatedJson.parse(FILE, DOC);
        assertEquals(FILE, j.file());
        JsonNode root = j.root();
        assertEquals("net", root.get("stack").asText());
        assertEquals("10.0.0.0/16", root.at("/resources/vpc/cidr").asText());
        assertEquals("a", root.at("/resources/vpc/subnets/0").asText());
        assertTrue(root.at("/resources/vpc/subnets/1/x").booleanValue());
        assertEquals(12, root.get("resources").get("a/b~c").asInt());
    }

    @Test
    void scalarTypesArePreserved() {
        JsonNode root = LocatedJson.parse(FILE, "{\"i\": 42, \"big\": 5000000000, \"f\": 1.5, \"t\": true, \"n\": null, \"s\": \"x\"}").root();
        assertTrue(root.get("i").isIntegralNumber());
        assertEquals(42L, root.get("i").longValue());
        assertEquals(5_000_000_000L, root.get("big").longValue());
        assertTrue(root.get("f").isFloatingPointNumber());
        assertEquals(1.5, root.get("f").doubleValue());
        assertTrue(root.get("t").isBoolean());
        assertTrue(root.get("n").isNull());
        assertTrue(root.get("s").isTextual());
    }

    @Test
    void locatesRootAndNestedValues() {
        LocatedJson j = LocatedJson.parse(FILE, DOC);
        assertEquals(new Location(FILE, 1, 1), j.at(""));
        assertEquals(new Location(FILE, 2, 12), j.at("/stack"));
        assertEquals(new Location(FILE, 3, 16), j.at("/resources"));
        assertEquals(new Location(FILE, 4, 12), j.at("/resources/vpc"));
        assertEquals(new Location(FILE, 5, 15), j.at("/resources/vpc/type"));
        assertEquals(new Location(FILE, 6, 15), j.at("/resources/vpc/cidr"));
        assertEquals(new Location(FILE, 7, 18), j.at("/resources/vpc/subnets"));
        assertEquals(new Location(FILE, 8, 9), j.at("/resources/vpc/subnets/0"));
        assertEquals(new Location(FILE, 9, 9), j.at("/resources/vpc/subnets/1"));
        assertEquals(new Location(FILE, 9, 15), j.at("/resources/vpc/subnets/1/x"));
        assertEquals("stacks/net.json:6:15", j.at("/resources/vpc/cidr").toString());
    }

    @Test
    void locatesKeys() {
        LocatedJson j = LocatedJson.parse(FILE, DOC);
        assertEquals(new Location(FILE, 2, 3), j.keyAt("/stack"));
        assertEquals(new Location(FILE, 4, 5), j.keyAt("/resources/vpc"));
        assertEquals(new Location(FILE, 6, 7), j.keyAt("/resources/vpc/cidr"));
        assertEquals(new Location(FILE, 9, 10), j.keyAt("/resources/vpc/subnets/1/x"));
    }

    @Test
    void keysWithSlashAndTildeAreEscapedInPointers() {
        assertEquals("a~1b~0c", LocatedJson.escape("a/b~c"));
        assertEquals("~01", LocatedJson.escape("~1"));
        LocatedJson j = LocatedJson.parse(FILE, DOC);
        assertEquals(new Location(FILE, 12, 5), j.keyAt("/resources/a~1b~0c"));
        assertEquals(new Location(FILE, 12, 14), j.at("/resources/a~1b~0c"));
    }

    @Test
    void keyAtFallsBackToValueLocationForArrayElements() {
        LocatedJson j = LocatedJson.parse(FILE, DOC);
        assertEquals(new Location(FILE, 8, 9), j.keyAt("/resources/vpc/subnets/0"));
    }

    @Test
    void atFallsBackToTheNearestLocatedAncestor() {
        LocatedJson j = LocatedJson.parse(FILE, DOC);
        assertEquals(j.at("/resources/vpc"), j.at("/resources/vpc/missing"));
        assertEquals(j.at("/resources/vpc"), j.at("/resources/vpc/missing/deeper/still"));
        assertEquals(j.at("/resources/vpc/subnets"), j.at("/resources/vpc/subnets/7"));
        assertEquals(j.at("/resources/vpc/subnets/1"), j.at("/resources/vpc/subnets/1/y"));
        assertEquals(j.at(""), j.at("/nothing"));
        assertEquals(j.at(""), j.at("/nothing/at/all"));
        // and keyAt of something missing falls back the same way
        assertEquals(j.at("/resources/vpc"), j.keyAt("/resources/vpc/missing"));
    }

    @Test
    void rootLocationFollowsLeadingWhitespace() {
        LocatedJson j = LocatedJson.parse(FILE, lines("", "", "   {\"a\": 1}"));
        assertEquals(new Location(FILE, 3, 4), j.at(""));
        assertEquals(new Location(FILE, 3, 10), j.at("/a"));
        assertEquals(new Location(FILE, 3, 5), j.keyAt("/a"));
    }

    @Test
    void duplicateTopLevelKeyIsRejectedAtTheDuplicate() {
        StackError e = single(fails(lines(
                "{",
                "  \"stack\": \"a\",",
                "  \"region\": \"eu-west-1\",",
                "    \"stack\": \"b\"",
                "}")));
        assertEquals(new Location(FILE, 4, 5), e.location());
        assertEquals("duplicate key \"stack\"", e.message());
        assertEquals("stacks/net.json:4:5: duplicate key \"stack\"", e.toString());
    }

    @Test
    void duplicateNestedKeyIsRejectedAtTheDuplicate() {
        StackError e = single(fails(lines(
                "{",
                "  \"a\": 1,",
                "  \"b\": {\"x\": 1,",
                "    \"x\": 2}",
                "}")));
        assertEquals(new Location(FILE, 4, 5), e.location());
        assertEquals("duplicate key \"x\"", e.message());
    }

    @Test
    void sameKeyInDifferentObjectsIsFine() {
        LocatedJson j = LocatedJson.parse(FILE, "{\"a\": {\"x\": 1}, \"b\": {\"x\": 2}, \"x\": [{\"x\": 3}, {\"x\": 4}]}");
        assertEquals(4, j.root().at("/x/1/x").asInt());
    }

    @Test
    void missingColonReportsLocationOfTheError() {
        StackException ex = fails(lines(
                "{",
                "  \"a\": 1,",
                "  \"b\" 2",
                "}"));
        StackError e = single(ex);
        assertEquals(new Location(FILE, 3, 7), e.location());
        assertTrue(e.message().startsWith("invalid JSON: Unexpected character ('2'"), e.message());
        assertTrue(ex.getMessage().startsWith("stacks/net.json:3:7: invalid JSON: "), ex.getMessage());
        assertFalse(e.message().contains("\n"), "message is one line");
    }

    @Test
    void doubleCommaInArrayReportsLocationOfTheError() {
        StackError e = single(fails(lines(
                "{",
                "  \"a\": [1, 2,,]",
                "}")));
        assertEquals(2, e.location().line());
        assertEquals(14, e.location().column());
        assertTrue(e.message().startsWith("invalid JSON: "), e.message());
    }

    @Test
    void trailingCommaInObjectIsInvalid() {
        StackError e = single(fails(lines(
                "{",
                "  \"a\": 1,",
                "}")));
        assertEquals(3, e.location().line());
        assertTrue(e.message().startsWith("invalid JSON: "), e.message());
    }

    @Test
    void commentsAreInvalid() {
        StackError e = single(fails("{ // comment\n}"));
        assertEquals(new Location(FILE, 1, 3), e.location());
        assertTrue(e.message().startsWith("invalid JSON: "), e.message());
    }

    @Test
    void unterminatedDocumentReportsEndOfInput() {
        StackError e = single(fails(lines(
                "{",
                "  \"a\": 1",
                "")));
        assertEquals(3, e.location().line());
        assertTrue(e.message().startsWith("invalid JSON: Unexpected end-of-input"), e.message());
        assertFalse(e.message().contains("\n"), "message is cut to its first line");
    }

    @Test
    void secondDocumentAfterTheFirstIsRejected() {
        StackError e = single(fails(lines(
                "{\"a\": 1}",
                "  {\"b\": 2}")));
        assertEquals(new Location(FILE, 2, 3), e.location());
        assertEquals("unexpected content after the end of the JSON document", e.message());
    }

    @Test
    void trailingScalarAfterDocumentIsRejected() {
        StackError e = single(fails("{\"a\": 1} 7"));
        assertEquals(new Location(FILE, 1, 10), e.location());
        assertEquals("unexpected content after the end of the JSON document", e.message());
    }

    @Test
    void trailingGarbageAfterDocumentIsRejected() {
        StackError e = single(fails(lines("{}", " x")));
        assertEquals(2, e.location().line());
        assertTrue(e.message().startsWith("invalid JSON: Unrecognized token 'x'"), e.message());
    }

    @Test
    void trailingWhitespaceIsFine() {
        assertEquals(1, LocatedJson.parse(FILE, "{\"a\": 1}\n\n   \n").root().get("a").asInt());
    }

    @Test
    void emptyFileIsRejected() {
        StackError e = single(fails(""));
        assertEquals(new Location(FILE, 1, 1), e.location());
        assertEquals("empty file: expected a JSON object", e.message());
        assertEquals("empty file: expected a JSON object", single(fails("  \n\t \n")).message());
    }

    @Test
    void nonObjectRootsParse() {
        // whether a root must be an object is the loader's business
        assertTrue(LocatedJson.parse(FILE, "[1, 2]").root().isArray());
        assertEquals("x", LocatedJson.parse(FILE, "\"x\"").root().asText());
    }

    @Test
    void integerOutOfLongRangeIsReportedAtTheNumber() {
        StackError e = single(fails(lines(
                "{",
                "  \"asn\": 99999999999999999999",
                "}")));
        assertEquals(2, e.location().line());
        assertFalse(e.message().contains("\n"), e.message());
    }
}
