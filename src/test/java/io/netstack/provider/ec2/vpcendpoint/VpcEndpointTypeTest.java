package io.netstack.provider.ec2.vpcendpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.netstack.engine.Json;
import org.junit.jupiter.api.Test;

/** The canonical forms that keep a just-applied endpoint at zero changes. */
class VpcEndpointTypeTest {
    static JsonNode json(String s) throws Exception {
        return Json.MAPPER.readTree(s);
    }

    @Test
    void serviceNamesCanonicalise() {
        assertEquals("s3", VpcEndpointType.canonicalService("s3", "eu-west-1"));
        assertEquals("s3", VpcEndpointType.canonicalService("com.amazonaws.eu-west-1.s3", "eu-west-1"));
        assertEquals("ecr.dkr", VpcEndpointType.canonicalService("com.amazonaws.eu-west-1.ecr.dkr", "eu-west-1"));
        assertEquals("com.amazonaws.us-east-1.s3", VpcEndpointType.canonicalService("com.amazonaws.us-east-1.s3", "eu-west-1"), "another region stays whole");
        assertEquals("vpce-svc-0abc123", VpcEndpointType.canonicalService("com.amazonaws.vpce.eu-west-1.vpce-svc-0abc123", "eu-west-1"),
                "endpoint services by id, so an owned one reads back as ${id}");
        assertEquals("${svc}", VpcEndpointType.canonicalService("${svc}", "eu-west-1"));
        assertEquals("aws.sagemaker.eu-west-1.notebook", VpcEndpointType.canonicalService("aws.sagemaker.eu-west-1.notebook", "eu-west-1"));
    }

    @Test
    void equivalentPoliciesCompareEqual() throws Exception {
        JsonNode stackSide = json("""
            { "Version": "2012-10-17",
              "Statement": { "Sid": "", "Effect": "Allow", "Principal": { "AWS": "arn:aws:iam::123456789012:root" },
                             "Action": "s3:GetObject", "Resource": ["arn:aws:s3:::b/*", "arn:aws:s3:::a/*"],
                             "Condition": { "StringEquals": { "aws:PrincipalOrgID": "o-1" } } } }
            """);
        String awsSide = "{\"Statement\":[{\"Resource\":[\"arn:aws:s3:::a/*\",\"arn:aws:s3:::b/*\"],\"Action\":[\"s3:GetObject\"],"
                + "\"Effect\":\"Allow\",\"Principal\":{\"AWS\":[\"arn:aws:iam::123456789012:root\"]},"
                + "\"Condition\":{\"StringEquals\":{\"aws:PrincipalOrgID\":[\"o-1\"]}}}],\"Version\":\"2012-10-17\"}";
        assertEquals(Json.canonical(VpcEndpointPolicy.canonicalPolicy(stackSide)),
                Json.canonical(VpcEndpointPolicy.canonicalPolicy(Json.MAPPER.getNodeFactory().textNode(awsSide))));
    }

    @Test
    void statementOrderDoesNotMatterButContentDoes() throws Exception {
        JsonNode a = json("{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"a\"},{\"Effect\":\"Deny\",\"Action\":\"b\"}]}");
        JsonNode b = json("{\"Statement\":[{\"Effect\":\"Deny\",\"Action\":[\"b\"]},{\"Effect\":\"Allow\",\"Action\":\"a\"}]}");
        JsonNode c = json("{\"Statement\":[{\"Effect\":\"Deny\",\"Action\":[\"b\"]},{\"Effect\":\"Allow\",\"Action\":\"c\"}]}");
        assertEquals(Json.canonical(VpcEndpointPolicy.canonicalPolicy(a)), Json.canonical(VpcEndpointPolicy.canonicalPolicy(b)));
        assertNotEquals(Json.canonical(VpcEndpointPolicy.canonicalPolicy(a)), Json.canonical(VpcEndpointPolicy.canonicalPolicy(c)));
    }
}
