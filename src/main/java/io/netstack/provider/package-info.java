/**
 * The AWS implementation of the SPI: SDK clients ({@link io.netstack.provider.AwsSession}), AWS
 * error codes mapped onto {@link io.netstack.spi.ErrorCategory} ({@link io.netstack.provider.AwsCalls}),
 * ownership tags ({@link io.netstack.provider.Ec2Tags}) and the registry of types
 * ({@link io.netstack.provider.AwsProvider}). Each resource type lives in its own package below.
 */
package io.netstack.provider;
