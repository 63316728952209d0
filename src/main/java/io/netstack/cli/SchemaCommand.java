package io.netstack.cli;

import io.netstack.api.Netstack;
import io.netstack.engine.Json;
import io.netstack.engine.JsonSchemaGenerator;
import picocli.CommandLine.Command;

@Command(name = "schema", description = "Print the JSON Schema of stack files (as shipped in stacks/schema/).")
class SchemaCommand extends BaseCommand {
    @Override
    public Integer call() throws Exception {
        try (Netstack ns = netstack()) {
            console.out().println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(JsonSchemaGenerator.generate(ns.provider("us-east-1"))));
            return ExitCodes.OK;
        }
    }
}
