package io.netstack.stack;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a stack runs: its {@code "account"} block (docs/stack-format.md, "Account"). Either a role
 * to assume ({@code roleArn}, with an optional {@code externalId}) or a {@code profile} of the AWS
 * config files; {@code id} is the account the credentials must be in (checked with
 * GetCallerIdentity before anything is read). Without a role or profile, the command's own
 * credentials are used and {@code id} only checks them. {@code id} is filled from the role's ARN
 * when the file gives only the role.
 */
public record Account(String id, String roleArn, String externalId, String profile) {
    public static final Pattern ID = Pattern.compile("\\d{12}");
    /** IAM role ARN in any partition: arn:PARTITION:iam::ACCOUNT:role/[path/]name. */
    public static final Pattern ROLE_ARN = Pattern.compile("arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-[a-z]|aws-eusc):iam::(\\d{12}):role/[\\w+=,.@/-]{1,512}");
    /** STS: 2–1224 characters of [\w+=,.@:/-] (AssumeRole API reference, ExternalId). */
    public static final Pattern EXTERNAL_ID = Pattern.compile("[\\w+=,.@:/-]{2,1224}");
    /** Profile names: what the AWS config files allow in a section name, without spaces. */
    public static final Pattern PROFILE = Pattern.compile("[\\w+=,.@:/-]{1,128}");

    /** The account id in a role ARN, or null if {@code arn} is not one. */
    public static String accountOf(String arn) {
        if (arn == null) return null;
        Matcher m = ROLE_ARN.matcher(arn);
        return m.matches() ? m.group(2) : null;
    }

    /** "account 222222222222 (role arn:…)" for messages and plan headers. */
    public String describe() {
        StringBuilder b = new StringBuilder(id == null ? "account (any)" : "account " + id);
        if (roleArn != null) b.append(" via role ").append(roleArn);
        if (profile != null) b.append(" via profile ").append(profile);
        return b.toString();
    }
}
