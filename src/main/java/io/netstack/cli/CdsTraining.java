package io.netstack.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.protocol.MarshallingType;
import software.amazon.awssdk.core.traits.ListTrait;

/**
 * The training run of netstack's class-data-sharing archive (AppCDS), not a user command.
 * {@code scripts/netstack} runs it once per jar, in the background, as
 * {@code java -XX:ArchiveClassesAtExit=netstack.jsa -cp netstack.jar io.netstack.cli.CdsTraining STACK…};
 * later runs start with {@code -XX:SharedArchiveFile=netstack.jsa} and map the classes it loaded
 * (parsed and verified) instead of reading them from the jar. Most of a cold plan's start-up is
 * loading and verifying the AWS SDK's ~4,800 classes, which the archive makes cheap.
 *
 * <p>It runs {@code --version}, {@code --help}, {@code schema}, and {@code validate} and
 * {@code plan} of each stack file given, against a loopback stand-in for AWS: the same classes as
 * a plan against AWS are loaded (clients, signing, marshalling, the credential chain, HTTP), with
 * no network, no credentials and nothing changed anywhere. EC2 calls are answered with one sample
 * item in every list, made from the SDK's own model of the response ({@link #sample}), so that
 * the model classes of what a plan reads (VPCs, subnets, routes, rules, tags…) are archived too:
 * they are ~650 classes and ~0.4 s of CPU of a cold plan. The samples carry no netstack tags, so
 * the plan sees nothing as owned. Direct Connect and CloudFront get empty answers. The output is
 * discarded; a stack that fails (e.g. a missing {@code --var}) still trains what it reached.
 * Always exits 0.
 */
public final class CdsTraining {
    private CdsTraining() {}

    /** A training run takes a few seconds; should anything in it wait or loop, stop it anyway. */
    static final long MAX_MILLIS = 120_000;

    public static void main(String[] args) throws IOException {
        Thread watchdog = new Thread(() -> {
            try {
                io.netstack.spi.Sleeper.SYSTEM.sleep(java.time.Duration.ofMillis(MAX_MILLIS));
            } catch (InterruptedException e) {
                return;
            }
            Runtime.getRuntime().halt(1); // scripts/netstack keeps no archive from a failed run
        }, "cds-training-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        train(args);
        // A separate entry point (scripts/netstack's training run), not the CLI: exit explicitly so
        // that a lingering non-daemon thread cannot keep the JVM from writing the archive at exit.
        System.exit(0);
    }

    /** Runs the commands of a training run against the loopback stand-in; returns their exit codes. */
    static List<Integer> train(String... stacks) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", CdsTraining::answer);
        server.start();
        // Static credentials: the default chain stops at system properties, nothing is probed.
        String keyId = System.setProperty("aws.accessKeyId", "training");
        String secret = System.setProperty("aws.secretAccessKey", "training");
        String endpoint = "http://127.0.0.1:" + server.getAddress().getPort();
        PrintStream devNull = new PrintStream(OutputStream.nullOutputStream());
        Console quiet = new Console(devNull, devNull, Map.of(), false);
        List<String[]> runs = new ArrayList<>();
        runs.add(new String[] {"--version"});
        runs.add(new String[] {"--help"});
        runs.add(new String[] {"schema"});
        for (String stack : stacks) {
            runs.add(new String[] {"validate", stack});
            runs.add(new String[] {"plan", stack, "--endpoint-url", endpoint});
        }
        List<Integer> codes = new ArrayList<>();
        try {
            for (String[] run : runs) {
                try {
                    codes.add(Main.run(run, quiet));
                } catch (RuntimeException | LinkageError e) {
                    codes.add(-1); // training only: whatever failed, the classes loaded so far are archived
                }
            }
        } finally {
            server.stop(0);
            restore("aws.accessKeyId", keyId);
            restore("aws.secretAccessKey", secret);
        }
        return codes;
    }

    private static void restore(String property, String value) {
        if (value == null) System.clearProperty(property);
        else System.setProperty(property, value);
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
    static String ec2Answer(String action) {
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
