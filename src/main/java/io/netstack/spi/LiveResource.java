package io.netstack.spi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * An object that exists in AWS and is owned by the stack, in the same JSON shape as its block in
 * the stack file (references as AWS ids; the engine maps ids of owned objects back to {@code ${id}}).
 *
 * @param id         the logical id from the {@code netstack:id} tag
 * @param awsId      the AWS id (vpc-…, subnet-…, eipalloc-…)
 * @param properties canonical properties, write-only ones absent
 * @param attributes read-only attributes ({@code publicIp}, {@code arn}, …)
 */
public record LiveResource(String id, String type, String awsId, ObjectNode properties, Map<String, String> attributes) {}
