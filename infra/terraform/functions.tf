# Every function: one Lambda per Spring Cloud Function definition, published with SnapStart behind alias "live".
resource "aws_cloudwatch_log_group" "fn" {
  for_each          = local.functions
  name              = "/aws/lambda/${each.value.name}"
  retention_in_days = var.log_retention_days
}

# Jars with FFmpeg natives exceed Lambda's 50 MB direct-upload limit, so code goes through an artifacts bucket
# (the 250 MB unzipped limit then applies; the largest jar is about 175 MB unzipped).
resource "aws_s3_bucket" "artifacts" {
  bucket_prefix = "spinledger-artifacts-"
  force_destroy = true
}

resource "aws_s3_bucket_public_access_block" "artifacts" {
  bucket                  = aws_s3_bucket.artifacts.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_object" "jar" {
  for_each    = toset([for f in local.functions : f.module])
  bucket      = aws_s3_bucket.artifacts.id
  key         = "function-${each.key}-aws.jar"
  source      = "${var.functions_dir}/${each.key}/target/function-${each.key}-aws.jar"
  source_hash = filemd5("${var.functions_dir}/${each.key}/target/function-${each.key}-aws.jar")
}

resource "aws_lambda_function" "fn" {
  for_each         = local.functions
  function_name    = each.value.name
  role             = aws_iam_role.fn[each.key].arn
  runtime          = "java21"
  handler          = local.handler
  architectures    = ["x86_64"]
  s3_bucket        = aws_s3_bucket.artifacts.id
  s3_key           = aws_s3_object.jar[each.value.module].key
  source_code_hash = filebase64sha256("${var.functions_dir}/${each.value.module}/target/function-${each.value.module}-aws.jar")
  memory_size      = each.value.memory
  timeout          = each.value.timeout
  publish          = true

  snap_start {
    apply_on = "PublishedVersions"
  }

  environment {
    # empty values are dropped: secrets only where the function reads them
    variables = { for k, v in {
      SPRING_CLOUD_FUNCTION_DEFINITION                                        = each.key
      MAIN_CLASS                                                              = each.value.main_class
      LOGGING_LEVEL_ORG_SPRINGFRAMEWORK_CLOUD_FUNCTION_ADAPTER_AWS_AWSLAMBDAUTILS = "WARN"
      SPINLEDGER_SEGMENT_OVERLAP_MS                                           = local.segment_overlap_ms
      SPINLEDGER_MEDIA_BUCKET                                                 = aws_s3_bucket.media.bucket
      SPINLEDGER_SECRET_IDS                                                   = join(",", [for s in each.value.secrets : local.secret_arns[s]])
      ACRCLOUD_HOST                                                           = contains(each.value.secrets, "ACRCLOUD") ? var.acrcloud_host : ""
    } : k => v if v != "" }
  }

  depends_on = [aws_cloudwatch_log_group.fn, aws_iam_role_policy.fn]
}

resource "aws_lambda_alias" "live" {
  for_each         = local.functions
  name             = "live"
  function_name    = aws_lambda_function.fn[each.key].function_name
  function_version = aws_lambda_function.fn[each.key].version
}

resource "aws_cloudwatch_metric_alarm" "fn_errors" {
  for_each            = local.functions
  alarm_name          = "${each.value.name}-errors"
  alarm_description   = "${each.value.name} invocations failed."
  namespace           = "AWS/Lambda"
  metric_name         = "Errors"
  dimensions          = { FunctionName = aws_lambda_function.fn[each.key].function_name }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
}

resource "aws_sns_topic" "alarms" {
  name              = "spinledger-alarms"
  kms_master_key_id = "alias/aws/sns"
}

resource "aws_sns_topic_subscription" "alarm_email" {
  count     = var.alarm_email == "" ? 0 : 1
  topic_arn = aws_sns_topic.alarms.arn
  protocol  = "email"
  endpoint  = var.alarm_email
}
