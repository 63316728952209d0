package io.netstack.provider.ec2.flowlog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The stack names format fields; AWS speaks "${field} ${field}" (which would collide with netstack's references). */
class FlowLogFormatTest {
    @Test
    void fieldsRoundTripThroughAwsText() {
        var fields = FlowLogType.fields("${version} ${srcaddr}  ${log-status}");
        assertEquals("[\"version\",\"srcaddr\",\"log-status\"]", fields.toString());
        assertEquals("${version} ${srcaddr} ${log-status}", FlowLogType.formatText(fields));
        assertEquals(14, FlowLogType.fields(FlowLogType.AWS_DEFAULT_FORMAT).size());
    }
}
