# One least-privilege role per function, built from its access lists in catalogue.tf.
data "aws_iam_policy_document" "assume_lambda" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "fn" {
  for_each           = local.functions
  name               = each.value.name
  assume_role_policy = data.aws_iam_policy_document.assume_lambda.json
}

data "aws_iam_policy_document" "fn" {
  for_each = local.functions

  statement {
    sid       = "Logs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.fn[each.key].arn}:*"]
  }

  dynamic "statement" {
    for_each = each.value.queue == "" ? [] : [each.value.queue]
    content {
      sid       = "ConsumeQueue"
      actions   = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"]
      resources = [aws_sqs_queue.main[statement.value].arn]
    }
  }

  dynamic "statement" {
    for_each = length(each.value.sends) == 0 ? [] : [each.value.sends]
    content {
      sid       = "SendQueues"
      actions   = ["sqs:SendMessage", "sqs:GetQueueUrl", "sqs:GetQueueAttributes"]
      resources = [for q in statement.value : aws_sqs_queue.main[q].arn]
    }
  }

  dynamic "statement" {
    for_each = length(each.value.read_tables) == 0 ? [] : [each.value.read_tables]
    content {
      sid = "ReadTables"
      actions = ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:Scan",
      "dynamodb:DescribeTable", "dynamodb:ConditionCheckItem"]
      resources = [for t in statement.value : aws_dynamodb_table.table[t].arn]
    }
  }

  dynamic "statement" {
    for_each = length(each.value.write_tables) == 0 ? [] : [each.value.write_tables]
    content {
      sid = "WriteTables"
      actions = ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:Scan",
        "dynamodb:DescribeTable", "dynamodb:ConditionCheckItem", "dynamodb:PutItem", "dynamodb:UpdateItem",
      "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"]
      resources = [for t in statement.value : aws_dynamodb_table.table[t].arn]
    }
  }

  dynamic "statement" {
    for_each = length(each.value.read_prefixes) == 0 ? [] : [each.value.read_prefixes]
    content {
      sid       = "ReadObjects"
      actions   = ["s3:GetObject"]
      resources = [for p in statement.value : "${aws_s3_bucket.media.arn}/${p}*"]
    }
  }

  dynamic "statement" {
    for_each = length(each.value.read_prefixes) == 0 ? [] : [each.value.read_prefixes]
    content {
      sid       = "ListPrefixes"
      actions   = ["s3:ListBucket"]
      resources = [aws_s3_bucket.media.arn]
      condition {
        test     = "StringLike"
        variable = "s3:prefix"
        values   = [for p in statement.value : "${p}*"]
      }
    }
  }

  dynamic "statement" {
    for_each = length(each.value.write_prefixes) == 0 ? [] : [each.value.write_prefixes]
    content {
      sid       = "WriteObjects"
      actions   = ["s3:PutObject", "s3:DeleteObject"]
      resources = [for p in statement.value : "${aws_s3_bucket.media.arn}/${p}*"]
    }
  }

  dynamic "statement" {
    for_each = length(each.value.secrets) == 0 ? [] : [each.value.secrets]
    content {
      sid       = "ReadSecrets"
      actions   = ["secretsmanager:GetSecretValue"]
      resources = [for s in statement.value : local.secret_arns[s]]
    }
  }
}

resource "aws_iam_role_policy" "fn" {
  for_each = local.functions
  name     = each.value.name
  role     = aws_iam_role.fn[each.key].id
  policy   = data.aws_iam_policy_document.fn[each.key].json
}
