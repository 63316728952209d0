package io.netstack.provider.ec2.dhcpoptions;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.DhcpConfiguration;
import software.amazon.awssdk.services.ec2.model.DhcpOptions;
import software.amazon.awssdk.services.ec2.model.Tag;

/** Which DHCP options set import leaves to AWS: the region's default set, and only that. */
class DhcpOptionsDefaultTest {
    static DhcpConfiguration conf(String key, String... values) {
        return DhcpConfiguration.builder().key(key).values(java.util.Arrays.stream(values).map(v -> software.amazon.awssdk.services.ec2.model.AttributeValue.builder().value(v).build()).toList()).build();
    }

    @Test
    void theRegionsDefaultSetIsAws() {
        assertTrue(DhcpOptionsType.awsDefault(DhcpOptions.builder().dhcpConfigurations(conf("domain-name", "eu-west-1.compute.internal"), conf("domain-name-servers", "AmazonProvidedDNS")).build()));
        assertTrue(DhcpOptionsType.awsDefault(DhcpOptions.builder().dhcpConfigurations(conf("domain-name", "ec2.internal"), conf("domain-name-servers", "AmazonProvidedDNS")).build()));
    }

    @Test
    void anyOtherSetIsTheUsers() {
        assertFalse(DhcpOptionsType.awsDefault(DhcpOptions.builder().dhcpConfigurations(conf("domain-name", "corp.example"), conf("domain-name-servers", "AmazonProvidedDNS")).build()));
        assertFalse(DhcpOptionsType.awsDefault(DhcpOptions.builder().dhcpConfigurations(conf("domain-name", "eu-west-1.compute.internal"), conf("domain-name-servers", "10.0.0.2")).build()));
        assertFalse(DhcpOptionsType.awsDefault(DhcpOptions.builder().dhcpConfigurations(conf("domain-name", "eu-west-1.compute.internal"), conf("domain-name-servers", "AmazonProvidedDNS"),
                conf("ntp-servers", "10.0.0.3")).build()));
        assertFalse(DhcpOptionsType.awsDefault(DhcpOptions.builder().dhcpConfigurations(conf("domain-name", "eu-west-1.compute.internal"), conf("domain-name-servers", "AmazonProvidedDNS"))
                .tags(Tag.builder().key("Name").value("ours").build()).build()), "a named set is someone's");
    }
}
