package io.netstack.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netstack.provider.AwsProvider;
import io.netstack.provider.AwsSession;
import io.netstack.provider.AwsSettings;
import io.netstack.spi.LiveResource;
import io.netstack.spi.Ownership;
import io.netstack.stack.StackFile;
import io.netstack.stack.StackLoader;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * {@link Importer} and {@link Adopter} offline, with the real type registry (its session points at a
 * closed port: nothing here calls AWS): names, references, defaults, key order, cycles, refusals.
 */
class ImporterTest {
    static final AwsSession SESSION = new AwsSession(AwsSettings.of("eu-west-1", URI.create("http://127.0.0.1:9")));
    static final AwsProvider TYPES = new AwsProvider(SESSION);

    @AfterAll
    static void close() {
        SESSION.close();
    }

    static ObjectNode json(String s) {
        try {
            return (ObjectNode) Json.MAPPER.readTree(s.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    static LiveResource obj(String type, String awsId, String props) {
        return new LiveResource(awsId, type, awsId, json(props), Map.of());
    }

    /** A VPC as the vpc type reads it (defaults filled), whose main route table routes to its own gateway. */
    static List<LiveResource> network() {
        List<LiveResource> l = new ArrayList<>();
        l.add(obj("vpc", "vpc-1", "{'cidr':'10.0.0.0/16','secondaryCidrs':[],'ipv6':false,'dnsSupport':true,'dnsHostnames':true,'tenancy':'default',"
                + "'mainRouteTable':{'routes':[{'destination':'0.0.0.0/0','target':'igw-1'}]},'tags':{'Name':'Shop VPC'}}"));
        l.add(obj("internet-gateway", "igw-1", "{'vpc':'vpc-1','tags':{}}"));
        l.add(obj("subnet", "subnet-1", "{'vpc':'vpc-1','cidr':'10.0.1.0/24','zone':'eu-west-1a','ipv6Native':false,'mapPublicIp':true,'tags':{'Name':'10 public'}}"));
        l.add(obj("subnet", "subnet-2", "{'vpc':'vpc-1','cidr':'10.0.2.0/24','zone':'eu-west-1b','ipv6Native':false,'mapPublicIp':false,'tags':{}}"));
        l.add(obj("subnet", "subnet-3", "{'vpc':'vpc-1','cidr':'10.0.3.0/24','zone':'eu-west-1b','ipv6Native':false,'mapPublicIp':false,'tags':{'Name':'app'}}"));
        l.add(obj("security-group", "sg-1", "{'vpc':'vpc-1','name':'app','description':'app tier','ingress':[{'protocol':'tcp','ports':'80','from':'sg-1'},"
                + "{'protocol':'tcp','ports':'443','from':'sg-other'}],'egress':[{'protocol':'all','ports':'all','to':'0.0.0.0/0'}],'tags':{}}"));
        l.add(obj("elastic-ip", "eipalloc-1", "{'tags':{}}"));
        l.add(obj("nat-gateway", "nat-1", "{'subnet':'subnet-2','connectivity':'public','eip':'eipalloc-1','tags':{}}"));
        return l;
    }

    @Test
    void namesReferencesDefaultsOrderAndCycles() {
        Importer.Result r = Importer.build("shop", "eu-west-1", List.of("vpc-1"), TYPES, network());
        JsonNode res = r.stack().get("resources");
        String text = r.stack().toString();
        // ids: sanitised Name tags, unique; else type + zone letter (of the object, or of the subnet it names)
        assertEquals(List.of("shop-vpc", "subnet-10-public", "app", "subnet-b", "app-2", "internet-gateway", "elastic-ip", "nat-gateway-b"),
                names(res), text);
        assertEquals("subnet", res.get("app").get("type").asText(), "the subnet named app sorts before the group named app: " + text);
        // references between imported objects; the self-reference of a group; a literal id for what stays outside
        assertEquals("${shop-vpc}", res.get("subnet-b").get("vpc").asText());
        assertEquals("${subnet-b}", res.get("nat-gateway-b").get("subnet").asText());
        assertEquals("${elastic-ip}", res.get("nat-gateway-b").get("eip").asText());
        assertEquals("${app-2}", res.get("app-2").get("ingress").get(0).get("from").asText());
        assertEquals("sg-other", res.get("app-2").get("ingress").get(1).get("from").asText());
        for (String id : List.of("vpc-1", "igw-1", "subnet-1", "subnet-2", "subnet-3", "sg-1", "eipalloc-1", "nat-1")) {
            assertFalse(text.contains("\"" + id + "\""), id + " written literally: " + text);
        }
        // defaults left out: dnsSupport true, mapPublicIp false, the default egress, empty tags, connectivity public
        assertFalse(res.get("shop-vpc").has("dnsSupport"), text);
        assertTrue(res.get("shop-vpc").get("dnsHostnames").asBoolean(), text);
        assertFalse(res.get("subnet-b").has("mapPublicIp"), text);
        assertTrue(res.get("subnet-10-public").get("mapPublicIp").asBoolean(), text);
        assertFalse(res.get("app-2").has("egress"), text);
        assertFalse(res.get("internet-gateway").has("tags"), text);
        assertFalse(res.get("nat-gateway-b").has("connectivity"), text);
        // keys: type first, then the schema's order
        List<String> keys = new ArrayList<>();
        res.get("subnet-10-public").fieldNames().forEachRemaining(keys::add);
        assertEquals(List.of("type", "vpc", "cidr", "zone", "mapPublicIp", "tags"), keys);
        // the main route table routes to the VPC's own gateway: a cycle, so it is left out, with a note
        assertFalse(res.get("shop-vpc").has("mainRouteTable"), text);
        assertEquals(1, r.notes().size(), r.notes().toString());
        assertTrue(r.notes().get(0).startsWith("shop-vpc.mainRouteTable is left out"), r.notes().toString());
        // the adopt file maps every id to its object
        assertEquals("nat-1", r.adopt().resources().get("nat-gateway-b").awsId());
        assertEquals(8, r.adopt().resources().size());
    }

    @Test
    void secretsBecomeEnvironmentPlaceholders() {
        List<LiveResource> l = new ArrayList<>(network().subList(0, 2));
        l.add(obj("vpn-gateway", "vgw-1", "{'vpc':'vpc-1','amazonAsn':64512,'tags':{'Name':'onprem'}}"));
        l.add(obj("customer-gateway", "cgw-1", "{'ip':'203.0.113.10','bgpAsn':65000,'tags':{'Name':'office'}}"));
        // as the translator reads it: AWS's keys are kept out of properties (an in-memory MAC at most)
        l.add(obj("vpn-connection", "vpn-1", "{'customerGateway':'cgw-1','vpnGateway':'vgw-1','staticRoutesOnly':true,'routes':['192.168.0.0/16'],"
                + "'tunnels':[{'insideCidr':'169.254.10.0/30'},{'insideCidr':'169.254.11.0/30'}],'tags':{'Name':'office-vpn'}}"));
        Importer.Result r = Importer.build("shop", "eu-west-1", List.of("vpc-1"), TYPES, l);
        JsonNode vpn = r.stack().get("resources").get("office-vpn");
        assertEquals("${env.OFFICE_VPN_TUNNELS_1_PRESHAREDKEY}", vpn.get("tunnels").get(0).get("preSharedKey").asText(), r.stack().toString());
        assertEquals("${env.OFFICE_VPN_TUNNELS_2_PRESHAREDKEY}", vpn.get("tunnels").get(1).get("preSharedKey").asText(), r.stack().toString());
        assertEquals("${office}", vpn.get("customerGateway").asText());
        assertEquals("${onprem}", vpn.get("vpnGateway").asText());
    }

    @Test
    void objectsOfAStackAreRefusedNamingIt() {
        List<LiveResource> l = network();
        LiveResource s = l.get(2);
        l.set(2, new LiveResource(s.id(), s.type(), s.awsId(), s.properties(), Map.of(Ownership.STACK_TAG, "billing")));
        Importer.ImportException e = assertThrows(Importer.ImportException.class, () -> Importer.build("shop", "eu-west-1", List.of("vpc-1"), TYPES, l));
        assertTrue(e.getMessage().contains("subnet subnet-1 belongs to netstack stack \"billing\""), e.getMessage());
    }

    @Test
    void adoptTagsOnlyAndRefusesAnythingElse() throws Exception {
        Importer.Result r = Importer.build("shop", "eu-west-1", List.of("vpc-1"), TYPES, network());
        StackFile stack = StackLoader.parse("shop.json", Json.MAPPER.writeValueAsString(r.stack()), Map.of());
        Adopter.Adoption a = Adopter.plan(stack, r.adopt(), network(), TYPES);
        assertFalse(a.refused(), a.refusals().toString());
        assertEquals(8, a.toTag());
        Adopter.Item nat = a.items().stream().filter(i -> i.id().equals("nat-gateway-b")).findFirst().orElseThrow();
        assertEquals(Map.of("netstack:stack", "shop", "netstack:id", "nat-gateway-b", "Name", "shop/nat-gateway-b"), nat.tags(),
                "the tags a create sets, Name only where the object has none");
        Adopter.Item vpc = a.items().stream().filter(i -> i.id().equals("shop-vpc")).findFirst().orElseThrow();
        assertEquals(Map.of("netstack:stack", "shop", "netstack:id", "shop-vpc"), vpc.tags(), "a Name is kept");

        String edited = Json.MAPPER.writeValueAsString(r.stack()).replace("\"10.0.2.0/24\"", "\"10.0.4.0/24\"").replace("\"dnsHostnames\":true", "\"dnsHostnames\":false");
        Adopter.Adoption no = Adopter.plan(StackLoader.parse("shop.json", edited, Map.of()), r.adopt(), network(), TYPES);
        assertTrue(no.refused());
        assertTrue(no.items().isEmpty(), "nothing to tag when refused");
        String why = String.join("\n", no.refusals());
        assertTrue(why.contains("subnet-b would be replaced (cidr is create-only)"), why);
        assertTrue(why.contains("shop-vpc.dnsHostnames would change: AWS has true, the file says false"), why);

        List<LiveResource> owned = network();
        LiveResource g = owned.get(5);
        owned.set(5, new LiveResource(g.id(), g.type(), g.awsId(), g.properties(), Map.of(Ownership.STACK_TAG, "other")));
        Adopter.Adoption taken = Adopter.plan(stack, r.adopt(), owned, TYPES);
        assertTrue(String.join("\n", taken.refusals()).contains("app-2: security-group sg-1 belongs to netstack stack \"other\""), taken.refusals().toString());
    }

    private static List<String> names(JsonNode res) {
        List<String> out = new ArrayList<>();
        res.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
