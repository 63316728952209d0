/**
 * Direct Connect: {@code dx-gateway}, {@code dx-gateway-association}, {@code dx-virtual-interface}
 * (one package each), and what they share: the error model ({@link io.netstack.provider.directconnect.DxCalls}),
 * tags ({@link io.netstack.provider.directconnect.DxTags}) and the base type
 * ({@link io.netstack.provider.directconnect.DxType}). Connections and LAGs are not managed: a virtual
 * interface names its {@code dxcon-…}/{@code dxlag-…}.
 *
 * <h2>How netstack finds what it owns here</h2>
 * <ul>
 *   <li><b>Gateways</b> carry tags (since March 2025: CreateDirectConnectGateway {@code tags},
 *       returned by DescribeDirectConnectGateways), set in the create call like every other
 *       netstack object, plus {@code netstack:region} because gateways are global. Their name is
 *       free. Reads: DescribeDirectConnectGateways has no filter, so a plan reads all of the
 *       account's gateways (100 a page) and checks tags client-side.</li>
 *   <li><b>Gateway associations</b> carry neither tags nor a name. Their owner and logical id are
 *       recorded on their gateway as a tag {@code netstack:association:<vgw-…|tgw-…>} =
 *       {@code <region>/<stack>/<id>}, written before the association is created and removed after it
 *       is deleted. Reads: one DescribeDirectConnectGatewayAssociations per gateway with a record of
 *       the stack.</li>
 *   <li><b>Virtual interfaces</b> carry tags (creation {@code tags}). DescribeVirtualInterfaces has no
 *       filter and no pagination; where its entries come without tags, one DescribeTags per interface.</li>
 * </ul>
 *
 * <p>Direct Connect has two error codes only; "does not exist" in a {@code DirectConnectClientException}
 * is its NotFound. A plan reads these types only when the stack declares them or is found to own
 * some (provider.OwnedTypes); an endpoint without the API (moto) is covered in test code, never here.
 */
package io.netstack.provider.directconnect;
