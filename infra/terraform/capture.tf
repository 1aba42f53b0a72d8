# The capture service: CaptureWorkerApplication on ECS Fargate (ARM64), one capture worker per task holding up to
# SPINLEDGER_STREAMS_PER_WORKER streams; tasks share the stations by assignment and heartbeat items in the stations
# table (docs/capture.md). The watchdog (captureScheduler) prints SpinLedger/UnmonitoredStations, alarmed above 0.
# Sizes default to local.capture (catalogue.tf, from io.spinledger.config.CaptureService).
locals {
  capture_cpu                = coalesce(var.capture_cpu, local.capture.cpu)
  capture_memory             = coalesce(var.capture_memory, local.capture.memory)
  capture_desired_count      = coalesce(var.capture_desired_count, local.capture.desired_count)
  capture_streams_per_worker = coalesce(var.capture_streams_per_worker, local.capture.streams_per_worker)
}

resource "aws_ecs_cluster" "capture" {
  name = local.capture.name
}

resource "aws_ecs_cluster_capacity_providers" "capture" {
  cluster_name       = aws_ecs_cluster.capture.name
  capacity_providers = ["FARGATE", "FARGATE_SPOT"]
}

resource "aws_cloudwatch_log_group" "capture" {
  name              = "/ecs/${local.capture.name}"
  retention_in_days = var.log_retention_days
}

data "aws_partition" "current" {}

data "aws_iam_policy_document" "assume_ecs_tasks" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
  }
}

# the task role only for tasks of this account and region (confused-deputy guard)
data "aws_iam_policy_document" "assume_capture_task" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:${data.aws_partition.current.partition}:ecs:${var.region}:${data.aws_caller_identity.current.account_id}:*"]
    }
  }
}

# Used by ECS itself to pull the image and ship the container's output to the log group.
resource "aws_iam_role" "capture_execution" {
  name               = "${local.capture.name}-execution"
  assume_role_policy = data.aws_iam_policy_document.assume_ecs_tasks.json
}

resource "aws_iam_role_policy_attachment" "capture_execution" {
  role       = aws_iam_role.capture_execution.name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

# What the capture worker's code may do: least privilege, from local.capture.
resource "aws_iam_role" "capture_task" {
  name               = "${local.capture.name}-task"
  assume_role_policy = data.aws_iam_policy_document.assume_capture_task.json
}

data "aws_iam_policy_document" "capture_task" {
  statement {
    sid       = "SendQueues"
    actions   = ["sqs:SendMessage", "sqs:GetQueueUrl", "sqs:GetQueueAttributes"]
    resources = [for q in local.capture.sends : aws_sqs_queue.main[q].arn]
  }

  statement {
    sid = "WriteTables"
    actions = ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:Scan",
      "dynamodb:DescribeTable", "dynamodb:ConditionCheckItem", "dynamodb:PutItem", "dynamodb:UpdateItem",
    "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"]
    resources = [for t in local.capture.write_tables : aws_dynamodb_table.table[t].arn]
  }

  statement {
    sid       = "ReadObjects"
    actions   = ["s3:GetObject"]
    resources = [for p in local.capture.get_prefixes : "${aws_s3_bucket.media.arn}/${p}*"]
  }

  statement {
    sid       = "ListPrefixes"
    actions   = ["s3:ListBucket"]
    resources = [aws_s3_bucket.media.arn]
    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = [for p in local.capture.list_prefixes : "${p}*"]
    }
  }

  statement {
    sid       = "PutObjects"
    actions   = ["s3:PutObject"]
    resources = [for p in local.capture.put_prefixes : "${aws_s3_bucket.media.arn}/${p}*"]
  }
}

resource "aws_iam_role_policy" "capture_task" {
  name   = local.capture.name
  role   = aws_iam_role.capture_task.id
  policy = data.aws_iam_policy_document.capture_task.json
}

resource "aws_security_group" "capture" {
  name        = local.capture.name
  description = "${local.capture.name} tasks, egress only (stream servers, AWS APIs)"
  vpc_id      = var.capture_vpc_id

  egress {
    description = "streams on any port, AWS endpoints"
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_ecs_task_definition" "capture" {
  family                   = local.capture.name
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = tostring(local.capture_cpu)
  memory                   = tostring(local.capture_memory)
  execution_role_arn       = aws_iam_role.capture_execution.arn
  task_role_arn            = aws_iam_role.capture_task.arn

  runtime_platform {
    cpu_architecture        = "ARM64"
    operating_system_family = "LINUX"
  }

  container_definitions = jsonencode([{
    name      = "capture"
    image     = var.capture_image_uri
    essential = true
    # SIGTERM first: streams flush their last chunk and evidence segment and release their stations
    stopTimeout = 120
    environment = [for k, v in {
      MAIN_CLASS                                                                  = local.capture.main_class
      AWS_REGION                                                                  = var.region
      LOGGING_LEVEL_ORG_SPRINGFRAMEWORK_CLOUD_FUNCTION_ADAPTER_AWS_AWSLAMBDAUTILS = "WARN"
      SPINLEDGER_SEGMENT_OVERLAP_MS                                               = local.segment_overlap_ms
      SPINLEDGER_MEDIA_BUCKET                                                     = aws_s3_bucket.media.bucket
      SPINLEDGER_CAPTURE_WORKERS                                                  = "1"
      SPINLEDGER_STREAMS_PER_WORKER                                               = tostring(local.capture_streams_per_worker)
    } : { name = k, value = v }]
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.capture.name
        awslogs-region        = var.region
        awslogs-stream-prefix = "capture"
      }
    }
  }])
}

resource "aws_ecs_service" "capture" {
  name                    = local.capture.name
  cluster                 = aws_ecs_cluster.capture.id
  task_definition         = aws_ecs_task_definition.capture.arn
  desired_count           = local.capture_desired_count
  platform_version        = "LATEST"
  enable_ecs_managed_tags = true
  propagate_tags          = "SERVICE"

  capacity_provider_strategy {
    capacity_provider = var.capture_capacity_provider
    weight            = 1
  }

  # a replacing task starts (and takes stations) before the old one is stopped
  deployment_minimum_healthy_percent = 100
  deployment_maximum_percent         = 200
  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  network_configuration {
    subnets          = var.capture_subnet_ids
    security_groups  = [aws_security_group.capture.id]
    assign_public_ip = var.capture_assign_public_ip
  }

  depends_on = [aws_ecs_cluster_capacity_providers.capture, aws_iam_role_policy.capture_task]
}

resource "aws_cloudwatch_metric_alarm" "unmonitored_stations" {
  alarm_name          = "spinledger-unmonitored-stations"
  alarm_description   = "Stations with a stream that no capture worker holds (the watchdog marks them UNMONITORED)."
  namespace           = local.capture.metric_namespace
  metric_name         = local.capture.metric
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]
}

resource "aws_cloudwatch_metric_alarm" "capture_cpu" {
  alarm_name          = "${local.capture.name}-cpu-high"
  alarm_description   = "Capture tasks near their CPU for 15 minutes; chunks may fall behind (add tasks or lower streams per worker)."
  namespace           = "AWS/ECS"
  metric_name         = "CPUUtilization"
  dimensions          = { ClusterName = aws_ecs_cluster.capture.name, ServiceName = aws_ecs_service.capture.name }
  statistic           = "Average"
  period              = 300
  evaluation_periods  = 3
  threshold           = 85
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]
}

resource "aws_cloudwatch_metric_alarm" "capture_memory" {
  alarm_name          = "${local.capture.name}-memory-high"
  alarm_description   = "A capture task near its memory (fingerprint index plus the streams' recent audio); raise capture_memory."
  namespace           = "AWS/ECS"
  metric_name         = "MemoryUtilization"
  dimensions          = { ClusterName = aws_ecs_cluster.capture.name, ServiceName = aws_ecs_service.capture.name }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 90
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]
}
