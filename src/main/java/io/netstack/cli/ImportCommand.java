package io.netstack.cli;

import io.netstack.api.Netstack;
import io.netstack.engine.AdoptFile;
import io.netstack.engine.Importer;
import io.netstack.engine.Json;
import io.netstack.stack.StackLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "import", description = {
        "Write the stack file of an existing network: the VPCs and everything in them netstack has a type for,",
        "with references instead of ids. Also writes FILE.adopt.json (resource → AWS id) for `netstack adopt FILE`.",
        "Reads only; changes nothing in AWS."})
class ImportCommand extends BaseCommand {
    static final java.util.regex.Pattern VPC_ID = java.util.regex.Pattern.compile("vpc-[0-9a-f]{8,17}");

    @Option(names = "--region", required = true, paramLabel = "REGION", description = "The region of the VPCs.")
    String region;

    @Option(names = "--vpc", paramLabel = "vpc-…", description = "A VPC to import (repeatable).")
    List<String> vpcs = new ArrayList<>();

    @Option(names = "--tag", paramLabel = "KEY=VALUE", description = "Also import the VPCs that carry this tag (repeatable: all of them).")
    Map<String, String> tags = new LinkedHashMap<>();

    @Option(names = "--stack", paramLabel = "NAME", description = "Stack name (default: from the first VPC's Name tag).")
    String stack;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "The stack file to write (must not exist).")
    Path output;

    @Override
    public Integer call() throws Exception {
        if (vpcs.isEmpty() && tags.isEmpty()) throw invalid("give at least one --vpc or --tag");
        for (String v : vpcs) if (!VPC_ID.matcher(v).matches()) throw invalid("--vpc " + v + " is not a VPC id (vpc-0123abcd…)");
        if (stack != null && !StackLoader.STACK_NAME.matcher(stack).matches()) throw invalid("--stack " + stack + " is not a stack name ([a-z][a-z0-9-]{0,39})");
        Path sidecar = AdoptFile.beside(output);
        for (Path p : List.of(output, sidecar)) if (Files.exists(p)) throw invalid(p + " exists: import writes new files only (move it away or choose another -o)");
        try (Netstack ns = netstack()) {
            ns.provider(region).knownRegions().ifPresent(known -> {
                if (!known.contains(region)) throw invalid("--region " + region + " is not an AWS region");
            });
            Importer.Result r = ns.importNetwork(region, vpcs, tags, stack);
            Path dir = output.toAbsolutePath().getParent();
            if (dir != null) Files.createDirectories(dir);
            Files.writeString(output, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(r.stack()) + "\n");
            r.adopt().write(sidecar);
            for (String n : r.notes()) console.err().println("note: " + n);
            Map<String, Integer> byType = new TreeMap<>();
            r.adopt().resources().values().forEach(e -> byType.merge(e.type(), 1, Integer::sum));
            List<String> counts = new ArrayList<>();
            byType.forEach((t, n) -> counts.add(n + " " + t));
            human().println("Imported " + r.adopt().resources().size() + " resources of stack " + r.adopt().stack() + " from " + String.join(", ", r.adopt().vpcs())
                    + " (" + String.join(", ", counts) + ") into " + output + ".");
            human().println("Wrote " + sidecar + " (which AWS object each resource is). Nothing in AWS was changed.");
            human().println("Next: review the file, then `netstack adopt " + output + "` to put netstack's ownership tags on these objects.");
            if (global.json) console.out().println(Json.MAPPER.writeValueAsString(r.adopt().toJson()));
            return ExitCodes.OK;
        }
    }
}
