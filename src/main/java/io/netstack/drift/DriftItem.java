package io.netstack.drift;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One drift finding. {@code path} is a property path of the resource ({@code mapPublicIp},
 * {@code routes}, {@code tags.team}); {@code expected} is the file's value, {@code actual} AWS's.
 * For set-valued properties one item is one element: an element only in AWS is {@code unmanaged}
 * (added by hand), an element only in the file is {@code modified} (removed by hand).
 */
public record DriftItem(String id, String awsId, String type, DriftClass driftClass, String path, JsonNode expected, JsonNode actual) {
    public enum DriftClass {
        MODIFIED, DELETED, UNMANAGED;

        public String lower() {
            return name().toLowerCase();
        }
    }
}
