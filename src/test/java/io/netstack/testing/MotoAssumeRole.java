package io.netstack.testing;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Credentials of another account on moto: {@code sts:AssumeRole} into {@code arn:aws:iam::<account>:role/<name>}
 * returns keys whose calls moto runs in that account (its own per-account state; docs/moto-notes.md,
 * "Several accounts"). Called over plain HTTP (moto reads the credential scope of the Authorization
 * header, not the signature) so the tests need no STS client. The CLI then runs with
 * {@link #cliEnv}, as it would with a profile of that account.
 */
public record MotoAssumeRole(String account, String accessKeyId, String secretAccessKey) {
    private static final Pattern KEY = Pattern.compile("<AccessKeyId>([^<]+)</AccessKeyId>");
    private static final Pattern SECRET = Pattern.compile("<SecretAccessKey>([^<]+)</SecretAccessKey>");

    public static MotoAssumeRole into(AwsApi api, String account) {
        String role = "arn:aws:iam::" + account + ":role/netstack-it";
        String body = "Action=AssumeRole&Version=2011-06-15&RoleSessionName=netstack-it&RoleArn=" + URLEncoder.encode(role, StandardCharsets.UTF_8);
        HttpRequest req = HttpRequest.newBuilder(URI.create(api.endpoint().toString().replaceFirst("/$", "") + "/"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=" + AwsApi.ACCESS_KEY_ID
                        + "/20260101/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=0")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            HttpResponse<String> r = AwsApi.http().send(req, HttpResponse.BodyHandlers.ofString());
            Matcher k = KEY.matcher(r.body()), s = SECRET.matcher(r.body());
            if (r.statusCode() != 200 || !k.find() || !s.find()) throw new IllegalStateException("AssumeRole " + role + ": " + r.statusCode() + " " + r.body());
            return new MotoAssumeRole(account, k.group(1), s.group(1));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("AssumeRole " + role, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The CLI environment of {@code api} in {@code region}, with this account's keys. */
    public Map<String, String> cliEnv(AwsApi api, String region) {
        Map<String, String> env = new HashMap<>(api.cliEnv(region));
        env.put("AWS_ACCESS_KEY_ID", accessKeyId);
        env.put("AWS_SECRET_ACCESS_KEY", secretAccessKey);
        return env;
    }

    /** An EC2 client acting as this account (retries off, like {@link AwsApi#ec2}). */
    public software.amazon.awssdk.services.ec2.Ec2Client ec2(AwsApi api, String region) {
        return software.amazon.awssdk.services.ec2.Ec2Client.builder().endpointOverride(api.endpoint())
                .region(software.amazon.awssdk.regions.Region.of(region))
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(accessKeyId, secretAccessKey)))
                .httpClientBuilder(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.builder())
                .overrideConfiguration(o -> o.retryStrategy(software.amazon.awssdk.awscore.retry.AwsRetryStrategy.doNotRetry()))
                .build();
    }
}
