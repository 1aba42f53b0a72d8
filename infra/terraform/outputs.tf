output "http_api_url" {
  description = "Base URL of the HTTP API (send Authorization: Bearer <JWT>)."
  value       = aws_apigatewayv2_stage.default.invoke_url
}

output "media_bucket" {
  value = aws_s3_bucket.media.bucket
}

output "queue_urls" {
  value = { for k, q in aws_sqs_queue.main : k => q.url }
}

output "function_aliases" {
  value = { for k, a in aws_lambda_alias.live : k => a.arn }
}

output "alarm_topic_arn" {
  value = aws_sns_topic.alarms.arn
}

output "acrcloud_secret_arn" {
  value = aws_secretsmanager_secret.acrcloud.arn
}

output "spotify_secret_arn" {
  value = aws_secretsmanager_secret.spotify.arn
}

output "capture_cluster_name" {
  value = aws_ecs_cluster.capture.name
}

output "capture_service_name" {
  value = aws_ecs_service.capture.name
}
