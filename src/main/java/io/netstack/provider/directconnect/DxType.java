package io.netstack.provider.directconnect;

import io.netstack.provider.AwsSession;
import io.netstack.provider.AwsType;
import io.netstack.spi.Schema;
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
}
