package io.netstack.provider.training;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.protocol.MarshallingType;
import software.amazon.awssdk.core.traits.ListTrait;

/**
 * A loopback stand-in for AWS for the AppCDS training run ({@code cli.CdsTraining}): well-formed
 * answers in each service's protocol, nothing stored, nothing sent anywhere. EC2 calls get one
 * sample item in every list, made from the SDK's own model of the response ({@link #ec2Answer}),
 * so that the model classes of what a plan reads are loaded (and archived) too. It lives in
 * provider because it is made of the SDK's model; the CLI never sees the SDK.
 */
public final class AwsStandIn implements AutoCloseable {
    private final HttpServer server;

    private AwsStandIn(HttpServer server) {
        this.server = server;
    }

    public static AwsStandIn start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", AwsStandIn::answer);
        server.start();
        return new AwsStandIn(server);
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** A well-formed answer in the protocol of whichever service called (see the class comment). */
    private static void answer(HttpExchange x) throws IOException {
        byte[] request = readAll(x.getRequestBody());
        String body;
        String type;
        if (x.getRequestHeaders().containsKey("X-Amz-Target")) { // Direct Connect: JSON 1.1
            body = "{}";
            type = "application/x-amz-json-1.1";
        } else if (x.getRequestURI().getPath().startsWith("/20")) { // CloudFront: /2020-05-31/…
            body = "<DistributionList xmlns=\"http://cloudfront.amazonaws.com/doc/2020-05-31/\"><Marker></Marker>"
                    + "<MaxItems>100</MaxItems><IsTruncated>false</IsTruncated><Quantity>0</Quantity></DistributionList>";
            type = "text/xml";
        } else { // EC2: query protocol, Action=… in the form body
            String action = "Unknown";
            for (String kv : new String(request, StandardCharsets.UTF_8).split("&")) {
                if (kv.startsWith("Action=")) action = URLDecoder.decode(kv.substring(7), StandardCharsets.UTF_8);
            }
            body = ec2Answer(action);
            type = "text/xml";
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", type);
        x.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** EC2's answer to {@code action}: its response with one sample item in every list. */
    public static String ec2Answer(String action) {
        StringBuilder xml = new StringBuilder();
        xml.append('<').append(action).append("Response xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"><requestId>cds-training</requestId>");
        try {
            Object builder = Class.forName("software.amazon.awssdk.services.ec2.model." + action + "Response").getMethod("builder").invoke(null);
            for (SdkField<?> f : ((SdkPojo) builder).sdkFields()) sample(f.unmarshallLocationName(), f, xml, 0, new HashSet<>());
        } catch (ReflectiveOperationException | RuntimeException e) {
            // not an EC2 action with a modelled response: an empty answer will do
        }
        return xml.append("</").append(action).append("Response>").toString();
    }

    /**
     * Appends {@code <name>sample value</name>} for field {@code f} in EC2's XML: a list gets one
     * member (named by the list, "item" in EC2), a structure every member, down to a depth and
     * never a shape inside itself.
     */
    private static void sample(String name, SdkField<?> f, StringBuilder xml, int depth, Set<Class<?>> path) {
        // no NextToken: a paginated read would page forever
        if (name == null || depth > 8 || name.equalsIgnoreCase("nextToken")) return;
        MarshallingType<?> t = f.marshallingType();
        String value;
        if (t == MarshallingType.LIST) {
            ListTrait list = f.getTrait(ListTrait.class);
            if (list == null) return;
            xml.append('<').append(name).append('>');
            sample(list.memberLocationName() == null ? "item" : list.memberLocationName(), list.memberFieldInfo(), xml, depth + 1, path);
            xml.append("</").append(name).append('>');
            return;
        }
        if (t == MarshallingType.SDK_POJO) {
            SdkPojo pojo = f.constructor().get();
            if (!path.add(pojo.getClass())) return;
            xml.append('<').append(name).append('>');
            for (SdkField<?> m : pojo.sdkFields()) sample(m.unmarshallLocationName(), m, xml, depth + 1, path);
            xml.append("</").append(name).append('>');
            path.remove(pojo.getClass());
            return;
        }
        if (t == MarshallingType.STRING) value = "training";
        else if (t == MarshallingType.BOOLEAN) value = "false";
        else if (t == MarshallingType.INTEGER || t == MarshallingType.LONG || t == MarshallingType.SHORT || t == MarshallingType.BYTE) value = "1";
        else if (t == MarshallingType.FLOAT || t == MarshallingType.DOUBLE || t == MarshallingType.BIG_DECIMAL) value = "1.0";
        else if (t == MarshallingType.INSTANT) value = "2020-01-01T00:00:00.000Z";
        else return; // maps, bytes, documents: not in what netstack reads
        xml.append('<').append(name).append('>').append(value).append("</").append(name).append('>');
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        in.transferTo(b);
        return b.toByteArray();
    }
}
