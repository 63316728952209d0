/**
 * The resource type contract between the engine and the providers.
 *
 * <p>Nothing here names an AWS SDK type: a type implementation receives stack-shaped JSON
 * ({@link io.netstack.spi.ResourceSpec}) and returns the same shape ({@link io.netstack.spi.LiveResource}),
 * so diff, plan rendering and drift stay generic. Deviation from docs/DESIGN.md, on purpose: this package
 * may import {@code io.netstack.stack} (the stack model and CIDR math), because type validation
 * works on stack blocks; the waiter and retry loop live here (not in {@code engine}) because
 * providers need them and may not import the engine.
 */
package io.netstack.spi;
