package io.netstack.provider.ec2.subnet;

import static io.netstack.testing.Ec2Query.child;
import static io.netstack.testing.Ec2Query.form;
import static io.netstack.testing.Ec2Query.parse;
import static io.netstack.testing.Ec2Query.serialize;

import com.sun.net.httpserver.HttpExchange;
import io.netstack.testing.ForwardingProxy;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * A loopback proxy in front of moto for the subnet attributes moto 5.2 ignores: ModifySubnetAttribute
 * with {@code EnableDns64}, {@code PrivateDnsHostnameTypeOnLaunch} or
 * {@code EnableResourceNameDnsAAAARecordOnLaunch} answers 200 and changes nothing, DescribeSubnets
 * has no {@code enableDns64}, and an IPv6-only subnet keeps hostname type {@code ip-name} (AWS:
 * {@code resource-name}). The proxy keeps those three attributes per subnet, as AWS does, and
 * writes them into CreateSubnet and DescribeSubnets answers. moto also counts an IPv6-only
 * subnet's free addresses as 2^64-5, which the SDK cannot parse (an int): AWS counts IPv4
 * addresses only, 0 there. Everything else passes through.
 */
public final class MotoSubnetOptionsProxy extends ForwardingProxy {
    /** subnet id → attribute (enableDns64, hostnameType, enableResourceNameDnsAAAARecord) → value. */
    private final Map<String, Map<String, String>> attributes = new ConcurrentHashMap<>();
    /** ModifySubnetAttribute calls that carried one of the covered attributes (what the proxy did). */
    final List<String> covered = new java.util.concurrent.CopyOnWriteArrayList<>();

    public MotoSubnetOptionsProxy(URI upstream) {
        super(upstream, "moto-subnet-options-proxy", 8);
    }

    /** An SDK client through the proxy, without retries (a gap fails at once). */
    public software.amazon.awssdk.services.ec2.Ec2Client client(String region) {
        return software.amazon.awssdk.services.ec2.Ec2Client.builder().endpointOverride(endpoint())
                .region(software.amazon.awssdk.regions.Region.of(region))
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(io.netstack.testing.AwsApi.ACCESS_KEY_ID, io.netstack.testing.AwsApi.SECRET_ACCESS_KEY)))
                .overrideConfiguration(o -> o.retryStrategy(software.amazon.awssdk.awscore.retry.AwsRetryStrategy.doNotRetry()))
                .build();
    }

    @Override
    protected void handle(HttpExchange ex) throws IOException {
        byte[] body = ex.getRequestBody().readAllBytes();
        Map<String, String> form = form(new String(body, StandardCharsets.UTF_8));
        HttpResponse<byte[]> resp = send(ex, body);
        byte[] out = resp.body();
        String action = form.getOrDefault("Action", "");
        if (resp.statusCode() == 200) {
            try {
                switch (action) {
                    case "ModifySubnetAttribute" -> remember(form);
                    case "CreateSubnet" -> {
                        out = rewrite(out, "true".equalsIgnoreCase(form.get("Ipv6Native")));
                    }
                    case "DescribeSubnets" -> out = rewrite(out, false);
                    default -> { }
                }
            } catch (IOException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException(e);
            }
        }
        reply(ex, resp, out);
    }

    private void remember(Map<String, String> form) {
        String subnet = form.get("SubnetId");
        Map<String, String> a = attributes.computeIfAbsent(subnet, k -> new ConcurrentHashMap<>());
        if (form.containsKey("EnableDns64.Value")) put(a, "enableDns64", form.get("EnableDns64.Value"));
        if (form.containsKey("PrivateDnsHostnameTypeOnLaunch")) put(a, "hostnameType", form.get("PrivateDnsHostnameTypeOnLaunch"));
        if (form.containsKey("EnableResourceNameDnsAAAARecordOnLaunch.Value")) put(a, "enableResourceNameDnsAAAARecord", form.get("EnableResourceNameDnsAAAARecordOnLaunch.Value"));
    }

    private void put(Map<String, String> a, String k, String v) {
        a.put(k, v);
        covered.add(k + "=" + v);
    }

    /** Puts the kept attributes into every subnet of a CreateSubnet/DescribeSubnets answer. */
    private byte[] rewrite(byte[] xml, boolean createdIpv6Native) throws Exception {
        Document doc = parse(xml);
        String ns = doc.getDocumentElement().getNamespaceURI();
        NodeList ids = doc.getElementsByTagNameNS("*", "subnetId");
        for (int i = 0; i < ids.getLength(); i++) {
            Element item = (Element) ids.item(i).getParentNode();
            if (child(item, "privateDnsNameOptionsOnLaunch") == null) continue; // not a subnet element
            String subnet = ids.item(i).getTextContent().trim();
            Map<String, String> a = attributes.computeIfAbsent(subnet, k -> new ConcurrentHashMap<>());
            if (createdIpv6Native) a.putIfAbsent("hostnameType", "resource-name");
            Element dns64 = child(item, "enableDns64");
            if (dns64 == null) {
                dns64 = doc.createElementNS(ns, "enableDns64");
                item.appendChild(dns64);
            }
            dns64.setTextContent(a.getOrDefault("enableDns64", "false"));
            Element native6 = child(item, "ipv6Native"), count = child(item, "availableIpAddressCount");
            if (native6 != null && "true".equals(native6.getTextContent().trim()) && count != null) count.setTextContent("0");
            Element names = child(item, "privateDnsNameOptionsOnLaunch");
            if (a.containsKey("hostnameType")) child(names, "hostnameType").setTextContent(a.get("hostnameType"));
            if (a.containsKey("enableResourceNameDnsAAAARecord")) child(names, "enableResourceNameDnsAAAARecord").setTextContent(a.get("enableResourceNameDnsAAAARecord"));
        }
        return serialize(doc);
    }

}
