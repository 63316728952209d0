package io.netstack.cost;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Hourly list prices per region, with the date they were read and where from.
 *
 * @param usage resource type → the usage-dependent (per-GB, per-client) charges it also incurs
 */
public record PriceTable(String date, String source, String currency, int hoursPerMonth,
                         Map<String, Map<String, BigDecimal>> regions, Map<String, String> usage) {

    /** The hourly rates every region must give. */
    public static final List<String> RATES = List.of("natGatewayHour", "publicIpv4Hour", "tgwAttachmentHour", "tgwPeeringAttachmentHour",
            "interfaceEndpointAzHour", "gwlbEndpointAzHour", "vpnConnectionHour", "clientVpnAssociationHour");

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** The table shipped in the jar. */
    public static PriceTable shipped() {
        try (InputStream in = PriceTable.class.getResourceAsStream("prices.json")) {
            if (in == null) throw new IllegalStateException("prices.json is missing from the netstack jar");
            return parse(MAPPER.readTree(in), "the shipped price table");
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the shipped price table: " + e.getMessage(), e);
        }
    }

    /** A user's table ({@code --prices FILE}), in the shipped table's format; errors name the file. */
    public static PriceTable load(Path file) {
        JsonNode root;
        try {
            root = MAPPER.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read the price table: " + e.getMessage());
        }
        return parse(root, file.toString());
    }

    static PriceTable parse(JsonNode root, String name) {
        if (root == null || !root.isObject()) throw new IllegalArgumentException(name + ": a price table is a JSON object");
        String date = text(root, "date", name), source = text(root, "source", name);
        String currency = root.path("currency").asText("USD");
        int hours = root.path("hoursPerMonth").asInt(730);
        if (hours <= 0 || hours > 744) throw new IllegalArgumentException(name + ": hoursPerMonth must be between 1 and 744");
        Map<String, Map<String, BigDecimal>> regions = new TreeMap<>();
        JsonNode rs = root.path("regions");
        if (!rs.isObject() || rs.isEmpty()) throw new IllegalArgumentException(name + ": \"regions\" must map region names to hourly rates");
        rs.fields().forEachRemaining(e -> {
            Map<String, BigDecimal> rates = new LinkedHashMap<>();
            for (String k : RATES) {
                JsonNode v = e.getValue().get(k);
                if (v == null || !v.isNumber() || v.decimalValue().signum() < 0)
                    throw new IllegalArgumentException(name + ": regions." + e.getKey() + "." + k + " must be a non-negative number (USD per hour)");
                rates.put(k, v.decimalValue());
            }
            regions.put(e.getKey(), Map.copyOf(rates));
        });
        Map<String, String> usage = new TreeMap<>();
        root.path("usage").fields().forEachRemaining(e -> usage.put(e.getKey(), e.getValue().asText()));
        return new PriceTable(date, source, currency, hours, Map.copyOf(regions), Map.copyOf(usage));
    }

    private static String text(JsonNode root, String key, String name) {
        JsonNode v = root.get(key);
        if (v == null || !v.isTextual() || v.asText().isBlank()) throw new IllegalArgumentException(name + ": \"" + key + "\" is required (a price table says when and where its prices were read)");
        return v.asText();
    }

    /** The region's rates; fails naming the regions the table has. */
    public Map<String, BigDecimal> region(String region) {
        Map<String, BigDecimal> r = regions.get(region);
        if (r == null) throw new IllegalArgumentException("no prices for region " + region + " in the price table of " + date + " (it has "
                + String.join(", ", regions.keySet()) + "); pass --prices FILE with that region");
        return r;
    }
}
