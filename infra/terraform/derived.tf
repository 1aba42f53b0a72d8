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

  # capture segments must be issued one (one-minute) schedule tick before their predecessor ends
  segment_overlap_ms = "65000"
}
