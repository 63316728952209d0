/**
 * {@code netstack diagram}: a picture of the network, not of the dependency graph ({@code netstack
 * graph} draws that, as {@code terraform graph} does, terraform#39057). Built from validated stack
 * blocks only (no AWS call): region → VPC → zone → subnets (labelled with their CIDRs), gateways
 * inside the VPC beside the zones, route-table routes as edges from each associated subnet to the
 * route's target (labelled with the destinations), and peering / transit gateway / VPN / Direct
 * Connect links across VPCs and stacks.
 *
 * <p>{@link NetworkModel} is the one model; {@link MermaidWriter} and {@link DotWriter} print it for
 * renderers that lay out themselves; {@link SvgWriter} lays it out with the Eclipse Layout Kernel's
 * layered algorithm (hierarchical: edges cross the nested boxes) and writes the SVG itself.
 */
package io.netstack.diagram;
