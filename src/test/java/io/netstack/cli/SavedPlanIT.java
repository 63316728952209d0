package io.netstack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netstack.engine.Json;
import io.netstack.stack.StackLoader;
import io.netstack.testing.AwsApi;
import io.netstack.testing.AwsApiExtension;
import io.netstack.testing.Cli;
import io.netstack.testing.StackFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;

/**
 * Issue 13 item 1, end to end with the real CLI against moto: a "No changes" plan file edited into
 * a destroy, or pointed at another stack file (its bare SHA-256 digest recomputed, as an editor
 * can), is refused by {@code apply plan.json}, and AWS is left as it was.
 */
@ExtendWith(AwsApiExtension.class)
class SavedPlanIT {
    static final String REGION = "eu-west-1";

    static String stack(String name, String extra) {
        return """
            { "stack": "%s", "region": "eu-west-1",
              "resources": {
                "vpc": { "type": "vpc", "cidr": "10.61.0.0/16" },
                "app": { "type": "subnet", "vpc": "${vpc}", "cidr": "10.61.1.0/24", "zone": "eu-west-1a" }%s
              } }
            """.formatted(name, extra);
    }

    static long owned(Ec2Client ec2, String stack) {
        List<Filter> f = List.of(Filter.builder().name("tag:netstack:stack").values(stack).build());
        return ec2.describeVpcs(r -> r.filters(f)).vpcs().size() + ec2.describeSubnets(r -> r.filters(f)).subnets().size();
    }

    static Path edit(Path plan, Path to, java.util.function.Consumer<ObjectNode> change) throws Exception {
        ObjectNode j = (ObjectNode) Json.MAPPER.readTree(plan.toFile());
        change.accept(j);
        Files.writeString(to, j.toPrettyString());
        return to;
    }

    @Test
    void editedPlanFilesAreRefusedAndChangeNothing(AwsApi api, @TempDir Path dir) throws Exception {
        String name = api.uniqueStack("savedplan");
        Ec2Client ec2 = api.ec2(REGION);
        Path f = StackFiles.write(dir, "s.json", stack(name, ""));
        Cli.Result applied = Cli.run(api, REGION, "apply", f.toString(), "--auto-approve");
        assertEquals(0, applied.exit(), applied::toString);
        assertEquals(2, owned(ec2, name));

        Path saved = dir.resolve("plan.json");
        Cli.Result plan = Cli.run(api, REGION, "plan", f.toString(), "-o", saved.toString());
        assertEquals(0, plan.exit(), plan::toString);
        assertTrue(plan.out().contains("No changes"), plan.out());

        // "destroy": false → true, at the top and inside the rendered plan
        Path destroy = edit(saved, dir.resolve("destroy.json"), j -> {
            j.put("destroy", true);
            ((ObjectNode) j.get("plan")).put("destroy", true);
        });
        Cli.Result refused = Cli.run(api, REGION, "apply", destroy.toString());
        assertEquals(1, refused.exit(), refused::toString);
        assertTrue(refused.err().contains("refusing to apply the saved plan") && refused.err().contains("apply would also delete"), refused.err());
        assertEquals(2, owned(ec2, name), "nothing was deleted");

        // stackFile → a file that would build more, with the digest an editor can recompute
        Path other = StackFiles.write(dir, "other.json", stack(name, ",\n    \"db\": { \"type\": \"subnet\", \"vpc\": \"${vpc}\", \"cidr\": \"10.61.2.0/24\", \"zone\": \"eu-west-1a\" }"));
        String digest = StackLoader.load(other, Map.of()).digest();
        Path pointed = edit(saved, dir.resolve("pointed.json"), j -> {
            j.put("stackFile", other.toAbsolutePath().toString());
            j.put("stackDigest", digest);
        });
        Cli.Result refused2 = Cli.run(api, REGION, "apply", pointed.toString());
        assertEquals(1, refused2.exit(), refused2::toString);
        assertTrue(refused2.err().contains("apply would also create db, which the file does not show"), refused2.err());
        assertEquals(2, owned(ec2, name), "nothing was created");

        // the unedited file still applies (nothing to do)
        Cli.Result ok = Cli.run(api, REGION, "apply", saved.toString());
        assertEquals(0, ok.exit(), ok::toString);
        assertEquals(0, Cli.run(api, REGION, "destroy", f.toString(), "--auto-approve").exit());
        assertEquals(0, owned(ec2, name));
    }
}
