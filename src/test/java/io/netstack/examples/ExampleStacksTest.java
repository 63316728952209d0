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

    static Stream<Path> examples() throws IOException {
        try (Stream<Path> s = Files.list(STACKS)) {
            List<Path> files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
            return files.stream();
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
            assertEquals("./schema/netstack-stack.schema.json", s.source().root().path("$schema").asText(), "examples point editors at the schema");
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
