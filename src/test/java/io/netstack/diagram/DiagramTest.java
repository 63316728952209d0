package io.netstack.diagram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netstack.stack.ResourceBlock;
import io.netstack.stack.StackFile;
import io.netstack.stack.StackLoader;
import io.netstack.testing.Cli;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The three diagram formats, for every example stack, a generated 30-subnet stack and two linked stacks. */
class DiagramTest {
    static final Map<String, String> PRIVATELINK_VARS = Map.of(
            "nlbArn", "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/net/example/0123456789abcdef",
            "consumerAccount", "123456789012");

    static StackFile example(String name) {
        return StackLoader.load(Path.of("stacks", name), name.equals("privatelink.json") ? PRIVATELINK_VARS : Map.of());
    }

    static Stream<String> examples() throws Exception {
        try (Stream<Path> s = Files.list(Path.of("stacks"))) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")).sorted().toList().stream();
        }
    }

    static List<ResourceBlock> subnets(StackFile s) {
        return s.resources().values().stream().filter(b -> b.type().equals("subnet")).toList();
    }

    /** A box of the SVG: its rect (page coordinates) and its text lines. */
    record Box(String kind, double x, double y, double w, double h, List<String> texts) {
        boolean inside(Box o) {
            return x >= o.x && y >= o.y && x + w <= o.x + o.w + 0.01 && y + h <= o.y + o.h + 0.01;
        }

        boolean overlaps(Box o) {
            return x < o.x + o.w && o.x < x + w && y < o.y + o.h && o.y < y + h;
        }
    }

    static Map<String, Box> parseSvg(String svg) throws Exception {
        var f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        Document d = f.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        assertEquals("svg", d.getDocumentElement().getLocalName());
        Map<String, Box> boxes = new HashMap<>();
        NodeList gs = d.getElementsByTagNameNS("http://www.w3.org/2000/svg", "g");
        for (int i = 0; i < gs.getLength(); i++) {
            Element g = (Element) gs.item(i);
            if (!g.hasAttribute("data-id")) continue;
            Element r = (Element) g.getElementsByTagNameNS("*", "rect").item(0);
            List<String> texts = new ArrayList<>();
            NodeList ts = g.getElementsByTagNameNS("*", "text");
            for (int t = 0; t < ts.getLength(); t++) texts.add(ts.item(t).getTextContent());
            boxes.put(g.getAttribute("data-id"), new Box(g.getAttribute("class"), num(r, "x"), num(r, "y"), num(r, "width"), num(r, "height"), texts));
        }
        return boxes;
    }

    private static double num(Element e, String a) {
        return Double.parseDouble(e.getAttribute(a));
    }

    /** Every subnet is a box labelled with its id and CIDR, inside its zone's box, inside its VPC's box; no two subnets overlap. */
    static void assertSvgShowsSubnets(StackFile s, String svg) throws Exception {
        Map<String, Box> boxes = parseSvg(svg);
        List<Box> drawn = new ArrayList<>();
        for (ResourceBlock b : subnets(s)) {
            Box box = boxes.get(s.name() + "/" + b.id());
            assertNotNull(box, "subnet " + b.id() + " drawn");
            assertEquals("subnet", box.kind());
            assertEquals(b.id(), box.texts().get(0));
            assertEquals(b.properties().path("cidr").asText(), box.texts().get(1), "subnet " + b.id() + " labelled with its CIDR");
            String vpc = s.name() + "/" + b.properties().path("vpc").asText().replaceAll("[${}]", "");
            Box zone = boxes.get(vpc + "#" + b.properties().path("zone").asText());
            assertNotNull(zone, "zone box of " + b.id());
            assertTrue(box.inside(zone), b.id() + " inside its zone");
            assertTrue(zone.inside(boxes.get(vpc)), "zone inside its VPC");
            for (Box other : drawn) assertFalse(box.overlaps(other), b.id() + " overlaps another subnet");
            drawn.add(box);
        }
    }

    @ParameterizedTest
    @MethodSource("examples")
    void everyExampleInEveryFormatShowsEverySubnet(String name) throws Exception {
        StackFile s = example(name);
        NetworkModel m = NetworkModel.of(List.of(s));
        assertSvgShowsSubnets(s, SvgWriter.write(m, name));
        String mmd = MermaidWriter.write(m), dot = DotWriter.write(m, name);
        assertTrue(mmd.startsWith("flowchart LR\n"));
        assertEquals(count(mmd, "subgraph "), count(mmd, " end\n"), "balanced subgraphs");
        assertEquals(count(dot, "{"), count(dot, "}"), "balanced DOT braces");
        for (ResourceBlock b : subnets(s)) {
            String cidr = b.properties().path("cidr").asText();
            assertTrue(mmd.contains("[\"" + b.id() + "<br/>" + cidr), name + ": mermaid node of " + b.id());
            assertTrue(dot.contains("label=\"" + b.id() + "\\n" + cidr), name + ": DOT node of " + b.id());
        }
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) n++;
        return n;
    }

    @Test
    void threeTierRoutesAreEdgesFromSubnetsToTargetsInEveryFormat() throws Exception {
        StackFile s = example("three-tier.json");
        NetworkModel m = NetworkModel.of(List.of(s));
        // net-public-a → net-igw (both default routes on one edge), net-private-a → net-nat-a, net-private-b → net-eigw; db subnets: no route out
        assertEquals(List.of("0.0.0.0/0, ::/0"), labels(m, "three-tier/net-public-a", "three-tier/net-igw"));
        assertEquals(List.of("0.0.0.0/0"), labels(m, "three-tier/net-private-a", "three-tier/net-nat-a"));
        assertEquals(List.of("::/0"), labels(m, "three-tier/net-private-b", "three-tier/net-eigw"));
        assertTrue(m.edges().stream().noneMatch(e -> e.from().startsWith("three-tier/db-subnet-")), "db subnets route nowhere");
        assertEquals("three-tier/net-vpc#eu-west-1a", m.node("three-tier/net-nat-a").parent(), "a NAT gateway sits in its subnet's zone");
        assertEquals("three-tier/net-vpc", m.node("three-tier/net-igw").parent(), "gateways sit in the VPC, beside the zones");

        String mmd = MermaidWriter.write(m);
        Matcher mm = Pattern.compile("(n\\d+)\\[\"net-private-a<br/>").matcher(mmd);
        assertTrue(mm.find());
        Matcher nat = Pattern.compile("(n\\d+)\\[\"net-nat-a<br/>").matcher(mmd);
        assertTrue(nat.find());
        assertTrue(mmd.contains(mm.group(1) + " -->|\"0.0.0.0/0\"| " + nat.group(1)), mmd);

        String dot = DotWriter.write(m, "three-tier");
        assertTrue(dot.contains("label=\"0.0.0.0/0, ::/0\""), dot);
        assertTrue(Pattern.compile("subgraph cluster_n\\d+ \\{\\n\\s+label=\"eu-west-1a\"").matcher(dot).find(), "zones are clusters");

        String svg = SvgWriter.write(m, "three-tier");
        Map<String, Box> boxes = parseSvg(svg);
        assertTrue(boxes.get("three-tier/net-igw").inside(boxes.get("three-tier/net-vpc")));
        assertFalse(boxes.get("ext:internet").inside(boxes.get("region:eu-west-1")), "the Internet is outside the region");
        assertEquals(m.edges().size(), count(svg, "<g class=\"edge "), "one drawn edge per link");
    }

    private static List<String> labels(NetworkModel m, String from, String to) {
        return m.edges().stream().filter(e -> e.from().equals(from) && e.to().equals(to)).map(NetworkModel.Edge::label).toList();
    }

    @Test
    void readmeDiagramIsCurrent() throws Exception {
        String svg = SvgWriter.write(NetworkModel.of(List.of(example("three-tier.json"))), "netstack diagram: three-tier (eu-west-1)");
        assertEquals(svg, Files.readString(Path.of("docs/diagrams/three-tier.svg")),
                "docs/diagrams/three-tier.svg is stale: regenerate it with `scripts/netstack diagram stacks/three-tier.json -o docs/diagrams/three-tier.svg`");
    }

    @Test
    void aRouteOverAPeeringGoesToThePeerVpc() {
        NetworkModel m = NetworkModel.of(List.of(example("peering.json")));
        assertEquals(List.of("10.40.0.0/16 via app-to-data"), labels(m, "peering/app-a", "peering/data"));
        assertEquals(List.of("10.30.0.0/16 via app-to-data"), labels(m, "peering/data-b", "peering/app"));
        assertTrue(m.nodes().stream().noneMatch(n -> n.key().equals("ext:app-to-data")), "the peering is no box");
    }

    /** 3 zones × 10 tiers: the size the issue asks to stay readable. */
    static String bigStack(int tiers) {
        StringBuilder r = new StringBuilder("{\"stack\":\"big\",\"region\":\"us-east-1\",\"resources\":{"
                + "\"vpc\":{\"type\":\"vpc\",\"cidr\":\"10.60.0.0/16\"},\"igw\":{\"type\":\"internet-gateway\",\"vpc\":\"${vpc}\"}");
        for (String z : List.of("a", "b", "c")) {
            List<String> priv = new ArrayList<>();
            for (int t = 0; t < tiers; t++) {
                String id = "t" + t + "-" + z;
                r.append(",\"").append(id).append("\":{\"type\":\"subnet\",\"vpc\":\"${vpc}\",\"cidr\":\"10.60.").append(t * 10 + z.charAt(0) - 'a')
                        .append(".0/24\",\"zone\":\"us-east-1").append(z).append("\"}");
                if (t > 0) priv.add("\"${" + id + "}\"");
            }
            r.append(",\"ip-").append(z).append("\":{\"type\":\"elastic-ip\"}");
            r.append(",\"nat-").append(z).append("\":{\"type\":\"nat-gateway\",\"subnet\":\"${t0-").append(z).append("}\",\"eip\":\"${ip-").append(z).append("}\"}");
            r.append(",\"rt-").append(z).append("\":{\"type\":\"route-table\",\"vpc\":\"${vpc}\",\"subnets\":[").append(String.join(",", priv))
                    .append("],\"routes\":[{\"destination\":\"0.0.0.0/0\",\"target\":\"${nat-").append(z).append("}\"}]}");
        }
        r.append(",\"public\":{\"type\":\"route-table\",\"vpc\":\"${vpc}\",\"subnets\":[\"${t0-a}\",\"${t0-b}\",\"${t0-c}\"],"
                + "\"routes\":[{\"destination\":\"0.0.0.0/0\",\"target\":\"${igw}\"}]}}}");
        return r.toString();
    }

    @Test
    void thirtySubnetsAreAllLabelledAndNoneOverlap() throws Exception {
        StackFile s = StackLoader.parse("big.json", bigStack(10), Map.of());
        assertEquals(30, subnets(s).size());
        NetworkModel m = NetworkModel.of(List.of(s));
        String svg = SvgWriter.write(m, "big");
        assertSvgShowsSubnets(s, svg);
        // one label per (target, destinations): 27 subnets route 0.0.0.0/0 to 3 NAT gateways, 3 public subnets to the IGW
        assertEquals(4, count(svg, ">0.0.0.0/0</text>"), "repeated route labels are drawn once per target");
    }

    @Test
    void linksBetweenStacksJoinTheirVpcs(@TempDir Path dir) throws Exception {
        StackFile a = StackLoader.parse("a.json", "{\"stack\":\"net-a\",\"region\":\"eu-west-1\",\"resources\":{"
                + "\"vpc\":{\"type\":\"vpc\",\"cidr\":\"10.1.0.0/16\"},"
                + "\"s1\":{\"type\":\"subnet\",\"vpc\":\"${vpc}\",\"cidr\":\"10.1.1.0/24\",\"zone\":\"eu-west-1a\"}}}", Map.of());
        StackFile b = StackLoader.parse("b.json", "{\"stack\":\"net-b\",\"region\":\"eu-west-1\",\"resources\":{"
                + "\"vpc\":{\"type\":\"vpc\",\"cidr\":\"10.2.0.0/16\"},"
                + "\"s1\":{\"type\":\"subnet\",\"vpc\":\"${vpc}\",\"cidr\":\"10.2.1.0/24\",\"zone\":\"eu-west-1a\"},"
                + "\"to-a\":{\"type\":\"vpc-peering\",\"vpc\":\"${vpc}\",\"peerVpc\":\"${stack:net-a/vpc}\"}}}", Map.of());
        NetworkModel m = NetworkModel.of(List.of(a, b));
        assertEquals(List.of("peering to-a"), labels(m, "net-b/vpc", "net-a/vpc"));
        assertEquals(1, m.nodes().stream().filter(n -> n.kind() == NetworkModel.Kind.REGION).count(), "one region box for both stacks");
        Map<String, Box> boxes = parseSvg(SvgWriter.write(m, "two"));
        assertFalse(boxes.get("net-a/vpc").overlaps(boxes.get("net-b/vpc")));
        // alone, the peer is another stack's VPC: drawn as an outside box, not dropped
        NetworkModel alone = NetworkModel.of(List.of(b));
        assertEquals(List.of("peering to-a"), labels(alone, "net-b/vpc", "ext:net-a/vpc"));
    }

    @Test
    void cliWritesTheFormatOfTheExtension(@TempDir Path dir) throws Exception {
        for (String ext : List.of("svg", "mmd", "dot")) {
            Path out = dir.resolve("tt." + ext);
            Cli.Result r = Cli.run(Map.of(), "diagram", "stacks/three-tier.json", "-o", out.toString());
            assertEquals(0, r.exit(), r.all());
            String text = Files.readString(out);
            assertTrue(switch (ext) {
                case "svg" -> text.contains("<svg ");
                case "mmd" -> text.startsWith("flowchart LR");
                default -> text.startsWith("digraph ");
            }, ext + ": " + text.substring(0, Math.min(80, text.length())));
        }
        Cli.Result bad = Cli.run(Map.of(), "diagram", "stacks/three-tier.json", "-o", dir.resolve("tt.png").toString());
        assertEquals(3, bad.exit(), bad.all());
        assertTrue(bad.err().contains(".svg, .mmd or .dot"), bad.all());
    }
}
