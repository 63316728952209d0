package io.netstack.analysis;

import io.netstack.api.Netstack;
import io.netstack.stack.StackFile;
import io.netstack.stack.StackLoader;
import java.net.URI;
import java.util.List;
import java.util.Map;

/** Test stacks for the analysis: loaded and validated like the CLI does (no AWS call), then modelled. */
final class Stacks {
    private Stacks() {}

    /**
     * A VPC with a public subnet (internet route, NAT gateway in eu-west-1a) and two private subnets:
     * priv-a routes to that NAT gateway, priv-b (eu-west-1b) is in no table. {@code %EXTRA%} adds
     * resources, {@code %TOP%} top-level keys.
     */
    static final String BASE = """
            {
              "stack": "t",
              "region": "eu-west-1",
              "resources": {
                "vpc": { "type": "vpc", "cidr": "10.0.0.0/16", "dnsHostnames": true, "defaultSecurityGroup": {} },
                "igw": { "type": "internet-gateway", "vpc": "${vpc}" },
                "pub-a": { "type": "subnet", "vpc": "${vpc}", "cidr": "10.0.0.0/24", "zone": "eu-west-1a", "mapPublicIp": true },
                "priv-a": { "type": "subnet", "vpc": "${vpc}", "cidr": "10.0.10.0/24", "zone": "eu-west-1a" },
                "priv-b": { "type": "subnet", "vpc": "${vpc}", "cidr": "10.0.11.0/24", "zone": "eu-west-1b" },
                "eip": { "type": "elastic-ip" },
                "nat-a": { "type": "nat-gateway", "subnet": "${pub-a}", "eip": "${eip}" },
                "pub-rt": { "type": "route-table", "vpc": "${vpc}", "subnets": ["${pub-a}"],
                            "routes": [ { "destination": "0.0.0.0/0", "target": "${igw}" } ] },
                "priv-rt-a": { "type": "route-table", "vpc": "${vpc}", "subnets": ["${priv-a}"],
                               "routes": [ { "destination": "0.0.0.0/0", "target": "${nat-a}" } ] }%EXTRA%
              }%TOP%
            }
            """;

    static String base(String extraResources) {
        return base(extraResources, "");
    }

    static String base(String extraResources, String extraTop) {
        return BASE.replace("%EXTRA%", extraResources.isEmpty() ? "" : ",\n" + extraResources).replace("%TOP%", extraTop.isEmpty() ? "" : ",\n" + extraTop);
    }

    static StackFile load(String text) {
        StackFile s = StackLoader.parse("t.json", text, Map.of());
        try (Netstack ns = Netstack.forEndpoint(URI.create("http://127.0.0.1:9"))) {
            ns.validate(s);
        }
        return s;
    }

    /** Several stacks analysed together (their names must differ), each file named after its stack. */
    static NetworkModel model(String... texts) {
        List<StackFile> files = new java.util.ArrayList<>();
        for (String t : texts) {
            StackFile s = StackLoader.parse("t.json", t, Map.of());
            files.add(load(t, s.name() + ".json"));
        }
        return NetworkModel.of(files);
    }

    static StackFile load(String text, String file) {
        StackFile s = StackLoader.parse(file, text, Map.of());
        try (Netstack ns = Netstack.forEndpoint(URI.create("http://127.0.0.1:9"))) {
            ns.validate(s);
        }
        return s;
    }

    static NetworkModel model(String text) {
        return NetworkModel.of(List.of(load(text)));
    }

    /** 1-based line of the first occurrence of {@code token}. */
    static int lineOf(String text, String token) {
        int i = text.indexOf(token);
        if (i < 0) throw new IllegalArgumentException(token + " not in text");
        return (int) text.substring(0, i).chars().filter(c -> c == '\n').count() + 1;
    }
}
