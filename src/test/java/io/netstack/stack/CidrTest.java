package io.netstack.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CidrTest {

    private static Cidr c(String s) {
        return Cidr.parse(s);
    }

    private static String error(String s) {
        return assertThrows(IllegalArgumentException.class, () -> Cidr.parse(s)).getMessage();
    }

    @Nested
    class ParseIpv4 {
        @Test
        void parsesNetworkAndPrefix() {
            Cidr cidr = c("10.20.0.0/16");
            assertFalse(cidr.ipv6());
            assertEquals(BigInteger.valueOf(10L << 24 | 20L << 16), cidr.network());
            assertEquals(16, cidr.prefix());
            assertEquals(32, cidr.bits());
            assertEquals("10.20.0.0/16", cidr.toString());
        }

        @ParameterizedTest
        @ValueSource(strings = {"0.0.0.0/0", "10.0.0.0/8", "172.16.0.0/12", "192.168.1.0/24", "10.0.0.5/32", "255.255.255.255/32", "100.64.0.0/10"})
        void roundTripsValidBlocks(String s) {
            assertEquals(s, c(s).toString());
        }

        @Test
        void equalBlocksAreEqualRecords() {
            assertEquals(c("10.0.0.0/16"), c("10.0.0.0/16"));
            assertFalse(c("10.0.0.0/16").equals(c("10.0.0.0/17")));
        }

        @Test
        void hostBitsSetIsRejectedWithTheFixedBlockSuggested() {
            assertEquals("'10.0.0.1/16' has host bits set (did you mean 10.0.0.0/16?)", error("10.0.0.1/16"));
            assertEquals("'10.20.30.40/20' has host bits set (did you mean 10.20.16.0/20?)", error("10.20.30.40/20"));
            assertEquals("'192.168.1.1/0' has host bits set (did you mean 0.0.0.0/0?)", error("192.168.1.1/0"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"256.0.0.0/8", "10.0.0.256/32", "10.300.0.0/16", "999.999.999.999/32"})
        void octetAbove255IsRejected(String s) {
            assertEquals("'" + s + "' is not a valid IPv4 CIDR block", error(s));
        }

        @Test
        void prefixLongerThan32IsRejected() {
            assertEquals("'10.0.0.0/33': prefix length /33 is larger than /32", error("10.0.0.0/33"));
            assertEquals("'10.0.0.0/99': prefix length /99 is larger than /32", error("10.0.0.0/99"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"10.0.0/16", "10.0.0.0", "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/100", "10.0.0.0.0/8",
                " 10.0.0.0/8", "10.0.0.0/8 ", "a.b.c.d/8", "", "/8", "10.0.0.0/16/16", "1000.0.0.0/8"})
        void malformedTextIsRejected(String s) {
            assertEquals("'" + s + "' is not a valid CIDR block", error(s));
        }

        @Test
        void nullIsRejected() {
            assertEquals("missing CIDR", error(null));
        }
    }

    @Nested
    class ParseIpv6 {
        @Test
        void parsesNetworkAndPrefix() {
            Cidr cidr = c("2001:db8::/32");
            assertTrue(cidr.ipv6());
            assertEquals(new BigInteger("20010db8", 16).shiftLeft(96), cidr.network());
            assertEquals(32, cidr.prefix());
            assertEquals(128, cidr.bits());
        }

        @ParameterizedTest
        @CsvSource({
                "2600:1F18:0:0:0:0:0:0/56, 2600:1f18::/56",
                "2001:db8:0:1::/64, 2001:db8:0:1::/64",
                "2001:0db8:0000:0001:0000:0000:0000:0000/64, 2001:db8:0:1::/64",
                "2001:DB8:0:1:0:0:0:0/64, 2001:db8:0:1::/64",
                "::/0, ::/0",
                "0:0:0:0:0:0:0:0/0, ::/0",
                "::1/128, ::1/128",
                "0:0:0:0:0:0:0:1/128, ::1/128",
                "fe80::/10, fe80::/10",
                "2600:1f18:abcd:1200::/56, 2600:1f18:abcd:1200::/56",
                // longest zero run wins (3 trailing zeros beat the 2 in the middle)
                "2001:db8:0:0:1:0:0:0/80, 2001:db8:0:0:1::/80",
                // equal-length runs: the first one is compressed (RFC 5952 4.2.3)
                "2001:db8:0:0:1:0:0:1/128, 2001:db8::1:0:0:1/128",
                // a single zero group is never compressed (RFC 5952 4.2.2)
                "2001:0:1:1:1:1:1:0/128, 2001:0:1:1:1:1:1:0/128",
                // leading zeros inside groups are dropped
                "2001:0db8:00ab:0c00::/56, 2001:db8:ab:c00::/56",
        })
        void canonicalFormIsLowerCaseAndRfc5952Compressed(String in, String expected) {
            assertEquals(expected, c(in).toString());
            assertEquals(expected, Cidr.canonical(in));
            // canonical form is a fixed point
            assertEquals(expected, c(expected).toString());
        }

        @Test
        void hostBitsSetIsRejectedWithTheFixedBlockSuggested() {
            assertEquals("'2001:db8::1/64' has host bits set (did you mean 2001:db8::/64?)", error("2001:db8::1/64"));
            assertEquals("'2600:1f18:abcd:12ff::/56' has host bits set (did you mean 2600:1f18:abcd:1200::/56?)",
                    error("2600:1f18:abcd:12ff::/56"));
        }

        @Test
        void prefixLongerThan128IsRejected() {
            assertEquals("'2001:db8::/129': prefix length /129 is larger than /128", error("2001:db8::/129"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"1:2/64", "2001:db8:::/64", "2001:db8::g/64", "2001:db8::/", "2001:db8::", "fe80::%eth0/64",
                "1:2:3:4:5:6:7:8:9/128", "2001:db8::/1280", "12345::/16"})
        void malformedTextIsRejected(String s) {
            assertEquals("'" + s + "' is not a valid CIDR block", error(s));
        }

        @Test
        void ipv4MappedAddressesKeepTheirNetwork() {
            assertEquals("::ffff:0:0/96", c("::ffff:0:0/96").toString());
            assertEquals(new BigInteger("ffff", 16).shiftLeft(32), c("::ffff:0:0/96").network());
            assertTrue(c("::ffff:10.0.0.0/104").ipv6());
            assertFalse(c("::/96").equals(c("::ffff:0:0/96")));
        }
    }

    @Nested
    class Helpers {
        @Test
        void isCidr() {
            assertTrue(Cidr.isCidr("10.0.0.0/16"));
            assertTrue(Cidr.isCidr("2001:db8::/32"));
            assertFalse(Cidr.isCidr("10.0.0.1/16"));
            assertFalse(Cidr.isCidr("pl-12345678"));
            assertFalse(Cidr.isCidr(null));
        }

        @Test
        void canonicalReturnsUnparseableInputUnchanged() {
            assertEquals("pl-12345678", Cidr.canonical("pl-12345678"));
            assertEquals("10.0.0.1/16", Cidr.canonical("10.0.0.1/16"));
            assertEquals("2600:1f18::/56", Cidr.canonical("2600:1F18::/56"));
        }

        @Test
        void last() {
            assertEquals(BigInteger.valueOf(10L << 24 | 255), c("10.0.0.0/24").last());
            assertEquals(c("10.0.0.0/32").network(), c("10.0.0.0/32").last());
            assertEquals(BigInteger.ONE.shiftLeft(32).subtract(BigInteger.ONE), c("0.0.0.0/0").last());
            assertEquals(new BigInteger("20010db8000000ffffffffffffffffff", 16), c("2001:db8::/56").last());
        }
    }

    @Nested
    class ContainsAndOverlaps {
        @Test
        void containsSmallerBlockInside() {
            assertTrue(c("10.0.0.0/16").contains(c("10.0.1.0/24")));
            assertTrue(c("10.0.0.0/16").contains(c("10.0.255.255/32")));
            assertFalse(c("10.0.1.0/24").contains(c("10.0.0.0/16")));
        }

        @Test
        void containsItself() {
            assertTrue(c("10.0.0.0/16").contains(c("10.0.0.0/16")));
            assertTrue(c("10.0.0.0/16").overlaps(c("10.0.0.0/16")));
        }

        @Test
        void doesNotContainBlockOutside() {
            assertFalse(c("10.0.0.0/16").contains(c("10.1.0.0/24")));
            assertFalse(c("10.0.0.0/24").contains(c("10.0.1.0/24")));
            assertFalse(c("10.0.0.0/24").contains(c("10.0.0.0/23")));
        }

        @Test
        void defaultRouteContainsEverythingOfItsFamily() {
            assertTrue(c("0.0.0.0/0").contains(c("203.0.113.0/24")));
            assertTrue(c("::/0").contains(c("2001:db8::/32")));
        }

        @Test
        void overlapsIsSymmetric() {
            Cidr big = c("10.0.0.0/16"), small = c("10.0.128.0/17");
            assertTrue(big.overlaps(small));
            assertTrue(small.overlaps(big));
        }

        @Test
        void adjacentAndDisjointBlocksDoNotOverlap() {
            assertFalse(c("10.0.0.0/25").overlaps(c("10.0.0.128/25")));
            assertFalse(c("10.0.0.128/25").overlaps(c("10.0.0.0/25")));
            assertFalse(c("10.0.0.0/16").overlaps(c("10.1.0.0/16")));
            assertFalse(c("2001:db8::/64").overlaps(c("2001:db8:0:1::/64")));
        }

        @Test
        void ipv6Containment() {
            Cidr vpc = c("2600:1f18:abcd:1200::/56");
            assertTrue(vpc.contains(c("2600:1f18:abcd:12ff::/64")));
            assertFalse(vpc.contains(c("2600:1f18:abcd:1300::/64")));
            assertTrue(vpc.overlaps(c("2600:1f18:abcd:1280::/57")));
        }

        @Test
        void ipv4AndIpv6NeverContainOrOverlap() {
            Cidr v4all = c("0.0.0.0/0"), v6all = c("::/0");
            assertFalse(v4all.contains(v6all));
            assertFalse(v6all.contains(v4all));
            assertFalse(v4all.overlaps(v6all));
            assertFalse(v6all.overlaps(v4all));
            // same numeric network value and prefix, different family
            Cidr v4zero = c("0.0.0.0/8"), v6zero = c("::/8");
            assertEquals(v4zero.network(), v6zero.network());
            assertFalse(v4zero.overlaps(v6zero));
            assertFalse(v6zero.contains(c("0.0.0.0/32")));
        }
    }

    @Nested
    class Subnets {
        private final Cidr vpc6 = c("2600:1f18:abcd:1200::/56");

        @Test
        void thirdSlash64OfASlash56() {
            assertEquals("2600:1f18:abcd:1202::/64", vpc6.subnet(64, 2).toString());
        }

        @Test
        void firstAndLastSlash64OfASlash56() {
            assertEquals("2600:1f18:abcd:1200::/64", vpc6.subnet(64, 0).toString());
            assertEquals("2600:1f18:abcd:12ff::/64", vpc6.subnet(64, 255).toString());
        }

        @Test
        void ipv4Subnets() {
            Cidr vpc = c("10.20.0.0/16");
            assertEquals("10.20.5.0/24", vpc.subnet(24, 5).toString());
            assertEquals("10.20.255.0/24", vpc.subnet(24, 255).toString());
            assertEquals("10.20.128.0/17", vpc.subnet(17, 1).toString());
            assertEquals("10.20.0.0/16", vpc.subnet(16, 0).toString());
            assertEquals("10.20.0.7/32", vpc.subnet(32, 7).toString());
        }

        @Test
        void subnetIsContainedInParent() {
            for (int i = 0; i < 256; i++) {
                Cidr s = vpc6.subnet(64, i);
                assertTrue(vpc6.contains(s), s.toString());
                assertTrue(s.ipv6());
                assertEquals(64, s.prefix());
            }
        }

        @Test
        void indexInRoundTripsWithSubnet() {
            for (int i = 0; i < 256; i++) {
                assertEquals(i, vpc6.subnet(64, i).indexIn(vpc6));
            }
            Cidr v4 = c("10.20.0.0/16");
            for (int i = 0; i < 256; i++) {
                assertEquals(i, v4.subnet(24, i).indexIn(v4));
            }
        }

        @Test
        void indexInOfParsedBlocks() {
            assertEquals(2, c("2600:1f18:abcd:1202::/64").indexIn(vpc6));
            assertEquals(171, c("2600:1f18:abcd:12ab::/64").indexIn(vpc6));
            assertEquals(10, c("10.20.10.0/24").indexIn(c("10.20.0.0/16")));
        }

        @Test
        void indexOutOfRangeIsRejected() {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> vpc6.subnet(64, 256));
            assertEquals("index 256 is outside 0..255 for /64 in 2600:1f18:abcd:1200::/56", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> vpc6.subnet(64, -1));
            assertEquals("index -1 is outside 0..255 for /64 in 2600:1f18:abcd:1200::/56", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> c("10.0.0.0/16").subnet(16, 1));
            assertEquals("index 1 is outside 0..0 for /16 in 10.0.0.0/16", e.getMessage());
        }

        @Test
        void prefixOutOfRangeIsRejected() {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> vpc6.subnet(55, 0));
            assertEquals("bad prefix /55 for 2600:1f18:abcd:1200::/56", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> vpc6.subnet(129, 0));
            assertEquals("bad prefix /129 for 2600:1f18:abcd:1200::/56", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> c("10.0.0.0/16").subnet(33, 0));
            assertEquals("bad prefix /33 for 10.0.0.0/16", e.getMessage());
        }
    }
}
