package io.spinledger.infra;

import static org.assertj.core.api.Assertions.assertThat;

import io.spinledger.config.BucketName;
import io.spinledger.config.CaptureService;
import io.spinledger.config.FunctionCatalogue;
import io.spinledger.config.FunctionCatalogue.Access;
import io.spinledger.config.FunctionCatalogue.Secret;
import io.spinledger.config.FunctionCatalogue.Trigger;
import io.spinledger.config.QueueName;
import io.spinledger.config.TableName;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The contract between the code and what is deployed: {@link FunctionCatalogue}, {@link QueueName},
 * {@link TableName} and {@link BucketName} must equal what the SAM template, Terraform's {@code catalogue.tf}
 * and the LocalStack scripts declare (names, handlers, definitions, main classes, triggers, queues with their
 * dead-letter queues, tables, the bucket, and each function's role). Pure Java: runs on every build.
 */
class InfraContractTest {
    static final String HANDLER = "org.springframework.cloud.function.adapter.aws.FunctionInvoker::handleRequest";

    /** The variable {@code Settings} reads the media bucket's name from; every deployed function must get it. */
    static final String MEDIA_BUCKET_VARIABLE = "SPINLEDGER_MEDIA_BUCKET";

    private static Map<String, Object> template;
    private static Map<String, Object> resources;

    @BeforeAll
    static void load() throws Exception {
        template = CfnYaml.read(Repo.SAM_TEMPLATE);
        resources = map(template.get("Resources"));
    }

    // ---------------------------------------------------------------- SAM: queues, tables, bucket

    @Test
    void samDeclaresEachQueueWithItsDeadLetterQueue() {
        Map<String, String> idByName = idsByProperty("AWS::SQS::Queue", "QueueName");
        List<String> expected = new ArrayList<>();
        for (QueueName q : QueueName.values()) {
            expected.add(q.queueName());
            expected.add(q.deadLetterQueueName());
        }
        assertThat(idByName.keySet()).containsExactlyInAnyOrderElementsOf(expected);

        SoftAssertions soft = new SoftAssertions();
        for (QueueName q : QueueName.values()) {
            Map<String, Object> p = props(idByName.get(q.queueName()));
            soft.assertThat(num(p.get("VisibilityTimeout"))).as(q + " visibility").isEqualTo(q.visibilityTimeoutSeconds());
            Map<String, Object> redrive = map(p.get("RedrivePolicy"));
            soft.assertThat(num(redrive.get("maxReceiveCount"))).as(q + " maxReceiveCount").isEqualTo(q.maxReceiveCount());
            soft.assertThat(target(redrive.get("deadLetterTargetArn"))).as(q + " DLQ")
                    .isEqualTo(idByName.get(q.deadLetterQueueName()));
            soft.assertThat(alarmsOn("AWS/SQS", "ApproximateNumberOfMessagesVisible",
                    idByName.get(q.deadLetterQueueName()))).as(q + " DLQ depth alarm").isNotEmpty();
        }
        soft.assertAll();
    }

    @Test
    void queueVisibilityIsAtLeastSixTimesTheConsumerTimeout() {
        for (FunctionCatalogue.Function f : FunctionCatalogue.ALL) {
            f.queue().ifPresent(q -> assertThat(q.visibilityTimeoutSeconds()).as(q + " consumed by " + f.definition())
                    .isGreaterThanOrEqualTo(6 * f.timeoutSeconds()));
        }
    }

    @Test
    void samDeclaresEachTableOnDemandWithTtlAndLedgerRecovery() {
        Map<String, String> idByName = idsByProperty("AWS::DynamoDB::Table", "TableName");
        assertThat(idByName.keySet()).containsExactlyInAnyOrderElementsOf(
                Arrays.stream(TableName.values()).map(TableName::tableName).toList());
        SoftAssertions soft = new SoftAssertions();
        for (TableName t : TableName.values()) {
            Map<String, Object> p = props(idByName.get(t.tableName()));
            soft.assertThat(p.get("BillingMode")).as(t + " billing").isEqualTo("PAY_PER_REQUEST");
            soft.assertThat(keySchema(p)).as(t + " keys").isEqualTo(Map.of(TableName.PK, "HASH", TableName.SK, "RANGE"));
            soft.assertThat(list(p.get("AttributeDefinitions"))).as(t + " attributes").containsExactlyInAnyOrder(
                    Map.of("AttributeName", TableName.PK, "AttributeType", "S"),
                    Map.of("AttributeName", TableName.SK, "AttributeType", "S"));
            Object ttl = p.get("TimeToLiveSpecification");
            if (t.hasTtl()) {
                soft.assertThat(ttl).as(t + " TTL").isEqualTo(Map.of("AttributeName", TableName.EXPIRES_AT, "Enabled", true));
            } else {
                soft.assertThat(ttl).as(t + " TTL").isNull();
            }
            if (t == TableName.LEDGER) {
                soft.assertThat(p.get("PointInTimeRecoverySpecification")).as("ledger PITR")
                        .isEqualTo(Map.of("PointInTimeRecoveryEnabled", true));
            }
        }
        soft.assertAll();
    }

    @Test
    void samNamesTheBucketByParameterWithAPerAccountAndRegionDefault() {
        // S3 bucket names are global: a fixed name would stop a second deployment
        Map<String, Object> p = props(only("AWS::S3::Bucket"));
        assertThat(p.get("BucketName")).isEqualTo(Map.of("Fn::If", List.of("HasMediaBucketName",
                Map.of("Ref", "MediaBucketName"),
                Map.of("Fn::Sub", BucketName.DEFAULT_MEDIA + "-${AWS::AccountId}-${AWS::Region}"))));
        Map<String, Object> parameter = map(map(template.get("Parameters")).get("MediaBucketName"));
        assertThat(parameter).containsEntry("Type", "String").containsEntry("Default", "");
        Pattern allowed = Pattern.compile((String) parameter.get("AllowedPattern"));
        assertThat(List.of("", "spinledger-media-prod", "acme.media-1")).allMatch(n -> allowed.matcher(n).matches());
        assertThat(List.of("Spinledger", "ab", "-media", "media_1")).noneMatch(n -> allowed.matcher(n).matches());
        assertThat(map(template.get("Conditions")).get("HasMediaBucketName")).isEqualTo(Map.of("Fn::Not",
                List.of(Map.of("Fn::Equals", List.of(Map.of("Ref", "MediaBucketName"), "")))));
    }

    @Test
    void samDeclaresThePrivateEncryptedBucketWhoseChunksExpire() {
        Map<String, Object> p = props(only("AWS::S3::Bucket"));
        assertThat(map(p.get("PublicAccessBlockConfiguration")).values()).hasSize(4).allMatch(Boolean.TRUE::equals);
        assertThat(map(list(map(p.get("BucketEncryption")).get("ServerSideEncryptionConfiguration")).get(0)))
                .containsKey("ServerSideEncryptionByDefault");
        List<Object> rules = list(map(p.get("LifecycleConfiguration")).get("Rules"));
        assertThat(rules).anySatisfy(r -> {
            assertThat(map(r).get("Prefix")).isEqualTo(BucketName.CHUNKS_PREFIX);
            assertThat(map(r).get("ExpirationInDays")).isEqualTo(Map.of("Ref", "ChunkRetentionDays"));
        });
        assertThat(rules).anySatisfy(r -> {
            assertThat(map(r).get("Prefix")).isEqualTo(BucketName.EVIDENCE_PREFIX);
            assertThat(map(r).get("ExpirationInDays")).isEqualTo(Map.of("Ref", "EvidenceRetentionDays"));
        });
        Map<String, Object> parameters = map(template.get("Parameters"));
        assertThat(map(parameters.get("ChunkRetentionDays"))).containsEntry("Default", 7);
        assertThat(map(parameters.get("EvidenceRetentionDays"))).containsEntry("Default", 30);
        assertThat(rules).noneSatisfy(r -> assertThat(map(r).get("Prefix"))
                .isIn(BucketName.AIRCHECKS_PREFIX, BucketName.REFERENCES_PREFIX, BucketName.INDEX_PREFIX, "", null)
                .satisfies(x -> assertThat(map(r)).containsKey("ExpirationInDays")));
    }

    // ---------------------------------------------------------------- SAM: the capture service

    @Test
    void samRunsTheCaptureWorkerOnFargateArm64WithParameterisedSize() {
        Map<String, Object> parameters = map(template.get("Parameters"));
        assertThat(map(parameters.get("CaptureCpu")).get("Default")).isEqualTo(String.valueOf(CaptureService.DEFAULT_CPU_UNITS));
        assertThat(map(parameters.get("CaptureMemory")).get("Default")).isEqualTo(CaptureService.DEFAULT_MEMORY_MB);
        assertThat(map(parameters.get("CaptureDesiredCount")).get("Default")).isEqualTo(CaptureService.DEFAULT_DESIRED_COUNT);
        assertThat(map(parameters.get("CaptureStreamsPerWorker")).get("Default"))
                .isEqualTo(CaptureService.DEFAULT_STREAMS_PER_WORKER);
        assertThat(map(parameters.get("CaptureImageUri"))).doesNotContainKey("Default");
        assertThat(map(parameters.get("CaptureSubnets")).get("Type")).isEqualTo("List<AWS::EC2::Subnet::Id>");

        String td = only("AWS::ECS::TaskDefinition");
        Map<String, Object> p = props(td);
        assertThat(p.get("RequiresCompatibilities")).isEqualTo(List.of("FARGATE"));
        assertThat(p.get("NetworkMode")).isEqualTo("awsvpc");
        assertThat(p.get("RuntimePlatform")).isEqualTo(Map.of("CpuArchitecture", "ARM64", "OperatingSystemFamily", "LINUX"));
        assertThat(p.get("Cpu")).isEqualTo(Map.of("Ref", "CaptureCpu"));
        assertThat(p.get("Memory")).isEqualTo(Map.of("Ref", "CaptureMemory"));
        assertThat(p.get("Family")).isEqualTo(CaptureService.NAME);
        List<Object> containers = list(p.get("ContainerDefinitions"));
        assertThat(containers).hasSize(1);
        Map<String, Object> c = map(containers.get(0));
        assertThat(c.get("Image")).isEqualTo(Map.of("Ref", "CaptureImageUri"));
        Map<String, Object> env = new HashMap<>();
        list(c.get("Environment")).forEach(e -> env.put((String) map(e).get("Name"), map(e).get("Value")));
        assertThat(env).containsEntry(MEDIA_BUCKET_VARIABLE, Map.of("Ref", only("AWS::S3::Bucket")))
                .containsEntry(CaptureService.STREAMS_PER_WORKER_VARIABLE, Map.of("Ref", "CaptureStreamsPerWorker"))
                .containsEntry("MAIN_CLASS", CaptureService.MAIN_CLASS)
                .containsEntry("SPINLEDGER_SEGMENT_OVERLAP_MS", String.valueOf(FunctionCatalogue.AWS_SEGMENT_OVERLAP_MS))
                .containsKey("AWS_REGION");
        assertThat(env.keySet()).noneMatch(k -> Arrays.stream(Secret.values()).anyMatch(s -> s.variables().contains(k)));
        Map<String, Object> logs = map(map(c.get("LogConfiguration")).get("Options"));
        assertThat(target(logs.get("awslogs-group"))).isEqualTo("CaptureLogGroup");
        assertThat(props("CaptureLogGroup").get("RetentionInDays")).isEqualTo(Map.of("Ref", "LogRetentionDays"));
        assertThat(c.get("Image")).isNotNull();

        Map<String, Object> svc = props(only("AWS::ECS::Service"));
        assertThat(target(svc.get("TaskDefinition"))).isEqualTo(td);
        assertThat(target(svc.get("Cluster"))).isEqualTo(only("AWS::ECS::Cluster"));
        assertThat(svc.get("DesiredCount")).isEqualTo(Map.of("Ref", "CaptureDesiredCount"));
        assertThat(svc).doesNotContainKey("LaunchType");
        assertThat(map(list(svc.get("CapacityProviderStrategy")).get(0)).get("CapacityProvider"))
                .isEqualTo(Map.of("Ref", "CaptureCapacityProvider"));
        assertThat(list(map(parameters.get("CaptureCapacityProvider")).get("AllowedValues")))
                .containsExactlyInAnyOrder("FARGATE", "FARGATE_SPOT");
        assertThat(list(props(only("AWS::ECS::Cluster")).get("CapacityProviders")))
                .containsExactlyInAnyOrder("FARGATE", "FARGATE_SPOT");
        // a replacing task starts before the old one stops: at least 100% stay up, up to 200% run during a deployment
        Map<String, Object> deployment = map(svc.get("DeploymentConfiguration"));
        assertThat(num(deployment.get("MinimumHealthyPercent"))).isEqualTo(100);
        assertThat(num(deployment.get("MaximumPercent"))).isGreaterThanOrEqualTo(200);
        Map<String, Object> network = map(map(svc.get("NetworkConfiguration")).get("AwsvpcConfiguration"));
        assertThat(network.get("Subnets")).isEqualTo(Map.of("Ref", "CaptureSubnets"));
        String sg = only("AWS::EC2::SecurityGroup");
        assertThat(list(network.get("SecurityGroups"))).containsExactly(Map.of("Ref", sg));
        assertThat(props(sg)).as("egress only").doesNotContainKey("SecurityGroupIngress").containsKey("SecurityGroupEgress");
    }

    @Test
    void samCaptureTaskRoleGrantsExactlyTheCaptureServiceAccess() {
        Map<String, Object> p = props(only("AWS::ECS::TaskDefinition"));
        String roleId = target(p.get("TaskRoleArn"));
        assertThat(roleId).isNotEqualTo(target(p.get("ExecutionRoleArn")));
        assertThat(String.valueOf(props(roleId).get("AssumeRolePolicyDocument"))).contains("ecs-tasks.amazonaws.com");
        Map<String, Map<String, Object>> bySid = new HashMap<>();
        for (Object policy : list(props(roleId).get("Policies"))) {
            for (Object s : list(map(map(policy).get("PolicyDocument")).get("Statement"))) {
                assertThat(map(s).get("Effect")).isEqualTo("Allow");
                assertThat(String.valueOf(map(s).get("Resource"))).doesNotContain("'*'").isNotEqualTo("*");
                bySid.put((String) map(s).get("Sid"), map(s));
            }
        }
        CaptureService.Access a = CaptureService.ACCESS;
        assertThat(bySid.keySet()).containsExactlyInAnyOrder("SendQueues", "WriteTables", "ReadObjects", "ListPrefixes",
                "PutObjects");
        assertThat(names(list(bySid.get("SendQueues").get("Resource")), "QueueName"))
                .isEqualTo(a.sendsTo().stream().map(QueueName::queueName).collect(Collectors.toSet()));
        assertThat(names(list(bySid.get("WriteTables").get("Resource")), "TableName"))
                .isEqualTo(a.writeTables().stream().map(TableName::tableName).collect(Collectors.toSet()));
        assertThat(prefixes(list(bySid.get("ReadObjects").get("Resource")))).isEqualTo(a.getPrefixes());
        assertThat(bySid.get("ReadObjects").get("Action")).isEqualTo(List.of("s3:GetObject"));
        assertThat(prefixes(list(bySid.get("PutObjects").get("Resource")))).isEqualTo(a.putPrefixes());
        assertThat(bySid.get("PutObjects").get("Action")).as("puts, never deletes").isEqualTo(List.of("s3:PutObject"));
        assertThat(new TreeSet<>(list(map(map(bySid.get("ListPrefixes").get("Condition")).get("StringLike")).get("s3:prefix"))))
                .isEqualTo(a.listPrefixes().stream().map(x -> x + "*").collect(Collectors.toCollection(TreeSet::new)));
    }

    @Test
    void samAlarmsWhenStationsAreUnmonitored() {
        List<Map<String, Object>> alarms = new ArrayList<>();
        resources.forEach((id, r) -> {
            if ("AWS::CloudWatch::Alarm".equals(map(r).get("Type"))
                    && CaptureService.UNMONITORED_METRIC.equals(props(id).get("MetricName"))) {
                alarms.add(props(id));
            }
        });
        assertThat(alarms).hasSize(1);
        Map<String, Object> a = alarms.get(0);
        assertThat(a.get("Namespace")).isEqualTo(CaptureService.UNMONITORED_METRIC_NAMESPACE);
        assertThat(num(a.get("Threshold"))).isZero();
        assertThat(a.get("ComparisonOperator")).isEqualTo("GreaterThanThreshold");
        assertThat(a).containsKey("AlarmActions");
        assertThat(a).as("the watchdog's metric has no dimensions").doesNotContainKey("Dimensions");
    }

    // ---------------------------------------------------------------- SAM: functions

    @Test
    void samDeclaresEveryCataloguedFunctionAndNoOther() {
        Map<String, String> idByDefinition = functionIdsByDefinition();
        assertThat(idByDefinition.keySet()).containsExactlyInAnyOrderElementsOf(
                FunctionCatalogue.ALL.stream().map(FunctionCatalogue.Function::definition).toList());

        SoftAssertions soft = new SoftAssertions();
        for (FunctionCatalogue.Function f : FunctionCatalogue.ALL) {
            String id = idByDefinition.get(f.definition());
            Map<String, Object> p = props(id);
            String d = f.definition();
            soft.assertThat(p.get("FunctionName")).as(d + " name").isEqualTo(FunctionCatalogue.functionName(f));
            soft.assertThat(p.get("Handler")).as(d + " handler").isEqualTo(HANDLER);
            soft.assertThat(p.get("Runtime")).as(d + " runtime").isEqualTo("java21");
            soft.assertThat(p.get("CodeUri")).as(d + " jar")
                    .isEqualTo("../../functions/" + f.module() + "/target/function-" + f.module() + "-aws.jar");
            soft.assertThat(num(p.get("MemorySize"))).as(d + " memory").isEqualTo(f.memoryMb());
            soft.assertThat(num(p.get("Timeout"))).as(d + " timeout").isEqualTo(f.timeoutSeconds());
            soft.assertThat(p.get("SnapStart")).as(d + " SnapStart").isEqualTo(Map.of("ApplyOn", "PublishedVersions"));
            soft.assertThat(p.get("AutoPublishAlias")).as(d + " alias").isNotNull();
            Map<String, Object> env = map(map(p.get("Environment")).get("Variables"));
            soft.assertThat(env.get("MAIN_CLASS")).as(d + " MAIN_CLASS").isEqualTo(f.mainClass());
            soft.assertThat(env.get(MEDIA_BUCKET_VARIABLE)).as(d + " " + MEDIA_BUCKET_VARIABLE)
                    .isEqualTo(Map.of("Ref", only("AWS::S3::Bucket")));
            Set<Secret> secrets = FunctionCatalogue.access(f).secrets();
            if (secrets.isEmpty()) {
                soft.assertThat(env).as(d + " secrets").doesNotContainKey(FunctionCatalogue.SECRET_IDS_VARIABLE);
            } else {
                soft.assertThat(secretsIn(env.get(FunctionCatalogue.SECRET_IDS_VARIABLE))).as(d + " secrets")
                        .isEqualTo(secrets);
            }
            soft.assertThat(env.keySet()).as(d + " no plain credentials")
                    .noneMatch(k -> Arrays.stream(Secret.values()).anyMatch(s -> s.variables().contains(k)));
            soft.assertThat(events(p)).as(d + " events").isEqualTo(expectedEvents(f));
            soft.assertThat(alarmsOn("AWS/Lambda", "Errors", id)).as(d + " errors alarm").isNotEmpty();
        }
        soft.assertAll();
    }

    @Test
    void samRoleOfEachFunctionGrantsExactlyItsCataloguedAccess() {
        Map<String, String> idByDefinition = functionIdsByDefinition();
        Set<String> roles = new TreeSet<>();
        SoftAssertions soft = new SoftAssertions();
        for (FunctionCatalogue.Function f : FunctionCatalogue.ALL) {
            String roleId = target(props(idByDefinition.get(f.definition())).get("Role"));
            roles.add(roleId);
            Map<String, List<Object>> bySid = new HashMap<>();
            for (Object policy : list(props(roleId).get("Policies"))) {
                for (Object s : list(map(map(policy).get("PolicyDocument")).get("Statement"))) {
                    assertThat(map(s).get("Effect")).isEqualTo("Allow");
                    assertThat(String.valueOf(map(s).get("Resource"))).doesNotContain("'*'").isNotEqualTo("*");
                    bySid.put((String) map(s).get("Sid"), list(map(s).get("Resource")));
                }
            }
            Access a = FunctionCatalogue.access(f);
            String d = f.definition();
            soft.assertThat(names(bySid.get("ConsumeQueue"), "QueueName")).as(d + " consumes")
                    .isEqualTo(f.queue().map(q -> Set.of(q.queueName())).orElse(Set.of()));
            soft.assertThat(names(bySid.get("SendQueues"), "QueueName")).as(d + " sends")
                    .isEqualTo(a.sendsTo().stream().map(QueueName::queueName).collect(Collectors.toSet()));
            soft.assertThat(names(bySid.get("ReadTables"), "TableName")).as(d + " reads tables")
                    .isEqualTo(a.readTables().stream().map(TableName::tableName).collect(Collectors.toSet()));
            soft.assertThat(names(bySid.get("WriteTables"), "TableName")).as(d + " writes tables")
                    .isEqualTo(a.writeTables().stream().map(TableName::tableName).collect(Collectors.toSet()));
            soft.assertThat(prefixes(bySid.get("ReadObjects"))).as(d + " reads objects").isEqualTo(a.readPrefixes());
            soft.assertThat(prefixes(bySid.get("WriteObjects"))).as(d + " writes objects").isEqualTo(a.writePrefixes());
            soft.assertThat(bySid.get("ReadSecrets") == null ? Set.of() : secretsIn(Map.of("Fn::Join",
                    List.of(",", bySid.get("ReadSecrets"))))).as(d + " secrets").isEqualTo(a.secrets());
        }
        soft.assertAll();
        assertThat(roles).as("one role per function").hasSize(FunctionCatalogue.ALL.size());
    }

    @Test
    void samHttpApiLetsNoRouteThroughWithoutAJwt() {
        Map<String, Object> api = props(only("AWS::Serverless::HttpApi"));
        Map<String, Object> auth = map(api.get("Auth"));
        String authorizer = (String) auth.get("DefaultAuthorizer");
        assertThat(map(auth.get("Authorizers"))).containsKey(authorizer);
        assertThat(map(map(auth.get("Authorizers")).get(authorizer))).containsKey("JwtConfiguration");
        resources.forEach((id, r) -> {
            if ("AWS::Serverless::Function".equals(map(r).get("Type"))) {
                map(props(id).getOrDefault("Events", Map.of())).values().stream().map(InfraContractTest::map)
                        .filter(e -> "HttpApi".equals(e.get("Type")))
                        .forEach(e -> assertThat(map(e.get("Properties"))).as(id).doesNotContainKey("Auth"));
            }
        });
    }

    // ---------------------------------------------------------------- Terraform

    @Test
    void terraformCatalogueEqualsCode() {
        Map<String, Object> locals = map(list(HclLiterals.parse(Repo.read(Repo.TERRAFORM.resolve("catalogue.tf")))
                .get("locals")).get(0));
        assertThat(locals.get("bucket_base")).as("base of the default bucket name").isEqualTo(BucketName.DEFAULT_MEDIA);

        Map<String, Object> expectedQueues = new LinkedHashMap<>();
        for (QueueName q : QueueName.values()) {
            expectedQueues.put(q.queueName(), Map.of("dlq", q.deadLetterQueueName(),
                    "visibility_timeout_seconds", (long) q.visibilityTimeoutSeconds(),
                    "max_receive_count", (long) q.maxReceiveCount()));
        }
        assertThat(locals.get("queues")).isEqualTo(expectedQueues);

        Map<String, Object> expectedTables = new LinkedHashMap<>();
        for (TableName t : TableName.values()) {
            expectedTables.put(t.tableName(), Map.of("ttl", t.hasTtl(), "point_in_time_recovery", t == TableName.LEDGER));
        }
        assertThat(locals.get("tables")).isEqualTo(expectedTables);

        Map<String, Object> expectedFunctions = new LinkedHashMap<>();
        for (FunctionCatalogue.Function f : FunctionCatalogue.ALL) {
            Access a = FunctionCatalogue.access(f);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", FunctionCatalogue.functionName(f));
            m.put("module", f.module());
            m.put("main_class", f.mainClass());
            m.put("trigger", f.trigger().name());
            m.put("queue", f.queue().map(QueueName::queueName).orElse(""));
            m.put("batch_size", (long) f.batchSize());
            m.put("schedule", f.trigger() == Trigger.SCHEDULE ? FunctionCatalogue.awsScheduleExpression(f) : "");
            m.put("routes", f.routes());
            m.put("timeout", (long) f.timeoutSeconds());
            m.put("memory", (long) f.memoryMb());
            m.put("decodes_audio", FunctionCatalogue.decodesAudio(f));
            m.put("sends", sorted(a.sendsTo().stream().map(QueueName::queueName)));
            m.put("read_tables", sorted(a.readTables().stream().map(TableName::tableName)));
            m.put("write_tables", sorted(a.writeTables().stream().map(TableName::tableName)));
            m.put("read_prefixes", sorted(a.readPrefixes().stream()));
            m.put("write_prefixes", sorted(a.writePrefixes().stream()));
            m.put("secrets", sorted(a.secrets().stream().map(Secret::name)));
            expectedFunctions.put(f.definition(), m);
        }
        Map<String, Object> actual = map(locals.get("functions"));
        Map<String, Object> actualSorted = new LinkedHashMap<>();
        actual.forEach((k, v) -> {
            Map<String, Object> m = new LinkedHashMap<>(map(v));
            for (String key : List.of("sends", "read_tables", "write_tables", "read_prefixes", "write_prefixes", "secrets")) {
                m.computeIfPresent(key, (kk, l) -> sorted(list(l).stream().map(String::valueOf)));
            }
            actualSorted.put(k, m);
        });
        assertThat(actualSorted).isEqualTo(expectedFunctions);

        Map<String, Object> capture = new LinkedHashMap<>(map(locals.get("capture")));
        for (String key : List.of("sends", "write_tables", "get_prefixes", "list_prefixes", "put_prefixes")) {
            capture.computeIfPresent(key, (kk, l) -> sorted(list(l).stream().map(String::valueOf)));
        }
        CaptureService.Access a = CaptureService.ACCESS;
        Map<String, Object> expectedCapture = new LinkedHashMap<>();
        expectedCapture.put("name", CaptureService.NAME);
        expectedCapture.put("module", CaptureService.MODULE);
        expectedCapture.put("main_class", CaptureService.MAIN_CLASS);
        expectedCapture.put("cpu", (long) CaptureService.DEFAULT_CPU_UNITS);
        expectedCapture.put("memory", (long) CaptureService.DEFAULT_MEMORY_MB);
        expectedCapture.put("desired_count", (long) CaptureService.DEFAULT_DESIRED_COUNT);
        expectedCapture.put("streams_per_worker", (long) CaptureService.DEFAULT_STREAMS_PER_WORKER);
        expectedCapture.put("metric_namespace", CaptureService.UNMONITORED_METRIC_NAMESPACE);
        expectedCapture.put("metric", CaptureService.UNMONITORED_METRIC);
        expectedCapture.put("sends", sorted(a.sendsTo().stream().map(QueueName::queueName)));
        expectedCapture.put("write_tables", sorted(a.writeTables().stream().map(TableName::tableName)));
        expectedCapture.put("get_prefixes", sorted(a.getPrefixes().stream()));
        expectedCapture.put("list_prefixes", sorted(a.listPrefixes().stream()));
        expectedCapture.put("put_prefixes", sorted(a.putPrefixes().stream()));
        assertThat(capture).isEqualTo(expectedCapture);
    }

    // ---------------------------------------------------------------- LocalStack

    @Test
    void localStackInitScriptCreatesTheCataloguedResources() {
        String script = Repo.read(Repo.READY_D.resolve("10-spinledger-resources.sh"));
        List<String> queues = lines(script, "^queue (\\S+) (\\d+) (\\d+)$");
        List<String> tables = lines(script, "^table (\\S+) (ttl|no-ttl) (pitr|no-pitr)$");
        List<String> buckets = lines(script, "^bucket (\\S+)$");
        assertThat(queues).containsExactlyInAnyOrderElementsOf(Arrays.stream(QueueName.values())
                .map(q -> q.queueName() + " " + q.visibilityTimeoutSeconds() + " " + q.maxReceiveCount()).toList());
        assertThat(tables).containsExactlyInAnyOrderElementsOf(Arrays.stream(TableName.values())
                .map(t -> t.tableName() + " " + (t.hasTtl() ? "ttl" : "no-ttl") + " "
                        + (t == TableName.LEDGER ? "pitr" : "no-pitr")).toList());
        assertThat(buckets).containsExactly("\"$" + MEDIA_BUCKET_VARIABLE + "\"");
        assertThat(script).contains(defaultedFromEnvironment(MEDIA_BUCKET_VARIABLE, BucketName.DEFAULT_MEDIA));
        assertThat(Repo.read(Repo.ROOT.resolve("localstack/docker-compose.yml"))).as("compose passes it to the init script")
                .contains(MEDIA_BUCKET_VARIABLE + ": ${" + MEDIA_BUCKET_VARIABLE + ":-" + BucketName.DEFAULT_MEDIA + "}");
    }

    @Test
    void localStackDeployScriptListsTheCataloguedFunctions() {
        String script = Repo.read(Repo.DEPLOY);
        Matcher m = Pattern.compile("FUNCTIONS=\\$\\(cat <<'EOF'\\n(.*?)\\nEOF\\n", Pattern.DOTALL).matcher(script);
        assertThat(m.find()).as("FUNCTIONS table in deploy.sh").isTrue();
        List<String> rows = m.group(1).lines().filter(Predicate.not(String::isBlank)).filter(l -> !l.startsWith("#"))
                .map(l -> String.join(" ", l.trim().split("\\s+"))).toList();
        assertThat(rows).containsExactlyInAnyOrderElementsOf(FunctionCatalogue.ALL.stream().map(f -> String.join(" ",
                f.definition(), f.module(), f.mainClass(), f.trigger().name(),
                f.queue().map(QueueName::queueName).orElse("-"), Integer.toString(f.batchSize()),
                f.trigger() == Trigger.SCHEDULE ? FunctionCatalogue.awsScheduleExpression(f).replace(' ', '_') : "-",
                Integer.toString(f.timeoutSeconds()), Integer.toString(f.memoryMb()))).toList());
        assertThat(script).contains("--handler \"$HANDLER\"").contains("HANDLER=\"" + HANDLER + "\"")
                .contains("--function-response-types ReportBatchItemFailures");
        // one environment for every function: it must carry the bucket the init script created
        assertThat(script).contains(defaultedFromEnvironment(MEDIA_BUCKET_VARIABLE, BucketName.DEFAULT_MEDIA));
        List<String> envLines = script.lines().map(String::trim).filter(l -> l.startsWith("env=\"Variables={")
                || l.startsWith("env+=")).toList();
        assertThat(String.join("", envLines)).as("the functions' environment")
                .contains("," + MEDIA_BUCKET_VARIABLE + "=$" + MEDIA_BUCKET_VARIABLE);
        assertThat(script).contains("--environment \"$env\"");
    }

    /** A shell line taking {@code variable} from the environment, with the default. */
    private static String defaultedFromEnvironment(String variable, String def) {
        return variable + "=\"${" + variable + ":-" + def + "}\"";
    }

    // ---------------------------------------------------------------- packaging

    @Test
    void everyFunctionModuleBuildsAnAwsJarWithFfmpegNativesOnlyWhereAudioIsDecoded() {
        for (String module : FunctionCatalogue.modules()) {
            String pom = Repo.read(Repo.ROOT.resolve("functions/" + module + "/pom.xml"));
            Matcher profile = Pattern.compile("<profile>\\s*<id>aws</id>(.*?)</profile>", Pattern.DOTALL).matcher(pom);
            assertThat(profile.find()).as(module + " has an aws profile").isTrue();
            assertThat(profile.group(1)).as(module).contains("<artifactId>maven-shade-plugin</artifactId>");
            boolean dropsNatives = profile.group(1).contains("<exclude>org.bytedeco:ffmpeg:jar:${javacpp.platform}</exclude>");
            boolean audio = FunctionCatalogue.ALL.stream().filter(f -> f.module().equals(module))
                    .anyMatch(FunctionCatalogue::decodesAudio);
            assertThat(dropsNatives).as(module + (audio ? " decodes audio: keeps" : " decodes no audio: drops")
                    + " the FFmpeg natives").isEqualTo(!audio);
        }
        assertThat(Repo.read(Repo.ROOT.resolve("pom.xml")))
                .contains("<outputFile>${project.build.directory}/${project.artifactId}-aws.jar</outputFile>");
    }

    // ---------------------------------------------------------------- helpers

    private static Map<String, Object> expectedEvents(FunctionCatalogue.Function f) {
        Map<String, Object> e = new HashMap<>();
        switch (f.trigger()) {
            case QUEUE -> e.put("SQS", Map.of("queue", f.queue().orElseThrow().queueName(), "batch", f.batchSize(),
                    "responses", List.of("ReportBatchItemFailures")));
            case SCHEDULE -> e.put("Schedule", FunctionCatalogue.awsScheduleExpression(f));
            case HTTP -> e.put("HttpApi", new TreeSet<>(f.routes()));
        }
        return e;
    }

    private static Map<String, Object> events(Map<String, Object> p) {
        Map<String, Object> out = new HashMap<>();
        Set<String> routes = new TreeSet<>();
        for (Object ev : map(p.getOrDefault("Events", Map.of())).values()) {
            Map<String, Object> e = map(ev);
            Map<String, Object> ep = map(e.get("Properties"));
            switch ((String) e.get("Type")) {
                case "SQS" -> out.put("SQS", Map.of("queue", props(target(ep.get("Queue"))).get("QueueName"),
                        "batch", num(ep.get("BatchSize")), "responses", ep.get("FunctionResponseTypes")));
                case "Schedule" -> out.put("Schedule", ep.get("Schedule"));
                case "HttpApi" -> {
                    assertThat(ep.get("ApiId")).isEqualTo(Map.of("Ref", only("AWS::Serverless::HttpApi")));
                    assertThat(ep.get("PayloadFormatVersion")).isEqualTo("2.0");
                    routes.add(ep.get("Method") + " " + ep.get("Path"));
                }
                default -> out.put((String) e.get("Type"), ep);
            }
        }
        if (!routes.isEmpty()) {
            out.put("HttpApi", routes);
        }
        return out;
    }

    private static Map<String, String> functionIdsByDefinition() {
        Map<String, String> out = new HashMap<>();
        resources.forEach((id, r) -> {
            if ("AWS::Serverless::Function".equals(map(r).get("Type"))) {
                Object def = map(map(props(id).get("Environment")).get("Variables")).get("SPRING_CLOUD_FUNCTION_DEFINITION");
                assertThat(out.put(String.valueOf(def), id)).as("definition " + def + " deployed twice").isNull();
            }
        });
        return out;
    }

    private static Set<Secret> secretsIn(Object value) {
        List<Object> refs = value instanceof Map<?, ?> m && m.containsKey("Fn::Join")
                ? list(list(m.get("Fn::Join")).get(1)) : List.of(value);
        Set<Secret> out = new TreeSet<>();
        for (Object ref : refs) {
            String name = String.valueOf(props(target(ref)).get("Name"));
            out.add(Secret.valueOf(name.substring(name.lastIndexOf('/') + 1).toUpperCase(Locale.ROOT)));
        }
        return out;
    }

    private static Set<String> names(List<Object> refs, String nameProperty) {
        if (refs == null) {
            return Set.of();
        }
        return refs.stream().map(r -> String.valueOf(props(target(r)).get(nameProperty))).collect(Collectors.toSet());
    }

    private static Set<String> prefixes(List<Object> subs) {
        if (subs == null) {
            return Set.of();
        }
        Pattern p = Pattern.compile("^\\$\\{MediaBucket\\.Arn}/(.*)\\*$");
        return subs.stream().map(s -> {
            Matcher m = p.matcher(String.valueOf(map(s).get("Fn::Sub")));
            assertThat(m.matches()).as("object ARN " + s).isTrue();
            return m.group(1);
        }).collect(Collectors.toSet());
    }

    private static List<String> alarmsOn(String namespace, String metric, String resourceId) {
        List<String> out = new ArrayList<>();
        resources.forEach((id, r) -> {
            if ("AWS::CloudWatch::Alarm".equals(map(r).get("Type"))) {
                Map<String, Object> p = props(id);
                if (namespace.equals(p.get("Namespace")) && metric.equals(p.get("MetricName"))
                        && list(p.get("Dimensions")).stream().anyMatch(d -> resourceId.equals(target(map(d).get("Value"))))
                        && p.containsKey("AlarmActions")) {
                    out.add(id);
                }
            }
        });
        return out;
    }

    private static Map<String, String> keySchema(Map<String, Object> p) {
        Map<String, String> out = new HashMap<>();
        list(p.get("KeySchema")).forEach(k -> out.put((String) map(k).get("AttributeName"), (String) map(k).get("KeyType")));
        return out;
    }

    private static Map<String, String> idsByProperty(String type, String property) {
        Map<String, String> out = new HashMap<>();
        resources.forEach((id, r) -> {
            if (type.equals(map(r).get("Type"))) {
                assertThat(out.put(String.valueOf(props(id).get(property)), id)).as(type + " " + id + " duplicated").isNull();
            }
        });
        return out;
    }

    private static String only(String type) {
        List<String> ids = resources.entrySet().stream().filter(e -> type.equals(map(e.getValue()).get("Type")))
                .map(Map.Entry::getKey).toList();
        assertThat(ids).as(type).hasSize(1);
        return ids.get(0);
    }

    /** The logical id a {@code !Ref X} or {@code !GetAtt X.Attr} points at. */
    private static String target(Object intrinsic) {
        Map<String, Object> m = map(intrinsic);
        if (m.containsKey("Ref")) {
            return (String) m.get("Ref");
        }
        return (String) list(m.get("Fn::GetAtt")).get(0);
    }

    private static Map<String, Object> props(String logicalId) {
        Object r = resources.get(logicalId);
        assertThat(r).as("resource " + logicalId).isNotNull();
        return map(map(r).getOrDefault("Properties", Map.of()));
    }

    private static List<String> lines(String text, String regex) {
        Pattern p = Pattern.compile(regex);
        return text.lines().map(p::matcher).filter(Matcher::matches)
                .map(m -> String.join(" ", java.util.stream.IntStream.rangeClosed(1, m.groupCount())
                        .mapToObj(m::group).toList())).toList();
    }

    private static List<String> sorted(java.util.stream.Stream<String> s) {
        return s.sorted().toList();
    }

    private static int num(Object o) {
        return o instanceof Number n ? n.intValue() : Integer.parseInt(String.valueOf(o));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        assertThat(o).isInstanceOf(Map.class);
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        assertThat(o).isInstanceOf(List.class);
        return (List<Object>) o;
    }
}
