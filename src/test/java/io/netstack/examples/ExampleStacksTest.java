package io.netstack.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.netstack.api.Netstack;
import io.netstack.engine.Json;
import io.netstack.engine.JsonSchemaGenerator;
import io.netstack.stack.StackFile;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every example in stacks/ validates, and the shipped JSON Schema matches the registered types. */
class ExampleStacksTest {
    static final Path STACKS = Path.of("stacks");
    /** Variables an example needs that have no default (resources netstack does not manage). */
    static final Map<String, Map<String, String>> VARS = Map.of(
            "privatelink.json", Map.of("nlbArn", "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/net/example/0123456789abcdef",
                    "consumerAccount", "123456789012"));

    /** Directories of stacks/ that are not examples of their own: modules are included by stacks, schema is generated. */
    static final java.util.Set<String> NOT_EXAMPLES = java.util.Set.of("modules", "schema");

    /** Every stack file of stacks/ and of its example directories (several stacks run by one command, e.g. multi-account/). */
    static Stream<Path> examples() throws IOException {
        List<Path> files = new java.util.ArrayList<>(jsonFiles(STACKS));
        for (Path dir : exampleDirectories()) files.addAll(jsonFiles(dir));
        return files.stream();
    }

    static List<Path> exampleDirectories() throws IOException {
        try (Stream<Path> s = Files.list(STACKS)) {
            return s.filter(Files::isDirectory).filter(d -> !NOT_EXAMPLES.contains(d.getFileName().toString())).sorted().toList();
        }
    }

    static List<Path> jsonFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
    }

    @Test
    void theMultiAccountExampleIsOneGraphOfFourStacks() throws IOException {
        assertTrue(exampleDirectories().contains(STACKS.resolve("multi-account")), exampleDirectories().toString());
        try (Netstack ns = Netstack.forEndpoint(URI.create("http://127.0.0.1:9"))) {
            List<StackFile> files = new java.util.ArrayList<>();
            for (Path f : jsonFiles(STACKS.resolve("multi-account"))) files.add(ns.load(f, Map.of()));
            io.netstack.engine.StackSet set = io.netstack.engine.StackSet.of(files);
            assertEquals(java.util.Set.of("hub", "spoke-a", "spoke-b", "hub-accept"), java.util.Set.copyOf(set.order()));
            assertEquals("hub", set.order().get(0), set.order().toString());
            assertEquals("hub-accept", set.order().get(3), set.order().toString());
            assertEquals(java.util.Set.of("hub", "spoke-a", "spoke-b"), set.prerequisites("hub-accept"));
            assertEquals(java.util.Set.of("hub"), set.prerequisites("spoke-b"), "the second region's spoke does not wait for the first");
            for (StackFile f : files) assertFalse(f.source().root().path("account").path("roleArn").asText().isEmpty(), f.name() + " names its account's role");
        }
    }

    @Test
    void thereAreExamples() throws IOException {
        assertTrue(examples().anyMatch(p -> p.getFileName().toString().equals("three-tier.json")));
    }

    @ParameterizedTest
    @MethodSource("examples")
    void exampleValidates(Path file) {
        try (Netstack ns = Netstack.forEndpoint(URI.create("http://127.0.0.1:9"))) {
            StackFile s = ns.load(file, VARS.getOrDefault(file.getFileName().toString(), Map.of()));
            ns.validate(s);
            assertFalse(s.resources().isEmpty());
            assertEquals(STACKS.resolve("schema/netstack-stack.schema.json").normalize(),
                    file.getParent().resolve(s.source().root().path("$schema").asText()).normalize(), "examples point editors at the schema");
        }
    }

    @Test
    void shippedSchemaIsUpToDate() throws IOException {
        try (Netstack ns = Netstack.forEndpoint(URI.create("http://127.0.0.1:9"))) {
            JsonNode generated = JsonSchemaGenerator.generate(ns.provider("eu-west-1"));
            JsonNode shipped = Json.MAPPER.readTree(STACKS.resolve("schema/netstack-stack.schema.json").toFile());
            assertEquals(Json.canonical(generated), Json.canonical(shipped),
                    "stacks/schema/netstack-stack.schema.json is stale: regenerate it with `scripts/netstack schema > stacks/schema/netstack-stack.schema.json`");
        }
    }
}
