package io.netstack.provider.directconnect;

import io.netstack.provider.AwsSession;
import io.netstack.provider.AwsType;
import io.netstack.spi.LiveResource;
import io.netstack.spi.ResourceSpec;
import io.netstack.spi.Schema;
import java.util.Set;
import software.amazon.awssdk.services.directconnect.DirectConnectClient;

/**
 * A Direct Connect type: {@link AwsType} over the session's Direct Connect client, with Direct
 * Connect's error model ({@link DxCalls}: a missing object is a 400 whose message says so).
 */
public abstract class DxType extends AwsType<DirectConnectClient> {
    protected DxType(AwsSession aws, String name, String noun, Schema schema) {
        super(aws, AwsSession::directConnect, DxCalls::call, name, noun, schema);
    }

    protected DirectConnectClient dx() {
        return client();
    }

    /** The {@code tags} step of an update: the tags written (TagResource, UntagResource on the object's ARN) if the plan changed them; says whether it called AWS. */
    @Override
    protected final boolean syncTags(LiveResource live, ResourceSpec spec, Set<String> changed) {
        if (!changed.contains("tags")) return false;
        DxTags.update(dx(), spec.id(), live.attributes().get("arn"), live.properties().get("tags"), spec.properties().get("tags"));
        return true;
    }
}
