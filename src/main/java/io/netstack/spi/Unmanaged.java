package io.netstack.spi;

/**
 * An object inside a network the stack owns that carries no netstack tags: created by hand or by
 * another tool. Drift reports it; netstack never modifies or deletes it.
 *
 * @param parent the AWS id of the owned object it sits in (usually the VPC)
 */
public record Unmanaged(String type, String awsId, String parent, String description) {}
