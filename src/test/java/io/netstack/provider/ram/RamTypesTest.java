package io.netstack.provider.ram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netstack.provider.ram.shareacceptance.RamShareAcceptanceTestAccess;
import io.netstack.spi.AwsFailure;
import io.netstack.spi.ErrorCategory;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ram.model.ResourceShare;
import software.amazon.awssdk.services.ram.model.Tag;

/** RAM's error model and the acceptance's matching of a declared share, offline. */
class RamTypesTest {
    static AwsServiceException error(String code, int status) {
        return AwsServiceException.builder().statusCode(status).message(code)
                .awsErrorDetails(AwsErrorDetails.builder().serviceName("RAM").errorCode(code).errorMessage("m").build()).build();
    }

    @Test
    void ramErrorCodesMapToTheirCategories() {
        AwsFailure gone = assertThrows(AwsFailure.class, () -> RamType.calls("share", "DeleteResourceShare", () -> {
            throw error("UnknownResourceException", 400);
        }));
        assertEquals(ErrorCategory.NOT_FOUND, gone.category(), "a missing share is NotFound: delete is done");
        assertEquals("UnknownResourceException", gone.code());
        assertEquals(ErrorCategory.TRANSIENT, assertThrows(AwsFailure.class, () -> RamType.calls("s", "GetResourceShares", () -> {
            throw error("ServerInternalException", 500);
        })).category());
        assertEquals(ErrorCategory.INVALID_REQUEST, assertThrows(AwsFailure.class, () -> RamType.calls("s", "CreateResourceShare", () -> {
            throw error("MalformedArnException", 400);
        })).category());
        assertEquals(ErrorCategory.THROTTLED, assertThrows(AwsFailure.class, () -> RamType.calls("s", "GetResourceShares", () -> {
            throw error("ThrottlingException", 400);
        })).category(), "codes RAM shares with other services keep their category");
    }

    @Test
    void aReferenceMatchesTheOwnerStacksShareByItsTags() {
        ResourceShare mine = share("arn:aws:ram:eu-west-1:111111111111:resource-share/a", "hub", "share");
        ResourceShare other = share("arn:aws:ram:eu-west-1:111111111111:resource-share/b", "hub", "other");
        List<ResourceShare> visible = List.of(other, mine);
        assertEquals(mine.resourceShareArn(), RamShareAcceptanceTestAccess.match("${stack:hub/share}", visible).orElseThrow().resourceShareArn());
        assertEquals(other.resourceShareArn(), RamShareAcceptanceTestAccess.match(other.resourceShareArn(), visible).orElseThrow().resourceShareArn());
        assertTrue(RamShareAcceptanceTestAccess.match("${stack:spoke/share}", visible).isEmpty());
        assertTrue(RamShareAcceptanceTestAccess.match("arn:aws:ram:eu-west-1:111111111111:resource-share/c", visible).isEmpty());
        ResourceShare deleted = mine.toBuilder().status("DELETED").build();
        assertTrue(RamShareAcceptanceTestAccess.match(mine.resourceShareArn(), List.of(deleted)).isEmpty(), "only ACTIVE shares count");
    }

    static ResourceShare share(String arn, String stack, String id) {
        return ResourceShare.builder().resourceShareArn(arn).status("ACTIVE")
                .tags(Tag.builder().key("netstack:stack").value(stack).build(), Tag.builder().key("netstack:id").value(id).build()).build();
    }
}
