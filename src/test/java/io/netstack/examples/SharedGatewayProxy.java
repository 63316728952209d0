package io.netstack.examples;

import com.sun.net.httpserver.HttpExchange;
import io.netstack.testing.Ec2Query;
import io.netstack.testing.ForwardingProxy;
import io.netstack.testing.fake.FakeRam;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A transit gateway shared through RAM, seen from the account it is shared with, on moto 5.2.1
 * (docs/moto-notes.md, "Several accounts"): moto keeps the gateway in its owner's account only, so
 * a spoke's CreateTransitGatewayVpcAttachment (and its route to the gateway) fails with
 * InvalidTransitGatewayID.NotFound, and no attachment can span two accounts. The proxy stands in
 * front of the other fakes and gives each side the view AWS gives it, by id mapping:
 * <ul>
 *   <li>the caller's account is the one its access key was issued for: the proxy reads every
 *       {@code AssumeRole} answer (the CLI's own, for a stack's {@code roleArn}) and tells
 *       {@link FakeRam} too;</li>
 *   <li>in a spoke account, the owner's gateway id stands for a stand-in gateway the proxy creates
 *       there (ids rewritten in requests and back in answers), so the spoke's attachment, its
 *       tags and its routes live in the spoke's account;</li>
 *   <li>each such attachment gets a twin on the real gateway in the owner's account (same VPC and
 *       subnet ids: moto does not check them), under the spoke attachment's id for the owner's
 *       calls; {@code onTwin} names the twin as foreign for {@code SharedAttachmentProxy}, which
 *       shows it {@code pendingAcceptance} and answers the accept. Deleting the spoke's attachment
 *       deletes the twin, as AWS deletes the one object.</li>
 * </ul>
 */
final class SharedGatewayProxy extends ForwardingProxy {
    private static final Pattern CREDENTIAL = Pattern.compile("Credential=([^/]+)/[^/]+/([^/]+)/([^/]+)/");
    private static final Pattern ACCESS_KEY = Pattern.compile("<AccessKeyId>([^<]+)</AccessKeyId>");
    private static final Pattern TGW_ID = Pattern.compile("<transitGatewayId>(tgw-[0-9a-f]+)</transitGatewayId>");
    private static final Pattern ATTACHMENT_ID = Pattern.compile("<transitGatewayAttachmentId>(tgw-attach-[0-9a-f]+)</transitGatewayAttachmentId>");
    private static final String DEFAULT_ACCOUNT = FakeRam.DEFAULT_ACCOUNT;

    private final FakeRam ram;
    private final BiConsumer<String, String> onTwin;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    private final Map<String, String> accountOfKey = new ConcurrentHashMap<>();
    private final Map<String, String> keyOfAccount = new ConcurrentHashMap<>();
    /** Gateway id → owner account. */
    private final Map<String, String> gatewayOwner = new ConcurrentHashMap<>();
    /** "account gateway" → the stand-in gateway's id in that account. */
    private final Map<String, String> standIn = new ConcurrentHashMap<>();
    /** Spoke attachment id → its twin in the gateway owner's account. */
    private final Map<String, String> twin = new ConcurrentHashMap<>();
    private final Map<String, String> twinOwner = new ConcurrentHashMap<>();

    /** @param onTwin called with (twin attachment id, spoke account) for each twin made */
    SharedGatewayProxy(URI upstream, FakeRam ram, BiConsumer<String, String> onTwin) {
        super(upstream, "shared-gateway-proxy", 8);
        this.ram = ram;
        this.onTwin = onTwin;
    }

    /** The stand-in gateways made, one per (spoke account, shared gateway). */
    int standIns() {
        return standIn.size();
    }

    @Override
    protected void handle(HttpExchange ex) throws IOException {
        byte[] body = ex.getRequestBody().readAllBytes();
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        Matcher m = auth == null ? null : CREDENTIAL.matcher(auth);
        if (m == null || !m.find() || m.group(3).equals("ram")) {
            forward(ex, body);
            return;
        }
        String key = m.group(1), region = m.group(2), service = m.group(3);
        String text = new String(body, StandardCharsets.UTF_8);
        Map<String, String> form = Ec2Query.form(text);
        String action = form.getOrDefault("Action", "");
        if (service.equals("sts") && action.equals("AssumeRole")) {
            HttpResponse<byte[]> r = send(ex, body);
            Matcher k = ACCESS_KEY.matcher(new String(r.body(), StandardCharsets.UTF_8));
            String role = form.getOrDefault("RoleArn", "");
            if (r.statusCode() == 200 && k.find() && role.startsWith("arn:aws:iam::")) {
                String account = role.substring("arn:aws:iam::".length(), role.indexOf(':', "arn:aws:iam::".length()));
                accountOfKey.put(k.group(1), account);
                keyOfAccount.put(account, k.group(1));
                ram.account(k.group(1), account);
            }
            reply(ex, r, r.body());
            return;
        }
        if (!service.equals("ec2")) {
            forward(ex, body);
            return;
        }
        String account = accountOfKey.getOrDefault(key, DEFAULT_ACCOUNT);
        keyOfAccount.putIfAbsent(account, key);
        // The caller's request in its own account's ids.
        for (Map.Entry<String, String> g : gatewayOwner.entrySet()) {
            if (!g.getValue().equals(account) && text.contains(g.getKey())) {
                text = text.replace(g.getKey(), standIn(account, g.getKey(), key, region));
            }
        }
        for (Map.Entry<String, String> t : twin.entrySet()) {
            // Attachment ids have one length, so one is never part of another.
            if (twinOwner.get(t.getKey()).equals(account)) text = text.replace(t.getKey(), t.getValue());
        }
        HttpResponse<byte[]> r = send(ex, text.getBytes(StandardCharsets.UTF_8));
        String out = new String(r.body(), StandardCharsets.UTF_8);
        if (r.statusCode() == 200 && action.equals("CreateTransitGateway")) {
            Matcher id = TGW_ID.matcher(out);
            if (id.find()) gatewayOwner.put(id.group(1), account);
        }
        String shared = form.get("TransitGatewayId");
        if (r.statusCode() == 200 && action.equals("CreateTransitGatewayVpcAttachment") && shared != null
                && gatewayOwner.containsKey(shared) && !gatewayOwner.get(shared).equals(account)) {
            Matcher id = ATTACHMENT_ID.matcher(out);
            if (id.find()) makeTwin(id.group(1), account, shared, form, region);
        }
        if (r.statusCode() == 200 && action.equals("DeleteTransitGatewayVpcAttachment")) {
            String gone = form.get("TransitGatewayAttachmentId");
            String t = gone == null ? null : twin.remove(gone);
            if (t != null) {
                String owner = twinOwner.remove(gone);
                call(owner, region, "Action=DeleteTransitGatewayVpcAttachment&Version=2016-11-15&TransitGatewayAttachmentId=" + t);
            }
        }
        // The answer in the caller's ids.
        for (Map.Entry<String, String> s : standIn.entrySet()) {
            if (s.getKey().startsWith(account + " ")) out = out.replace(s.getValue(), s.getKey().substring(account.length() + 1));
        }
        for (Map.Entry<String, String> t : twin.entrySet()) {
            if (twinOwner.get(t.getKey()).equals(account)) out = out.replace(t.getValue(), t.getKey());
        }
        reply(ex, r, out.getBytes(StandardCharsets.UTF_8));
    }

    private synchronized String standIn(String account, String gateway, String key, String region) {
        return standIn.computeIfAbsent(account + " " + gateway, k -> {
            String out = call(account, region, "Action=CreateTransitGateway&Version=2016-11-15&Description="
                    + URLEncoder.encode("stand-in for " + gateway + " shared from " + gatewayOwner.get(gateway), StandardCharsets.UTF_8));
            Matcher id = TGW_ID.matcher(out);
            if (!id.find()) throw new IllegalStateException("stand-in gateway: " + out);
            return id.group(1);
        });
    }

    private void makeTwin(String attachment, String spoke, String gateway, Map<String, String> form, String region) {
        String owner = gatewayOwner.get(gateway);
        StringBuilder req = new StringBuilder("Action=CreateTransitGatewayVpcAttachment&Version=2016-11-15&TransitGatewayId=").append(gateway)
                .append("&VpcId=").append(form.get("VpcId"));
        form.forEach((k, v) -> {
            if (k.startsWith("SubnetIds.")) req.append('&').append(k).append('=').append(v);
        });
        String out = call(owner, region, req.toString());
        Matcher id = ATTACHMENT_ID.matcher(out);
        if (!id.find()) throw new IllegalStateException("twin of " + attachment + ": " + out);
        twin.put(attachment, id.group(1));
        twinOwner.put(attachment, owner);
        onTwin.accept(id.group(1), spoke);
    }

    /** An EC2 call of the proxy's own in {@code account} (moto reads the account from the key, not the signature). */
    private String call(String account, String region, String form) {
        String key = keyOfAccount.get(account);
        if (key == null) throw new IllegalStateException("no credentials seen for account " + account);
        HttpRequest req = HttpRequest.newBuilder(URI.create(upstream.toString().replaceFirst("/$", "") + "/"))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=" + key + "/20260101/" + region + "/ec2/aws4_request, SignedHeaders=host, Signature=0")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        try {
            HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) throw new IllegalStateException(form + ": " + r.statusCode() + " " + r.body());
            return r.body();
        } catch (IOException e) {
            throw new IllegalStateException(form, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
