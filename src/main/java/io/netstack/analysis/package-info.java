/**
 * The declared network as a model, offline: VPCs, subnets, route tables, gateways, security
 * groups and NACLs built from validated stack files (no AWS SDK, no AWS call), the lint rules
 * that follow real paths through it ({@link io.netstack.analysis.Linter}) and hop-by-hop
 * reachability ({@link io.netstack.analysis.Reach}). For {@code reach --live} the same model is
 * built from the engine's {@code LiveState} (read by the CLI; still no AWS SDK here). See
 * docs/DESIGN.md, "Offline analysis".
 */
package io.netstack.analysis;
