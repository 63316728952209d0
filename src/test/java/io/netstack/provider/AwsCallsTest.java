package io.netstack.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netstack.spi.ErrorCategory;
import org.junit.jupiter.api.Test;

class AwsCallsTest {
    @Test
    void anEndpointWithoutTheActionIsUnsupportedNotAnInvalidRequest() {
        assertEquals(ErrorCategory.UNSUPPORTED, AwsCalls.category("InvalidAction", 400, "The action X is not valid for this web service"));
        assertEquals(ErrorCategory.UNSUPPORTED, AwsCalls.category("NotImplemented", 400, null));
    }

    @Test
    void otherInvalidCodesStayInvalidRequestsAndNotFoundsNotFound() {
        assertEquals(ErrorCategory.INVALID_REQUEST, AwsCalls.category("InvalidParameterValue", 400, null));
        assertEquals(ErrorCategory.NOT_FOUND, AwsCalls.category("InvalidVpcID.NotFound", 400, null));
    }
}
