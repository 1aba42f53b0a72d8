# Views of catalogue.tf that the resources iterate over.
locals {
  handler = "org.springframework.cloud.function.adapter.aws.FunctionInvoker::handleRequest"

  queue_functions    = { for k, f in local.functions : k => f if f.trigger == "QUEUE" }
  schedule_functions = { for k, f in local.functions : k => f if f.trigger == "SCHEDULE" }
  http_functions     = { for k, f in local.functions : k => f if f.trigger == "HTTP" }

  # "METHOD /path" => the function serving it
  http_routes = merge([for k, f in local.http_functions : { for r in f.routes : r => k }]...)

  secret_arns = {
    ACRCLOUD = aws_secretsmanager_secret.acrcloud.arn
    SPOTIFY  = aws_secretsmanager_secret.spotify.arn
  }

  # S3 bucket names are global: the one named by var.media_bucket_name, else one per account and region
  media_bucket = (var.media_bucket_name != "" ? var.media_bucket_name
    : "${local.bucket_base}-${data.aws_caller_identity.current.account_id}-${var.region}")

  # capture segments must be issued one (one-minute) schedule tick before their predecessor ends
  segment_overlap_ms = "65000"
}
