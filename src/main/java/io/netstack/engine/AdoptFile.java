package io.netstack.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sidecar {@code netstack import} writes beside the stack file ({@code FILE.adopt.json}):
 * which AWS object each resource of the file is. The stack file itself holds no literal id of an
 * imported object (references only), so {@code adopt} needs this to find the objects it tags; once
 * they carry their ownership tags the tags are the link, and the sidecar can go.
 *
 * @param vpcs      the VPCs import read (adopt reads them again, the same way)
 * @param resources logical id → type and AWS id
 */
public record AdoptFile(String stack, String region, List<String> vpcs, Map<String, Entry> resources) {
    public static final String SUFFIX = ".adopt.json";
    static final int VERSION = 1;

    public record Entry(String type, String awsId) {}

    public static Path beside(Path stackFile) {
        return stackFile.resolveSibling(stackFile.getFileName() + SUFFIX);
    }

    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("netstackAdopt", VERSION);
        o.put("stack", stack);
        o.put("region", region);
        vpcs.forEach(o.putArray("vpcs")::add);
        ObjectNode r = o.putObject("resources");
        resources.forEach((id, e) -> r.putObject(id).put("type", e.type()).put("awsId", e.awsId()));
        return o;
    }

    public void write(Path file) throws IOException {
        Files.writeString(file, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(toJson()) + "\n");
    }

    /** @throws IllegalArgumentException naming the file and what is wrong with it */
    public static AdoptFile read(Path file) {
        JsonNode o;
        try {
            o = Json.MAPPER.readTree(Files.readString(file));
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IllegalArgumentException(file + ": not found (netstack import writes it beside the stack file; adopt needs it to know which AWS object each resource is)");
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage());
        }
        if (o == null || !o.isObject() || o.path("netstackAdopt").asInt() != VERSION || !o.path("resources").isObject()) {
            throw new IllegalArgumentException(file + ": not an adopt file written by netstack import");
        }
        List<String> vpcs = new ArrayList<>();
        o.path("vpcs").forEach(v -> vpcs.add(v.asText()));
        Map<String, Entry> resources = new LinkedHashMap<>();
        o.get("resources").fields().forEachRemaining(e -> {
            String type = e.getValue().path("type").asText(null), awsId = e.getValue().path("awsId").asText(null);
            if (type == null || awsId == null) throw new IllegalArgumentException(file + ": resource " + e.getKey() + " needs a type and an awsId");
            resources.put(e.getKey(), new Entry(type, awsId));
        });
        return new AdoptFile(o.path("stack").asText(), o.path("region").asText(), vpcs, resources);
    }
}
