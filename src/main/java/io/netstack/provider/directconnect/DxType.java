package io.netstack.provider.directconnect;

import io.netstack.provider.AwsSession;
import io.netstack.provider.AwsType;
import io.netstack.spi.LiveResource;
import io.netstack.spi.Permissions;
import io.netstack.spi.ResourceSpec;
import io.netstack.spi.Schema;
import java.util.ArrayList;
import java.util.List;
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

    /**
     * The IAM actions of a Direct Connect type, given its own calls: every one tags the same way
     * ({@link DxTags}), so the tagging actions are added here: TagResource at creation,
     * TagResource/UntagResource in {@link #syncTags}, UntagResource on delete. Nothing for drift.
     */
    protected static Permissions taggedPermissions(List<String> describe, List<String> create, List<String> update, List<String> delete) {
        return new Permissions(describe, plus(create, "directconnect:TagResource"), plus(update, "directconnect:TagResource", "directconnect:UntagResource"),
                plus(delete, "directconnect:UntagResource"), List.of());
    }

    private static List<String> plus(List<String> actions, String... more) {
        List<String> out = new ArrayList<>(actions);
        out.addAll(List.of(more));
        return out;
    }
}
