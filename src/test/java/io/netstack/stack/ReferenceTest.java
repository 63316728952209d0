package io.netstack.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netstack.stack.Reference.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ReferenceTest {

    private static Reference whole(String s) {
        Optional<Reference> r = Reference.whole(s);
        assertTrue(r.isPresent(), s + " should be a whole reference");
        return r.get();
    }

    private static String invalid(String s) {
        return assertThrows(IllegalArgumentException.class, () -> Reference.whole(s)).getMessage();
    }

    @Test
    void resourceId() {
        assertEquals(new Reference(Kind.RESOURCE, null, "vpc", null), whole("${vpc}"));
        assertEquals(new Reference(Kind.RESOURCE, null, "public-a", null), whole("${public-a}"));
    }

    @Test
    void resourceAttribute() {
        Reference r = whole("${nat-ip.publicIp}");
        assertEquals(Kind.RESOURCE, r.kind());
        assertNull(r.stack());
        assertEquals("nat-ip", r.target());
        assertEquals("publicIp", r.attribute());
        assertEquals("defaultRouteTableId", whole("${vpc.defaultRouteTableId}").attribute());
        assertEquals("arn", whole("${vpc.arn}").attribute());
    }

    @Test
    void variable() {
        assertEquals(new Reference(Kind.VARIABLE, null, "env", null), whole("${var.env}"));
        assertEquals("vpc_cidr", whole("${var.vpc_cidr}").target());
    }

    @Test
    void environmentVariable() {
        assertEquals(new Reference(Kind.ENV, null, "VPN_PSK_1", null), whole("${env.VPN_PSK_1}"));
    }

    @Test
    void crossStackResource() {
        assertEquals(new Reference(Kind.STACK, "shared-net", "tgw", null), whole("${stack:shared-net/tgw}"));
    }

    @Test
    void crossStackAttribute() {
        assertEquals(new Reference(Kind.STACK, "shared-net", "nat-ip", "publicIp"), whole("${stack:shared-net/nat-ip.publicIp}"));
    }

    @Test
    void longestValidResourceId() {
        String id = "a" + "b".repeat(62);
        assertEquals(id, whole("${" + id + "}").target());
        String tooLong = id + "c";
        assertEquals("invalid reference ${" + tooLong + "}: '" + tooLong + "' is not a resource id", invalid("${" + tooLong + "}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"${vpc}", "${nat-ip.publicIp}", "${var.env}", "${env.PSK}", "${stack:other/vpc}", "${stack:other/nat-ip.publicIp}"})
    void toStringRoundTrips(String s) {
        assertEquals(s, whole(s).toString());
        assertEquals(whole(s), Reference.parseBody(s.substring(2, s.length() - 1)));
    }

    @Test
    void of() {
        assertEquals("${vpc}", Reference.of("vpc"));
        assertEquals(new Reference(Kind.RESOURCE, null, "vpc", null), whole(Reference.of("vpc")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"vpc", "", "vpc-0abc123", "prefix-${vpc}", "${vpc}-suffix", " ${vpc}", "${vpc} ", "${a}${b}",
            "${var.env}-web", "$vpc", "{vpc}", "$(vpc)", "${vpc", "10.0.0.0/16"})
    void nonWholeStringsAreNotReferences(String s) {
        assertEquals(Optional.empty(), Reference.whole(s));
    }

    @Test
    void nullIsNotAReference() {
        assertEquals(Optional.empty(), Reference.whole(null));
        assertFalse(Reference.containsReference(null));
    }

    @Test
    void containsReference() {
        assertTrue(Reference.containsReference("${vpc}"));
        assertTrue(Reference.containsReference("prefix-${var.env}-x"));
        assertFalse(Reference.containsReference("$vpc"));
        assertFalse(Reference.containsReference("vpc-0abc"));
    }

    @Test
    void anyFindsEveryEmbeddedReference() {
        Matcher m = Reference.ANY.matcher("${var.env}-${vpc}/${stack:o/x.arn}");
        List<String> bodies = new ArrayList<>();
        while (m.find()) bodies.add(m.group(1));
        assertEquals(List.of("var.env", "vpc", "stack:o/x.arn"), bodies);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "${Vpc}          | invalid reference ${Vpc}: 'Vpc' is not a resource id",
            "${1vpc}         | invalid reference ${1vpc}: '1vpc' is not a resource id",
            "${my_vpc}       | invalid reference ${my_vpc}: 'my_vpc' is not a resource id",
            "${-vpc}         | invalid reference ${-vpc}: '-vpc' is not a resource id",
            "${}             | invalid reference ${}: '' is not a resource id",
            "${.publicIp}    | invalid reference ${.publicIp}: '' is not a resource id",
            "${vpc id}       | invalid reference ${vpc id}: 'vpc id' is not a resource id",
            "${vpc.}         | invalid reference ${vpc.}: bad attribute name ''",
            "${vpc.public-ip} | invalid reference ${vpc.public-ip}: bad attribute name 'public-ip'",
            "${vpc.1st}      | invalid reference ${vpc.1st}: bad attribute name '1st'",
            "${vpc.a.b}      | invalid reference ${vpc.a.b}: bad attribute name 'a.b'",
            "${var.}         | invalid reference ${var.}: missing name",
            "${env.}         | invalid reference ${env.}: missing name",
            "${stack:vpc}    | cross-stack reference must be ${stack:<stack>/<id>}, got ${stack:vpc}",
            "${stack:/vpc}   | cross-stack reference must be ${stack:<stack>/<id>}, got ${stack:/vpc}",
            "${stack:other/} | invalid reference ${stack:other/}: '' is not a resource id",
            "${stack:other/Vpc} | invalid reference ${stack:other/Vpc}: 'Vpc' is not a resource id",
            "${stack:other/vpc.bad-attr} | invalid reference ${stack:other/vpc.bad-attr}: bad attribute name 'bad-attr'",
    })
    void invalidReferencesExplainWhy(String text, String message) {
        assertEquals(message, invalid(text));
    }

    @Test
    void crossStackReferenceWithInvalidStackNameIsRejected() {
        String msg = invalid("${stack:Shop_Prod/vpc}");
        assertTrue(msg.contains("Shop_Prod"), msg);
        invalid("${stack:shop prod/vpc}");
    }
}
