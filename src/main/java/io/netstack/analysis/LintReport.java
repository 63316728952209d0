package io.netstack.analysis;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netstack.engine.Json;
import java.nio.file.Path;
import java.util.List;

/** The three renderings of lint findings: text for people, JSON for scripts, SARIF 2.1.0 for code scanning. */
public final class LintReport {
    static final String SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
    /** netstack has no public web page yet: rules point at the README section instead of a URI. */
    static final String HELP = "See README.md, \"Lint and reachability\", for every rule and how to silence one (lintIgnore).";

    private LintReport() {}

    /** One line per finding, compiler style, then a count. */
    public static String text(List<Finding> findings) {
        StringBuilder sb = new StringBuilder();
        for (Finding f : findings) {
            sb.append(f.location()).append(": ").append(f.severity()).append(": ").append(f.message())
                    .append(" [").append(f.rule().id()).append(' ').append(f.rule().name()).append("]\n");
        }
        sb.append(findings.isEmpty() ? "no findings" : findings.size() + (findings.size() == 1 ? " finding" : " findings")).append('\n');
        return sb.toString();
    }

    /** {@code {"findings": [{"rule", "severity", "id", "message", "file", "line", "column"}]}}. */
    public static ObjectNode json(List<Finding> findings) {
        ObjectNode root = Json.object();
        ArrayNode arr = root.putArray("findings");
        for (Finding f : findings) {
            arr.addObject().put("rule", f.rule().id()).put("severity", f.severity()).put("id", f.id()).put("message", f.message())
                    .put("file", f.location().file()).put("line", f.location().line()).put("column", f.location().column());
        }
        return root;
    }

    /**
     * SARIF 2.1.0 with one run. Artifact URIs are relative to the working directory with forward
     * slashes: GitHub code scanning matches them against repository paths to annotate the PR.
     */
    public static ObjectNode sarif(List<Finding> findings, String version) {
        ObjectNode root = Json.object();
        root.put("$schema", SARIF_SCHEMA);
        root.put("version", "2.1.0");
        ObjectNode run = root.putArray("runs").addObject();
        ObjectNode driver = run.putObject("tool").putObject("driver");
        driver.put("name", "netstack").put("version", version);
        ArrayNode rules = driver.putArray("rules");
        for (Rules.Rule r : Rules.ALL) {
            ObjectNode o = rules.addObject().put("id", r.id()).put("name", r.name());
            o.putObject("shortDescription").put("text", r.name());
            o.putObject("fullDescription").put("text", r.description() + (r.alsoKnownAs().isEmpty() ? "" : " (" + r.alsoKnownAs() + ")"));
            o.putObject("defaultConfiguration").put("level", r.severity());
            o.putObject("help").put("text", HELP);
        }
        ArrayNode results = run.putArray("results");
        for (Finding f : findings) {
            ObjectNode o = results.addObject().put("ruleId", f.rule().id()).put("ruleIndex", Rules.ALL.indexOf(f.rule())).put("level", f.severity());
            o.putObject("message").put("text", f.message());
            ObjectNode phys = o.putArray("locations").addObject().putObject("physicalLocation");
            phys.putObject("artifactLocation").put("uri", uri(f.location().file()));
            if (f.location().line() > 0) phys.putObject("region").put("startLine", f.location().line()).put("startColumn", Math.max(1, f.location().column()));
            o.putObject("properties").put("resource", f.id());
        }
        return root;
    }

    static String uri(String file) {
        Path p = Path.of(file);
        if (p.isAbsolute()) {
            Path cwd = Path.of("").toAbsolutePath();
            if (p.startsWith(cwd)) p = cwd.relativize(p);
        }
        return p.normalize().toString().replace('\\', '/');
    }
}
