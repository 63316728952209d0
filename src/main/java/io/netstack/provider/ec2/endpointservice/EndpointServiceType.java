package io.netstack.provider.ec2.endpointservice;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netstack.provider.AwsCalls;
import io.netstack.provider.AwsSession;
import io.netstack.provider.Ec2Tags;
import io.netstack.provider.Deletion;
import io.netstack.provider.Ec2Type;
import io.netstack.provider.Status;
import io.netstack.provider.Wait;
import io.netstack.spi.AwsFailure;
import io.netstack.spi.ErrorCategory;
import io.netstack.spi.LiveResource;
import io.netstack.spi.Property;
import io.netstack.spi.ResourceSpec;
import io.netstack.spi.Schema;
import io.netstack.spi.TypeContext;
import io.netstack.spi.Validation;
import io.netstack.spi.Waiter;
import io.netstack.stack.ResourceBlock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.ec2.model.AllowedPrincipal;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.ModifyVpcEndpointServiceConfigurationRequest;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.ServiceConfiguration;
import software.amazon.awssdk.services.ec2.model.UnsuccessfulItem;

/**
 * {@code endpoint-service}: the provider side of AWS PrivateLink — a VPC endpoint service in
 * front of Network Load Balancers (interface endpoints connect to it) or Gateway Load Balancers
 * (gateway-load-balancer endpoints). The load balancers are usually not netstack's: they are given
 * by ARN. A {@code vpc-endpoint} of the same stack consumes the service with
 * {@code "service": "${id}"}. Attribute {@code serviceName} is what consumers in other accounts use.
 *
 * <p>Everything is updated in place: load balancers (ModifyVpcEndpointServiceConfiguration
 * add/remove, the NLB and GWLB lists kept apart by the ARN's {@code loadbalancer/gwy/} part),
 * {@code acceptanceRequired} (default {@code true}, the console's and CDK's default: a connection
 * request waits for the owner to accept it) and {@code allowedPrincipals} (default {@code []}: AWS's
 * default, nobody; ModifyVpcEndpointServicePermissions add/remove). Accepting or rejecting
 * individual connection requests is not modelled.
 *
 * <p>Reads: one paginated DescribeVpcEndpointServiceConfigurations filtered by the stack's tag
 * (re-checked here: moto ignores the filter), deleted/deleting services dropped, then one
 * DescribeVpcEndpointServicePermissions per owned service: AWS has no batched read of a service's
 * allowed principals, and a stack has few endpoint services.
 *
 * <p>Create passes the deterministic ClientToken and waits until the service is {@code Available}.
 * Delete retries {@code ExistingVpcEndpointConnections} (endpoints of consumers still attached —
 * those of the same stack are deleted first, as they reference the service) until the delete
 * timeout, then waits until the service is gone.
 */
public final class EndpointServiceType extends Ec2Type {
    /** Terraform aws_vpc_endpoint_service: create 10 m (Pending → Available). */
    static final Duration CREATE_TIMEOUT = Duration.ofMinutes(10);
    /** Terraform aws_vpc_endpoint_service: update 10 m (load balancer changes pass through Pending). */
    static final Duration UPDATE_TIMEOUT = Duration.ofMinutes(10);
    /** Terraform aws_vpc_endpoint_service: delete 10 m; consumer endpoints take minutes to detach. */
    static final Duration DELETE_TIMEOUT = Duration.ofMinutes(10);
    static final Status<ServiceConfiguration> STATE = c -> new Waiter.Outcome(state(c), null);
    static final Wait AVAILABLE = Wait.created("available", CREATE_TIMEOUT, "available").failingOn("failed", "deleted");
    static final Wait MODIFIED = Wait.until("available after modification", UPDATE_TIMEOUT, "available").failingOn("failed", "deleted");
    static final Deletion DELETION = Deletion.of("DeleteVpcEndpointServiceConfigurations", DELETE_TIMEOUT,
            "InvalidVpcEndpointServiceId.NotFound", "InvalidVpcEndpointService.NotFound");

    private static final Set<String> DROPPED = Set.of("deleted", "deleting");
    private static final Pattern LB_ARN = Pattern.compile("arn:aws[a-z-]*:elasticloadbalancing:([a-z0-9-]+):(\\d{12}):loadbalancer/([a-z]+)/.+");
    private static final Pattern PRINCIPAL = Pattern.compile("\\*|arn:aws[a-z-]*:iam::(\\d{12}|\\*):.+|[a-z0-9.-]+\\.amazonaws\\.com");

    private static final Schema SCHEMA = new Schema(true, List.of("serviceName"),
            Property.list("loadBalancers", Property.string("arn")).required()
                    .describe("ARNs of the Network Load Balancers (or Gateway Load Balancers) behind the service"),
            Property.bool("acceptanceRequired").defaultValue(true).describe("connection requests wait for the service owner to accept them"),
            Property.list("allowedPrincipals", Property.string("principal")).defaultEmptyList()
                    .describe("principals that may connect: arn:aws:iam::<account>:root, role or user ARNs, or \"*\""));

    public EndpointServiceType(AwsSession aws) {
        super(aws, "endpoint-service", "endpoint service", SCHEMA);
    }

    @Override
    public void validate(ResourceBlock b, Validation v) {
        JsonNode lbs = b.properties().path("loadBalancers");
        if (lbs.isEmpty()) v.error(b, "/loadBalancers", "an endpoint service needs at least one load balancer");
        int gwy = 0;
        for (int i = 0; i < lbs.size(); i++) {
            String arn = lbs.get(i).asText();
            Matcher m = LB_ARN.matcher(arn);
            if (!m.matches()) {
                v.error(b, "/loadBalancers/" + i, "\"" + arn + "\" is not a load balancer ARN (arn:aws:elasticloadbalancing:<region>:<account>:loadbalancer/net/<name>/<id>)");
                continue;
            }
            if (!m.group(1).equals(v.stack().region())) v.error(b, "/loadBalancers/" + i, "the load balancer is in " + m.group(1) + ", not in the stack's region " + v.stack().region());
            if (m.group(3).equals("gwy")) gwy++;
            else if (m.group(3).equals("app")) v.warning(b, "/loadBalancers/" + i, "an Application Load Balancer cannot back an endpoint service; AWS expects a Network (net/) or Gateway (gwy/) Load Balancer");
        }
        if (gwy > 0 && gwy < lbs.size()) v.error(b, "/loadBalancers", "an endpoint service is either in front of Network Load Balancers or of Gateway Load Balancers, not both");
        JsonNode principals = b.properties().path("allowedPrincipals");
        for (int i = 0; i < principals.size(); i++) {
            String p = principals.get(i).asText();
            if (!PRINCIPAL.matcher(p).matches()) v.error(b, "/allowedPrincipals/" + i, "\"" + p + "\" is not a principal ARN (arn:aws:iam::<account>:root, a role or user ARN) or \"*\"");
            if (p.equals("*") && !b.properties().path("acceptanceRequired").asBoolean(true)) {
                v.warning(b, "/allowedPrincipals/" + i, "every AWS account may connect and requests are accepted automatically: the load balancers are public in effect");
            }
        }
    }

    @Override
    public List<LiveResource> list(TypeContext ctx) {
        return read(ctx, List.of(Ec2Tags.stackFilter(ctx.stack())), null, null);
    }

    private List<LiveResource> read(TypeContext ctx, List<Filter> filters, String onlyId, String resource) {
        List<ServiceConfiguration> owned = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        AwsCalls.run(resource, "DescribeVpcEndpointServiceConfigurations", () -> ec2().describeVpcEndpointServiceConfigurationsPaginator(r -> {
            r.filters(filters);
            if (onlyId != null) r.serviceIds(onlyId);
        }).serviceConfigurations().forEach(c -> Ec2Tags.ownedId(c.tags(), ctx.stack()).ifPresent(id -> {
            if (onlyId != null && !onlyId.equals(c.serviceId())) return;
            if (DROPPED.contains(state(c))) return;
            owned.add(c);
            ids.add(id);
        })));
        List<LiveResource> out = new ArrayList<>();
        for (int i = 0; i < owned.size(); i++) {
            ServiceConfiguration c = owned.get(i);
            String id = ids.get(i);
            Optional<List<String>> principals = find(id, "DescribeVpcEndpointServicePermissions", () -> {
                List<String> ps = new ArrayList<>();
                ec2().describeVpcEndpointServicePermissionsPaginator(r -> r.serviceId(c.serviceId())).allowedPrincipals()
                        .stream().map(AllowedPrincipal::principal).forEach(ps::add);
                return ps;
            });
            if (principals.isEmpty()) continue; // deleted between the two reads
            out.add(translate(id, c, principals.get()));
        }
        return out;
    }

    static String state(ServiceConfiguration c) {
        return c.serviceStateAsString() == null ? "unknown" : c.serviceStateAsString().toLowerCase(Locale.ROOT);
    }

    private LiveResource translate(String id, ServiceConfiguration c, List<String> principals) {
        ObjectNode p = JsonNodeFactory.instance.objectNode();
        ArrayNode lbs = p.putArray("loadBalancers");
        c.networkLoadBalancerArns().forEach(lbs::add);
        c.gatewayLoadBalancerArns().forEach(lbs::add);
        p.put("acceptanceRequired", Boolean.TRUE.equals(c.acceptanceRequired()));
        ArrayNode ps = p.putArray("allowedPrincipals");
        principals.forEach(ps::add);
        p.set("tags", Ec2Tags.userTags(c.tags()));
        return new LiveResource(id, name(), c.serviceId(), p, Map.of("serviceName", c.serviceName()));
    }

    private Optional<ServiceConfiguration> describe(String id, String serviceId) {
        return findOne(id, "DescribeVpcEndpointServiceConfigurations", serviceId,
                () -> ec2().describeVpcEndpointServiceConfigurations(r -> r.serviceIds(serviceId)).serviceConfigurations(), ServiceConfiguration::serviceId, null);
    }

    private Optional<LiveResource> readOne(TypeContext ctx, String id, String serviceId) {
        return find(id, "DescribeVpcEndpointServiceConfigurations", () -> read(ctx, List.of(), serviceId, id)).flatMap(l -> l.stream().findFirst());
    }

    static boolean gateway(String arn) {
        Matcher m = LB_ARN.matcher(arn);
        return m.matches() && m.group(3).equals("gwy");
    }

    private static List<String> strings(JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n != null && n.isArray()) n.forEach(x -> out.add(x.asText()));
        return out;
    }

    @Override
    public LiveResource create(TypeContext ctx, ResourceSpec spec) {
        String id = spec.id();
        List<String> lbs = strings(spec.properties().get("loadBalancers"));
        List<String> gwlbs = lbs.stream().filter(EndpointServiceType::gateway).toList();
        List<String> nlbs = lbs.stream().filter(a -> !gateway(a)).toList();
        ServiceConfiguration c = AwsCalls.call(id, "CreateVpcEndpointServiceConfiguration", () -> ec2().createVpcEndpointServiceConfiguration(r -> {
            r.acceptanceRequired(spec.bool("acceptanceRequired", true)).clientToken(spec.clientToken())
                    .tagSpecifications(Ec2Tags.spec(ResourceType.VPC_ENDPOINT_SERVICE, spec.tags()));
            if (!nlbs.isEmpty()) r.networkLoadBalancerArns(nlbs);
            if (!gwlbs.isEmpty()) r.gatewayLoadBalancerArns(gwlbs);
        }).serviceConfiguration());
        String serviceId = c.serviceId();
        await(ctx, id, serviceId, AVAILABLE, () -> describe(id, serviceId), STATE);
        List<String> principals = strings(spec.properties().get("allowedPrincipals"));
        if (!principals.isEmpty()) {
            mutateRun(ctx, id, "ModifyVpcEndpointServicePermissions", () -> ec2().modifyVpcEndpointServicePermissions(r -> r.serviceId(serviceId).addAllowedPrincipals(principals)));
        }
        return readBack(ctx, id, serviceId, () -> readOne(ctx, id, serviceId));
    }

    @Override
    public LiveResource update(TypeContext ctx, LiveResource live, ResourceSpec spec, Set<String> changed) {
        String id = spec.id(), serviceId = live.awsId();
        ObjectNode want = spec.properties(), have = live.properties();
        ensureExists(id, serviceId, () -> describe(id, serviceId));
        boolean touched = false;
        ModifyVpcEndpointServiceConfigurationRequest.Builder m = ModifyVpcEndpointServiceConfigurationRequest.builder().serviceId(serviceId);
        boolean modify = false;
        if (changed.contains("loadBalancers")) {
            Set<String> w = new LinkedHashSet<>(strings(want.get("loadBalancers"))), h = new LinkedHashSet<>(strings(have.get("loadBalancers")));
            List<String> add = w.stream().filter(x -> !h.contains(x)).toList(), remove = h.stream().filter(x -> !w.contains(x)).toList();
            List<String> addG = add.stream().filter(EndpointServiceType::gateway).toList(), addN = add.stream().filter(a -> !gateway(a)).toList();
            List<String> remG = remove.stream().filter(EndpointServiceType::gateway).toList(), remN = remove.stream().filter(a -> !gateway(a)).toList();
            if (!addN.isEmpty()) m.addNetworkLoadBalancerArns(addN);
            if (!remN.isEmpty()) m.removeNetworkLoadBalancerArns(remN);
            if (!addG.isEmpty()) m.addGatewayLoadBalancerArns(addG);
            if (!remG.isEmpty()) m.removeGatewayLoadBalancerArns(remG);
            modify = !add.isEmpty() || !remove.isEmpty();
        }
        if (changed.contains("acceptanceRequired")) {
            m.acceptanceRequired(want.path("acceptanceRequired").asBoolean(true));
            modify = true;
        }
        if (modify) {
            ModifyVpcEndpointServiceConfigurationRequest req = m.build();
            mutateRun(ctx, id, "ModifyVpcEndpointServiceConfiguration", () -> ec2().modifyVpcEndpointServiceConfiguration(req));
            await(ctx, id, serviceId, MODIFIED, () -> describe(id, serviceId), STATE);
            touched = true;
        }
        if (changed.contains("allowedPrincipals")) {
            Set<String> w = new LinkedHashSet<>(strings(want.get("allowedPrincipals"))), h = new LinkedHashSet<>(strings(have.get("allowedPrincipals")));
            List<String> add = w.stream().filter(x -> !h.contains(x)).toList(), remove = h.stream().filter(x -> !w.contains(x)).toList();
            if (!add.isEmpty() || !remove.isEmpty()) {
                mutateRun(ctx, id, "ModifyVpcEndpointServicePermissions", () -> ec2().modifyVpcEndpointServicePermissions(r -> {
                    r.serviceId(serviceId);
                    if (!add.isEmpty()) r.addAllowedPrincipals(add);
                    if (!remove.isEmpty()) r.removeAllowedPrincipals(remove);
                }));
                touched = true;
            }
        }
        return updatedAfterTags(ctx, live, spec, changed, touched, () -> readOne(ctx, id, serviceId));
    }

    @Override
    public void delete(TypeContext ctx, LiveResource live) {
        String id = live.id(), serviceId = live.awsId();
        deleteAndWaitGone(ctx, id, serviceId, DELETION, () -> {
            failOnUnsuccessful(id, DELETION.action(), ec2().deleteVpcEndpointServiceConfigurations(r -> r.serviceIds(serviceId)).unsuccessful(),
                    Set.of("ExistingVpcEndpointConnections"));
        }, () -> describe(id, serviceId), c -> new Waiter.Outcome(state(c).equals("deleted") ? Waiter.GONE : state(c), null),
                Wait.deleted(DELETE_TIMEOUT).failingOn("failed"));
    }

    /** IAM actions of the handlers above, for {@code netstack policy} (spi.Permissions). */
    @Override
    public io.netstack.spi.Permissions permissions() {
        return new io.netstack.spi.Permissions(
                java.util.List.of("ec2:DescribeVpcEndpointServiceConfigurations", "ec2:DescribeVpcEndpointServicePermissions"),
                java.util.List.of("ec2:CreateTags", "ec2:CreateVpcEndpointServiceConfiguration", "ec2:ModifyVpcEndpointServiceConfiguration", "ec2:ModifyVpcEndpointServicePermissions"),
                java.util.List.of("ec2:CreateTags", "ec2:DeleteTags", "ec2:ModifyVpcEndpointServiceConfiguration", "ec2:ModifyVpcEndpointServicePermissions"),
                java.util.List.of("ec2:DeleteVpcEndpointServiceConfigurations"),
                java.util.List.of());
    }
}
