package io.netstack.provider;

import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * The base of an EC2 type's helper classes (verbs on its children, reads it shares) that are no
 * {@link AwsType}: the session's EC2 client. They call AWS through {@link AwsCalls}.
 */
public abstract class Ec2Helper {
    protected final AwsSession aws;

    protected Ec2Helper(AwsSession aws) {
        this.aws = aws;
    }

    protected final Ec2Client ec2() {
        return aws.ec2();
    }
}
