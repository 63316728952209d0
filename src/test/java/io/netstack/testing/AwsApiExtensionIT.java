package io.netstack.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.ec2.model.Vpc;

/** The extension's own check: whatever backend it finds can create, read and delete a VPC. */
@ExtendWith(AwsApiExtension.class)
class AwsApiExtensionIT {

    private static final String REGION = "us-east-1";

    private final AwsApi aws;

    AwsApiExtensionIT(AwsApi aws) { // constructor injection
        this.aws = aws;
    }

    @Test
    void kindIsKnownAndParameterIsTheSharedApi(AwsApi fromMethod) { // method injection
        assertTrue(AwsApi.KINDS.contains(aws.kind()), () -> "unexpected kind " + aws.kind());
        assertNotNull(aws.endpoint());
        assertEquals(aws, fromMethod, "one API per JVM");
    }

    @Test
    void vpcRoundTrip() {
        String stack = aws.uniqueStack("aws-api-it");
        try (Ec2Client ec2 = aws.ec2(REGION)) {
            String vpcId = ec2.createVpc(r -> r.cidrBlock("10.42.0.0/16")
                            .tagSpecifications(TagSpecification.builder()
                                    .resourceType(ResourceType.VPC)
                                    .tags(tag("netstack:stack", stack), tag("netstack:id", "vpc"),
                                            tag("Name", stack + "/vpc"))
                                    .build()))
                    .vpc().vpcId();

            List<Vpc> owned = ec2.describeVpcs(r -> r.filters(
                    Filter.builder().name("tag:netstack:stack").values(stack).build())).vpcs();
            assertEquals(1, owned.size(), () -> "VPCs tagged " + stack + ": " + owned);
            Vpc vpc = owned.get(0);
            assertEquals(vpcId, vpc.vpcId());
            assertEquals("10.42.0.0/16", vpc.cidrBlock());
            assertTrue(vpc.tags().contains(tag("netstack:id", "vpc")), () -> "tags " + vpc.tags());

            ec2.deleteVpc(r -> r.vpcId(vpcId));

            Ec2Exception gone = assertThrows(Ec2Exception.class, () -> ec2.describeVpcs(r -> r.vpcIds(vpcId)));
            assertEquals("InvalidVpcID.NotFound", gone.awsErrorDetails().errorCode());
            assertTrue(ec2.describeVpcs(r -> r.filters(
                    Filter.builder().name("tag:netstack:stack").values(stack).build())).vpcs().isEmpty());
        }
    }

    private static Tag tag(String key, String value) {
        return Tag.builder().key(key).value(value).build();
    }
}
