package io.netstack.provider.ec2.flowlog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netstack.provider.AwsSession;
import io.netstack.provider.Ec2Tags;
import io.netstack.provider.Deletion;
import io.netstack.provider.Ec2Type;
import io.netstack.provider.Status;
import io.netstack.spi.AwsFailure;
import io.netstack.spi.ErrorCategory;
import io.netstack.spi.LiveResource;
import io.netstack.spi.Property;
import io.netstack.spi.ResourceSpec;
import io.netstack.spi.Schema;
import io.netstack.spi.TypeContext;
import io.netstack.spi.Unmanaged;
import io.netstack.spi.Validation;
import io.netstack.spi.Waiter;
import io.netstack.stack.ResourceBlock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.ec2.model.CreateFlowLogsResponse;
import software.amazon.awssdk.services.ec2.model.FlowLog;
import software.amazon.awssdk.services.ec2.model.FlowLogsResourceType;
import software.amazon.awssdk.services.ec2.model.LogDestinationType;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.UnsuccessfulItem;

/**
 * {@code flow-log}: VPC Flow Logs for a VPC, a subnet or a network interface, delivered to S3
 * ({@code {"s3": "arn:aws:s3:::bucket[/prefix/]"}}) or CloudWatch Logs
 * ({@code {"cloudWatchLogs": "<log group name or ARN>", "role": "<IAM role ARN that may write it>"}}).
 * Everything is create-only: AWS cannot modify a flow log, so any change replaces it.
 *
 * <p>{@code traffic} defaults to {@code ALL}; {@code aggregationSeconds} to 600 (AWS's default;
 * 60 is the other choice). {@code format} is the record's field names in order,
 * {@code ["version", "srcaddr", "dstaddr", "action"]}: AWS's own {@code "${version} ${srcaddr} …"}
 * text would collide with netstack's {@code ${…}} references, so the stack file names the fields and
 * netstack writes and reads AWS's form. {@code format} omitted is not managed: AWS then uses its
 * default version-2 format ({@link #AWS_DEFAULT_FORMAT}).
 *
 * <p>Create passes the deterministic ClientToken and tags in one {@code TagSpecification}
 * (resource type {@code vpc-flow-log}). CreateFlowLogs reports per-resource failures in
 * {@code Unsuccessful} rather than as an error: they are raised as failures with AWS's code and
 * message (a resource created a moment ago that is not visible yet is retried as NotFound).
 * Flow logs are active as soon as they exist, so there is nothing to wait for but visibility.
 * Reads: one paginated DescribeFlowLogs filtered by the stack's tag.
 */
public final class FlowLogType extends Ec2Type {
    /** AWS's default log format (VPC user guide, "Flow log records": default format, version 2). */
    static final String AWS_DEFAULT_FORMAT = "${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} "
            + "${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}";
    /**
     * Deleting a flow log is synchronous in AWS; the wait only covers a Describe that still
     * returns it for a moment (eventual consistency, docs/aws-facts.md: up to about 5 minutes).
     */
    static final Duration DELETE_TIMEOUT = Duration.ofMinutes(5);
    static final Deletion DELETION = Deletion.of("DeleteFlowLogs", DELETE_TIMEOUT, "InvalidFlowLogId.NotFound");

    private static final Pattern FIELD = Pattern.compile("[a-z][a-z0-9-]*");
    private static final Pattern FIELD_IN_FORMAT = Pattern.compile("\\$\\{([^}]+)}");
    private static final Pattern LOG_GROUP_ARN = Pattern.compile("arn:aws[a-z-]*:logs:[a-z0-9-]+:\\d{12}:log-group:([^:]+)(:\\*)?");

    private static final Schema SCHEMA = new Schema(true, List.of(),
            Property.ref("resource", List.of("vpc", "subnet"), List.of("vpc-", "subnet-", "eni-")).required().createOnly()
                    .describe("the VPC, subnet or network interface (eni-…) whose traffic is logged"),
            Property.string("traffic").createOnly().oneOf("ALL", "ACCEPT", "REJECT").defaultValue("ALL").describe("which traffic is logged: accepted, rejected or all"),
            Property.object("destination",
                    Property.string("s3").describe("S3 bucket ARN, optionally with a /prefix/"),
                    Property.string("cloudWatchLogs").describe("CloudWatch Logs group name (or ARN)"),
                    Property.string("role").describe("with cloudWatchLogs: ARN of the IAM role that may write to the group"))
                    .required().createOnly(),
            Property.list("format", Property.string("field")).ordered().createOnly()
                    .describe("custom record format as field names in order, e.g. [\"version\", \"srcaddr\", \"dstaddr\", \"action\"]; omitted: AWS's default"),
            Property.integer("aggregationSeconds").createOnly().range(60, 600).defaultValue(600).describe("60 or 600"));

    private final Reads<FlowLog> reads = reads("DescribeFlowLogs", f -> ec2().describeFlowLogsPaginator(r -> r.filter(f)).flowLogs(),
            FlowLog::flowLogId, FlowLog::tags, (ctx, id, f) -> translate(id, f));

    public FlowLogType(AwsSession aws) {
        super(aws, "flow-log", "flow log", SCHEMA);
    }

    @Override
    public ObjectNode normalize(ObjectNode p) {
        JsonNode d = p.get("destination");
        if (d != null && d.isObject() && d.path("cloudWatchLogs").isTextual()) {
            Matcher m = LOG_GROUP_ARN.matcher(d.get("cloudWatchLogs").asText());
            if (m.matches()) ((ObjectNode) d).put("cloudWatchLogs", m.group(1));
        }
        return p;
    }

    @Override
    public void validate(ResourceBlock b, Validation v) {
        JsonNode d = b.properties().path("destination");
        boolean s3 = d.has("s3"), cw = d.has("cloudWatchLogs");
        if (s3 == cw) v.error(b, "/destination", "give exactly one destination: {\"s3\": bucketArn} or {\"cloudWatchLogs\": group, \"role\": roleArn}");
        if (s3) {
            if (!d.path("s3").asText().matches("arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/.*)?")) {
                v.error(b, "/destination/s3", "an S3 destination is a bucket ARN: arn:aws:s3:::bucket or arn:aws:s3:::bucket/prefix/");
            }
            if (d.has("role")) v.error(b, "/destination/role", "S3 delivery needs no role (the bucket policy grants it); role goes with cloudWatchLogs");
        }
        if (cw) {
            if (!d.has("role")) v.error(b, "/destination", "CloudWatch Logs delivery needs \"role\": the ARN of an IAM role that may write to the log group");
            else if (!d.path("role").asText().matches("arn:aws[a-z-]*:iam::\\d{12}:role/.+")) v.error(b, "/destination/role", "role must be an IAM role ARN (arn:aws:iam::<account>:role/<name>)");
        }
        JsonNode agg = b.properties().get("aggregationSeconds");
        if (agg != null && agg.isIntegralNumber() && agg.asInt() != 60 && agg.asInt() != 600) {
            v.error(b, "/aggregationSeconds", "aggregationSeconds is 60 or 600");
        }
        JsonNode format = b.properties().get("format");
        if (format != null && format.isEmpty()) v.error(b, "/format", "a format names at least one field; omit format for AWS's default");
        if (format != null) for (int i = 0; i < format.size(); i++) {
            String field = format.get(i).asText();
            if (!FIELD.matcher(field).matches()) {
                v.error(b, "/format/" + i, "\"" + field + "\" is not a flow log field name (like srcaddr, dstport or log-status; written without ${ })");
            }
        }
    }

    /**
     * The flow logs of the VPCs themselves: one DescribeFlowLogs filtered by resource-id (flow logs
     * of single subnets or interfaces are not imported yet). AWS returns the format it applies
     * even when none was given, so the imported file spells it out.
     */
    @Override
    public List<LiveResource> importable(TypeContext ctx, io.netstack.spi.ImportScope scope) {
        return importInVpcs(ctx, scope, reads, () -> reads.describe().apply(Ec2Tags.filter("resource-id", scope.vpcIds())),
                f -> scope.vpcIds().contains(f.resourceId()));
    }

    /** Flow logs on the stack's VPCs without ownership tags (drift): one DescribeFlowLogs filtered by resource-id. */
    @Override
    public List<Unmanaged> unmanaged(TypeContext ctx, Set<String> vpcIds) {
        return unmanagedIn(vpcIds, reads, "resource-id", f -> vpcIds.contains(f.resourceId())
                ? Optional.of(new Unmanaged(name(), f.flowLogId(), f.resourceId(), "flow log (" + f.trafficTypeAsString() + " traffic to "
                        + (f.logDestination() != null ? f.logDestination() : f.logGroupName()) + ")"))
                : Optional.empty());
    }

    private LiveResource translate(String id, FlowLog f) {
        ObjectNode p = JsonNodeFactory.instance.objectNode();
        p.put("resource", f.resourceId());
        if (f.trafficTypeAsString() != null) p.put("traffic", f.trafficTypeAsString());
        ObjectNode d = p.putObject("destination");
        String type = f.logDestinationTypeAsString() == null ? "cloud-watch-logs" : f.logDestinationTypeAsString();
        switch (type) {
            case "s3" -> d.put("s3", f.logDestination());
            case "cloud-watch-logs" -> {
                String group = f.logGroupName();
                if (group == null && f.logDestination() != null) {
                    Matcher m = LOG_GROUP_ARN.matcher(f.logDestination());
                    group = m.matches() ? m.group(1) : f.logDestination();
                }
                d.put("cloudWatchLogs", group);
                if (f.deliverLogsPermissionArn() != null) d.put("role", f.deliverLogsPermissionArn());
            }
            default -> d.put(type, f.logDestination()); // e.g. Firehose: not a netstack destination, shows as a difference
        }
        if (f.logFormat() != null) p.set("format", fields(f.logFormat()));
        p.put("aggregationSeconds", f.maxAggregationInterval() == null ? 600 : f.maxAggregationInterval());
        p.set("tags", Ec2Tags.userTags(f.tags()));
        return new LiveResource(id, name(), f.flowLogId(), p, Map.of());
    }

    /** AWS's {@code "${version} ${srcaddr}"} as {@code ["version", "srcaddr"]}. */
    static ArrayNode fields(String format) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        Matcher m = FIELD_IN_FORMAT.matcher(format);
        while (m.find()) a.add(m.group(1));
        return a;
    }

    /** {@code ["version", "srcaddr"]} as AWS's {@code "${version} ${srcaddr}"}. */
    static String formatText(JsonNode fields) {
        List<String> out = new ArrayList<>();
        fields.forEach(x -> out.add("${" + x.asText() + "}"));
        return String.join(" ", out);
    }

    private Optional<FlowLog> describe(String id, String flowLogId) {
        return findOne(id, "DescribeFlowLogs", flowLogId, () -> ec2().describeFlowLogs(r -> r.flowLogIds(flowLogId)).flowLogs(), FlowLog::flowLogId, null);
    }

    private Optional<LiveResource> readOne(String id, String flowLogId) {
        return describe(id, flowLogId).map(f -> translate(id, f));
    }

    static FlowLogsResourceType resourceType(String awsId) {
        if (awsId.startsWith("subnet-")) return FlowLogsResourceType.SUBNET;
        if (awsId.startsWith("eni-")) return FlowLogsResourceType.NETWORK_INTERFACE;
        return FlowLogsResourceType.VPC;
    }

    @Override
    public LiveResource create(TypeContext ctx, ResourceSpec spec) {
        String id = spec.id();
        String resource = spec.text("resource");
        JsonNode d = spec.properties().get("destination");
        CreateFlowLogsResponse r = mutate(ctx, id, "CreateFlowLogs", () -> {
            CreateFlowLogsResponse resp = ec2().createFlowLogs(b -> {
                b.resourceIds(resource).resourceType(resourceType(resource)).trafficType(spec.text("traffic"))
                        .maxAggregationInterval(spec.properties().path("aggregationSeconds").asInt(600))
                        .clientToken(spec.clientToken())
                        .tagSpecifications(Ec2Tags.spec(ResourceType.VPC_FLOW_LOG, spec.tags()));
                if (d.has("s3")) b.logDestinationType(LogDestinationType.S3).logDestination(d.get("s3").asText());
                else {
                    String group = d.path("cloudWatchLogs").asText();
                    b.logDestinationType(LogDestinationType.CLOUD_WATCH_LOGS).deliverLogsPermissionArn(d.path("role").asText());
                    if (LOG_GROUP_ARN.matcher(group).matches()) b.logDestination(group);
                    else b.logGroupName(group);
                }
                JsonNode format = spec.properties().get("format");
                if (format != null && !format.isNull()) b.logFormat(formatText(format));
            });
            failOnUnsuccessful(id, "CreateFlowLogs", resp.unsuccessful(), Set.of());
            return resp;
        });
        if (r.flowLogIds().isEmpty()) throw new AwsFailure(ErrorCategory.OTHER, id, "CreateFlowLogs", "AWS returned no flow log id");
        String flowLogId = r.flowLogIds().get(0);
        return readBack(ctx, id, flowLogId, () -> readOne(id, flowLogId));
    }

    @Override
    public LiveResource update(TypeContext ctx, LiveResource live, ResourceSpec spec, Set<String> changed) {
        return updateTags(ctx, live, spec, changed, this::describe, this::readOne);
    }

    @Override
    public void delete(TypeContext ctx, LiveResource live) {
        deleteAndWaitGone(ctx, live, DELETION,
                flowLogId -> failOnUnsuccessful(live.id(), DELETION.action(), ec2().deleteFlowLogs(r -> r.flowLogIds(flowLogId)).unsuccessful(), Set.of()),
                this::describe, Status.exists());
    }

    /** IAM actions of the handlers above, for {@code netstack policy} (spi.Permissions). */
    @Override
    public io.netstack.spi.Permissions permissions() {
        return ec2Permissions(DELETION, List.of("CreateFlowLogs"), List.of(), List.of(), true);
    }
}
