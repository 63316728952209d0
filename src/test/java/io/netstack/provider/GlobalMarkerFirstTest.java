package io.netstack.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.sun.net.httpserver.HttpExchange;
import io.netstack.engine.EngineContext;
import io.netstack.spi.AwsFailure;
import io.netstack.spi.Progress;
import io.netstack.spi.ResourceSpec;
import io.netstack.spi.ResourceType;
import io.netstack.spi.Sleeper;
import io.netstack.testing.ForwardingProxy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The marker's invariant, "an object of a global type exists ⇒ the marker names its type", needs
 * every global type's {@code create} to write the marker before its own create call. Checked for
 * every registered type in {@link OwnedTypes#GLOBAL_TYPES} against a loopback endpoint that records
 * each request and refuses it (EC2's UnauthorizedOperation): the first request a create sends must
 * be the marker's CreateKeyPair, and a refused marker write stops the create before it calls its
 * own service. Offline (127.0.0.1 only).
 */
class GlobalMarkerFirstTest {
    /** Records EC2 query actions and JSON targets; answers every request with EC2's access-denied error. */
    static final class Refusing extends ForwardingProxy {
        static final Pattern ACTION = Pattern.compile("(?:^|&)Action=([A-Za-z0-9]+)");
        final List<String> requests = new ArrayList<>();

        Refusing() {
            super(null, "refusing-endpoint", 2);
        }

        @Override
        protected void handle(HttpExchange ex) throws IOException {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String target = ex.getRequestHeaders().getFirst("X-Amz-Target");
            Matcher a = ACTION.matcher(body);
            synchronized (this) {
                requests.add(target != null ? target : a.find() ? a.group(1) : ex.getRequestMethod() + " " + ex.getRequestURI().getPath());
            }
            reply(ex, 403, "text/xml", ("<Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>refused by the test</Message></Error>"
                    + "</Errors><RequestID>test</RequestID></Response>").getBytes(StandardCharsets.UTF_8));
        }

        synchronized List<String> requests() {
            return List.copyOf(requests);
        }
    }

    @Test
    void everyGlobalTypeWritesTheMarkerBeforeItsCreateCall() {
        System.setProperty("aws.accessKeyId", "test");
        System.setProperty("aws.secretAccessKey", "test");
        int checked = 0;
        try (Refusing endpoint = new Refusing();
             AwsSession session = new AwsSession(AwsSettings.of("eu-west-1", endpoint.endpoint()), Sleeper.SYSTEM)) {
            AwsProvider provider = new AwsProvider(session);
            EngineContext ctx = EngineContext.of("marked", "eu-west-1", Progress.NONE, Sleeper.SYSTEM, 0.01);
            for (ResourceType t : provider.all()) {
                if (!OwnedTypes.GLOBAL_TYPES.contains(t.name())) continue;
                int before = endpoint.requests().size();
                ResourceSpec spec = new ResourceSpec("r-" + t.name(), t.name(), JsonNodeFactory.instance.objectNode(), Map.of(), "token", null);
                AwsFailure f = assertThrows(AwsFailure.class, () -> t.create(ctx, spec), t.name());
                List<String> sent = endpoint.requests().subList(before, endpoint.requests().size());
                assertFalse(sent.isEmpty(), t.name() + " sent nothing");
                assertTrue(sent.stream().allMatch("CreateKeyPair"::equals),
                        t.name() + ": the marker's CreateKeyPair comes first, and a refused one stops the create: " + sent);
                assertEquals("CreateKeyPair", f.action(), t.name() + ": " + f.getMessage());
                checked++;
            }
        }
        assertEquals(OwnedTypes.GLOBAL_TYPES.size(), checked, "every global type is registered and checked");
    }
}
