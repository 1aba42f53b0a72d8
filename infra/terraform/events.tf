# Queue consumers (batch-item failures reported per message) and schedules (EventBridge ticks at most once a minute).
resource "aws_lambda_event_source_mapping" "queue" {
  for_each                = local.queue_functions
  event_source_arn        = aws_sqs_queue.main[each.value.queue].arn
  function_name           = aws_lambda_alias.live[each.key].arn
  batch_size              = each.value.batch_size
  function_response_types = ["ReportBatchItemFailures"]
}

resource "aws_cloudwatch_event_rule" "tick" {
  for_each            = local.schedule_functions
  name                = "${each.value.name}-tick"
  description         = "${each.key} tick (catalogue interval rounded up to AWS's one minute)"
  schedule_expression = each.value.schedule
}

resource "aws_cloudwatch_event_target" "tick" {
  for_each = local.schedule_functions
  rule     = aws_cloudwatch_event_rule.tick[each.key].name
  arn      = aws_lambda_alias.live[each.key].arn
}

resource "aws_lambda_permission" "tick" {
  for_each      = local.schedule_functions
  statement_id  = "AllowEventBridgeTick"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.fn[each.key].function_name
  qualifier     = aws_lambda_alias.live[each.key].name
  principal     = "events.amazonaws.com"
  source_arn    = aws_cloudwatch_event_rule.tick[each.key].arn
}
