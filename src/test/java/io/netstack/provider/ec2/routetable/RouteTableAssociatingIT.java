package io.netstack.provider.ec2.routetable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import io.netstack.testing.AwsApi;
import io.netstack.testing.AwsApiExtension;
import io.netstack.testing.Cli;
import io.netstack.testing.Ec2Query;
import io.netstack.testing.ForwardingProxy;
import io.netstack.testing.StackFiles;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12: a new route table is returned as its writes answered, without a read, only when
 * AssociateRouteTable answered {@code associated}. AWS may answer {@code associating} (Terraform
 * waits for {@code associated} after every association); moto always answers {@code associated},
 * so {@link Associating} rewrites the answer — the gap in moto this covers — and the apply must
 * then read the table until the association shows.
 */
@ExtendWith(AwsApiExtension.class)
class RouteTableAssociatingIT {
    static final String REGION = "eu-west-1";

    /** Forwards to moto, recording the actions in order; answers AssociateRouteTable with {@code associating} when asked to. */
    static final class Associating extends ForwardingProxy {
        final List<String> actions = new CopyOnWriteArrayList<>();
        volatile boolean rewrite;

        Associating(URI upstream) {
            super(upstream, "associating-proxy", 8);
        }

        @Override
        protected void handle(HttpExchange ex) throws IOException {
            byte[] body = ex.getRequestBody().readAllBytes();
            String action = Ec2Query.form(new String(body, StandardCharsets.UTF_8)).getOrDefault("Action", "");
            actions.add(action);
            HttpResponse<byte[]> r = send(ex, body);
            byte[] out = r.body();
            if (rewrite && action.equals("AssociateRouteTable") && r.statusCode() == 200) {
                out = new String(out, StandardCharsets.UTF_8).replace("<state>associated</state>", "<state>associating</state>").getBytes(StandardCharsets.UTF_8);
            }
            reply(ex, r, out);
        }

        /** DescribeRouteTables calls after the last AssociateRouteTable. */
        long readsAfterAssociate() {
            int last = actions.lastIndexOf("AssociateRouteTable");
            assertTrue(last >= 0, "associated: " + actions);
            return actions.subList(last + 1, actions.size()).stream().filter("DescribeRouteTables"::equals).count();
        }
    }

    static String stack(String name) {
        return """
            { "stack": "%s", "region": "eu-west-1",
              "resources": {
                "vpc": { "type": "vpc", "cidr": "10.62.0.0/16" },
                "a":   { "type": "subnet", "vpc": "${vpc}", "cidr": "10.62.1.0/24" },
                "rt":  { "type": "route-table", "vpc": "${vpc}", "subnets": ["${a}"] }
              } }
            """.formatted(name);
    }

    @Test
    void aNewTableIsReadOnlyWhenTheAssociationIsStillAssociating(AwsApi api, @TempDir Path dir) {
        try (Associating proxy = new Associating(api.endpoint())) {
            Map<String, String> env = new HashMap<>(api.cliEnv(REGION));
            env.put("AWS_ENDPOINT_URL", proxy.endpoint().toString());

            Path answered = StackFiles.write(dir, "answered.json", stack(api.uniqueStack("rtassoc")));
            assertEquals(0, Cli.run(env, "apply", answered.toString(), "--auto-approve").exit());
            assertEquals(0, proxy.readsAfterAssociate(), "\"associated\": the table is what the writes answered: " + proxy.actions);
            assertEquals(0, Cli.run(env, "plan", answered.toString(), "--detailed-exitcode").exit(), "what the apply wrote reads back");

            proxy.rewrite = true;
            proxy.actions.clear();
            Path associating = StackFiles.write(dir, "associating.json", stack(api.uniqueStack("rtassoc")));
            Cli.Result apply = Cli.run(env, "apply", associating.toString(), "--auto-approve");
            assertEquals(0, apply.exit(), apply.toString());
            assertTrue(proxy.readsAfterAssociate() >= 1, "\"associating\": the table is read until the association shows: " + proxy.actions);
            assertEquals(0, Cli.run(env, "plan", associating.toString(), "--detailed-exitcode").exit());

            assertEquals(0, Cli.run(env, "destroy", answered.toString(), "--auto-approve").exit());
            assertEquals(0, Cli.run(env, "destroy", associating.toString(), "--auto-approve").exit());
        }
    }
}
