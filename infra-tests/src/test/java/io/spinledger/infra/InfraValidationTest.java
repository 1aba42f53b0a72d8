package io.spinledger.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Offline validation with the tools CloudFormation and Terraform users would reach for, installed from npm by
 * {@code infra/check/run.sh}: the SAM template validates against the SAM JSON schema (draft-04) when
 * {@code ../shared/schemas/sam.schema.json} is present, and every Terraform file parses as HCL2 with
 * {@code @cdktf/hcl2json}; the parsed resources are then checked for what the catalogue cannot see (handler,
 * runtime, SnapStart, batch-item failures, JWT on every route). Skipped, with the reason logged, without Node.
 */
class InfraValidationTest {
    private static final Logger log = LoggerFactory.getLogger(InfraValidationTest.class);
    private static NodeCheck check;
    private static Optional<Path> schema;

    @BeforeAll
    static void runChecker() throws Exception {
        boolean node = Repo.executable("node").isPresent() && Repo.executable("npm").isPresent();
        if (!node) {
            log.warn("SKIPPED: node/npm not on PATH, so the SAM schema and HCL checks cannot run");
        }
        assumeTrue(node, "node and npm are needed for infra/check");
        schema = Repo.samSchema();
        if (schema.isEmpty()) {
            log.warn("SAM schema validation SKIPPED: no ../shared/schemas/sam.schema.json beside {} (set SPINLEDGER_SAM_SCHEMA)",
                    Repo.ROOT);
        }
        check = NodeCheck.run(Repo.SAM_TEMPLATE, Repo.TERRAFORM, schema);
    }

    @Test
    void samTemplateValidatesAgainstTheSamSchema() {
        JsonNode sam = check.report().get("sam");
        assertThat(sam.get("errors")).as("SAM errors").isEmpty();
        assertThat(sam.get("parsed").asBoolean()).isTrue();
        assumeTrue(schema.isPresent(), "no SAM schema beside the repository");
        assertThat(sam.get("validated").asBoolean()).as("validated against " + schema.get()).isTrue();
    }

    @Test
    void schemaValidationRejectsAnUnknownProperty(@TempDir Path tmp) throws Exception {
        assumeTrue(schema.isPresent(), "no SAM schema beside the repository");
        Path bad = tmp.resolve("template.yaml");
        Files.writeString(bad, Files.readString(Repo.SAM_TEMPLATE).replaceFirst("      SnapStart:", "      SnapStartt:"));
        NodeCheck c = NodeCheck.run(bad, Repo.TERRAFORM, schema);
        assertThat(c.exitCode()).isNotZero();
        assertThat(c.report().get("sam").get("errors").toString()).contains("SnapStartt");
    }

    @Test
    void everyTerraformFileParsesAsHcl() throws Exception {
        assertThat(check.report().get("terraform").get("errors")).as("HCL errors").isEmpty();
        List<String> files = new ArrayList<>();
        try (var s = Files.list(Repo.TERRAFORM)) {
            s.filter(p -> p.toString().endsWith(".tf")).forEach(p -> files.add(p.getFileName().toString()));
        }
        List<String> parsed = new ArrayList<>();
        check.report().get("terraform").get("files").fieldNames().forEachRemaining(parsed::add);
        assertThat(parsed).containsExactlyInAnyOrderElementsOf(files);
        assertThat(check.exitCode()).isZero();
    }

    @Test
    void hclParserAgreesWithOurLiteralReaderOnTheCatalogue() throws Exception {
        JsonNode viaHcl2Json = tf("catalogue.tf").get("locals").get(0);
        Map<String, Object> viaJava = InfraContractTest.map(InfraContractTest.list(
                HclLiterals.parse(Files.readString(Repo.TERRAFORM.resolve("catalogue.tf"))).get("locals")).get(0));
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        JsonNode javaAsJson = mapper.readTree(mapper.writeValueAsString(viaJava));
        assertThat(javaAsJson).isEqualTo(viaHcl2Json);
    }

    @Test
    void terraformResourcesCarryWhatTheCatalogueCannotSay() {
        JsonNode derived = tf("derived.tf").get("locals").get(0);
        assertThat(derived.get("handler").asText()).isEqualTo(InfraContractTest.HANDLER);

        JsonNode fn = resource("functions.tf", "aws_lambda_function", "fn");
        assertThat(fn.get("for_each").asText()).isEqualTo("${local.functions}");
        assertThat(fn.get("handler").asText()).isEqualTo("${local.handler}");
        assertThat(fn.get("runtime").asText()).isEqualTo("java21");
        assertThat(fn.get("function_name").asText()).isEqualTo("${each.value.name}");
        assertThat(fn.get("publish").asBoolean()).isTrue();
        assertThat(fn.get("snap_start").get(0).get("apply_on").asText()).isEqualTo("PublishedVersions");
        String env = fn.get("environment").get(0).get("variables").asText();
        assertThat(env).containsPattern("SPRING_CLOUD_FUNCTION_DEFINITION\\s+= each.key")
                .containsPattern("MAIN_CLASS\\s+= each.value.main_class")
                .containsPattern("SPINLEDGER_SECRET_IDS\\s+= join")
                .containsPattern(InfraContractTest.MEDIA_BUCKET_VARIABLE + "\\s+= aws_s3_bucket.media.bucket\\s")
                .doesNotContain("ACRCLOUD_ACCESS_KEY", "ACRCLOUD_ACCESS_SECRET", "SPOTIFY_CLIENT_SECRET");

        JsonNode esm = resource("events.tf", "aws_lambda_event_source_mapping", "queue");
        assertThat(esm.get("for_each").asText()).isEqualTo("${local.queue_functions}");
        assertThat(esm.get("function_response_types").toString()).isEqualTo("[\"ReportBatchItemFailures\"]");
        assertThat(esm.get("batch_size").asText()).isEqualTo("${each.value.batch_size}");
        assertThat(resource("events.tf", "aws_cloudwatch_event_rule", "tick").get("schedule_expression").asText())
                .isEqualTo("${each.value.schedule}");

        JsonNode route = resource("http_api.tf", "aws_apigatewayv2_route", "route");
        assertThat(route.get("authorization_type").asText()).isEqualTo("JWT");
        assertThat(route.get("for_each").asText()).isEqualTo("${local.http_routes}");

        JsonNode dlq = resource("queues.tf", "aws_sqs_queue", "main");
        assertThat(dlq.get("redrive_policy").asText()).contains("maxReceiveCount").contains("aws_sqs_queue.dlq[each.key].arn");
        JsonNode table = resource("tables.tf", "aws_dynamodb_table", "table");
        assertThat(table.get("billing_mode").asText()).isEqualTo("PAY_PER_REQUEST");
        assertThat(table.get("point_in_time_recovery").get(0).get("enabled").asText())
                .isEqualTo("${each.value.point_in_time_recovery}");
        // S3 bucket names are global: var.media_bucket_name, else the catalogue's base + account id + region
        assertThat(resource("bucket.tf", "aws_s3_bucket", "media").get("bucket").asText()).isEqualTo("${local.media_bucket}");
        String bucketName = derived.get("media_bucket").asText();
        assertThat(bucketName).contains("var.media_bucket_name").contains("${local.bucket_base}")
                .contains("${data.aws_caller_identity.current.account_id}").contains("${var.region}");
        assertThat(tf("bucket.tf").path("data").path("aws_caller_identity").path("current").isMissingNode()).isFalse();
        JsonNode variable = tf("variables.tf").path("variable").path("media_bucket_name").path(0);
        assertThat(variable.path("default").asText("missing")).isEmpty();
        assertThat(variable.path("validation").toString()).contains("regex");
        JsonNode lifecycle = resource("bucket.tf", "aws_s3_bucket_lifecycle_configuration", "media");
        assertThat(lifecycle.get("rule").get(0).get("filter").get(0).get("prefix").asText()).isEqualTo("chunks/");
        assertThat(lifecycle.get("rule").get(0).get("expiration").get(0).get("days").asText())
                .isEqualTo("${var.chunk_retention_days}");
        assertThat(resource("bucket.tf", "aws_s3_bucket_public_access_block", "media").toString())
                .doesNotContain("false");
        assertThat(lifecycle.get("rule").get(1).get("filter").get(0).get("prefix").asText()).isEqualTo("evidence/");
        assertThat(lifecycle.get("rule").get(1).get("expiration").get(0).get("days").asText())
                .isEqualTo("${var.evidence_retention_days}");
        assertThat(tf("variables.tf").path("variable").path("chunk_retention_days").path(0).path("default").asInt())
                .isEqualTo(7);
        assertThat(tf("variables.tf").path("variable").path("evidence_retention_days").path(0).path("default").asInt())
                .isEqualTo(30);
        for (String alarm : List.of("dlq_not_empty", "fn_errors")) {
            String file = alarm.startsWith("dlq") ? "queues.tf" : "functions.tf";
            assertThat(resource(file, "aws_cloudwatch_metric_alarm", alarm).get("alarm_actions")).isNotEmpty();
        }
    }

    @Test
    void terraformRunsTheCaptureServiceOnFargateArm64() {
        JsonNode td = resource("capture.tf", "aws_ecs_task_definition", "capture");
        assertThat(td.get("requires_compatibilities").toString()).isEqualTo("[\"FARGATE\"]");
        assertThat(td.get("network_mode").asText()).isEqualTo("awsvpc");
        assertThat(td.get("runtime_platform").get(0).get("cpu_architecture").asText()).isEqualTo("ARM64");
        assertThat(td.get("runtime_platform").get(0).get("operating_system_family").asText()).isEqualTo("LINUX");
        assertThat(td.get("task_role_arn").asText()).isEqualTo("${aws_iam_role.capture_task.arn}");
        String containers = td.get("container_definitions").asText();
        assertThat(containers).contains("var.capture_image_uri")
                .containsPattern(InfraContractTest.MEDIA_BUCKET_VARIABLE + "\\s+= aws_s3_bucket.media.bucket\\s")
                .containsPattern("SPINLEDGER_STREAMS_PER_WORKER\\s+= tostring\\(local.capture_streams_per_worker\\)")
                .containsPattern("MAIN_CLASS\\s+= local.capture.main_class").contains("awslogs");

        JsonNode svc = resource("capture.tf", "aws_ecs_service", "capture");
        assertThat(svc.get("deployment_minimum_healthy_percent").asInt()).isEqualTo(100);
        assertThat(svc.get("deployment_maximum_percent").asInt()).isEqualTo(200);
        assertThat(svc.get("capacity_provider_strategy").get(0).get("capacity_provider").asText())
                .isEqualTo("${var.capture_capacity_provider}");
        assertThat(svc.has("launch_type")).isFalse();
        assertThat(svc.get("network_configuration").get(0).get("subnets").asText()).isEqualTo("${var.capture_subnet_ids}");

        JsonNode sg = resource("capture.tf", "aws_security_group", "capture");
        assertThat(sg.has("ingress")).as("egress only").isFalse();
        assertThat(sg.has("egress")).isTrue();

        JsonNode doc = tf("capture.tf").path("data").path("aws_iam_policy_document").path("capture_task").path(0);
        assertThat(doc.isMissingNode()).isFalse();
        assertThat(doc.toString()).doesNotContain("s3:DeleteObject").doesNotContain("\"*\"")
                .contains("local.capture.sends").contains("local.capture.write_tables")
                .contains("local.capture.get_prefixes").contains("local.capture.list_prefixes")
                .contains("local.capture.put_prefixes");

        JsonNode alarm = resource("capture.tf", "aws_cloudwatch_metric_alarm", "unmonitored_stations");
        assertThat(alarm.get("namespace").asText()).isEqualTo("${local.capture.metric_namespace}");
        assertThat(alarm.get("metric_name").asText()).isEqualTo("${local.capture.metric}");
        assertThat(alarm.get("threshold").asInt()).isZero();
        assertThat(alarm.get("comparison_operator").asText()).isEqualTo("GreaterThanThreshold");
        assertThat(alarm.get("alarm_actions")).isNotEmpty();
    }

    private static JsonNode tf(String file) {
        JsonNode f = check.report().get("terraform").get("files").get(file);
        assertThat(f).as(file).isNotNull();
        return f;
    }

    private static JsonNode resource(String file, String type, String name) {
        JsonNode r = tf(file).path("resource").path(type).path(name).path(0);
        assertThat(r.isMissingNode()).as(type + "." + name + " in " + file).isFalse();
        return r;
    }
}
