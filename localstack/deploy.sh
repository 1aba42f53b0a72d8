#!/usr/bin/env bash
# Builds one deployable jar per function (mvn -Paws) and creates the functions in LocalStack: queue consumers
# with event-source mappings (ReportBatchItemFailures), schedules as EventBridge rules, HTTP functions behind
# Lambda function URLs (LocalStack's community edition has no HTTP API v2). Run after `docker compose up -d`
# has created the queues, tables and bucket (init/ready.d). Safe to run again: code and configuration update.
#
#   ./deploy.sh [--skip-build]
#   AWS_ENDPOINT_URL (default http://localhost:4566), AWS_CLI (default aws)
#   SPINLEDGER_MEDIA_BUCKET: the media bucket the functions use (default spinledger-media; the same value as for
#   `docker compose up`, whose init script creates it)
#   FUNCTION_AWS_ENDPOINT / FUNCTION_S3_ENDPOINT: the endpoints the functions use from inside their containers
set -euo pipefail
cd "$(dirname "$0")"
ROOT="$(cd .. && pwd)"
AWS_ENDPOINT_URL="${AWS_ENDPOINT_URL:-http://localhost:4566}"
AWS_CLI="${AWS_CLI:-aws}"
FUNCTION_AWS_ENDPOINT="${FUNCTION_AWS_ENDPOINT:-http://localstack:4566}"
FUNCTION_S3_ENDPOINT="${FUNCTION_S3_ENDPOINT:-http://minio:9000}"
SPINLEDGER_MEDIA_BUCKET="${SPINLEDGER_MEDIA_BUCKET:-spinledger-media}"
export AWS_DEFAULT_REGION="${AWS_DEFAULT_REGION:-us-east-1}"
export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-spinledger}" AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-spinledger-secret}"
export AWS_EC2_METADATA_DISABLED=true AWS_PAGER=""
HANDLER="org.springframework.cloud.function.adapter.aws.FunctionInvoker::handleRequest"
ROLE="arn:aws:iam::000000000000:role/spinledger-lambda"
aws_() { "$AWS_CLI" --endpoint-url "$AWS_ENDPOINT_URL" "$@"; }
log() { echo "deploy: $*"; }

# Mirrors io.spinledger.config.FunctionCatalogue (infra-tests checks it). Schedules use '_' for spaces.
FUNCTIONS=$(cat <<'EOF'
# definition  module  main-class  trigger  queue  batch  schedule  timeout-s  memory-mb
captureScheduler     capture-scheduler  io.spinledger.functions.capturescheduler.CaptureSchedulerApplication  SCHEDULE  -                             0   rate(1_minute)  30   512
chunkIngest          chunk-ingest       io.spinledger.functions.chunkingest.ChunkIngestApplication            QUEUE     spinledger-capture            1   -               360  1536
fingerprintMatch     fingerprint-match  io.spinledger.functions.fingerprintmatch.FingerprintMatchApplication  QUEUE     spinledger-chunks             5   -               30   2048
acrcloudFallback     acrcloud-fallback  io.spinledger.functions.acrcloudfallback.AcrcloudFallbackApplication  QUEUE     spinledger-fallback           5   -               30   1024
isrcEnrichment       isrc-enrichment    io.spinledger.functions.isrcenrichment.IsrcEnrichmentApplication      QUEUE     spinledger-detections         10  -               30   1024
proMapping           pro-mapping        io.spinledger.functions.promapping.ProMappingApplication              QUEUE     spinledger-enriched           10  -               30   1024
playAssembly         plays              io.spinledger.functions.plays.PlaysApplication                        QUEUE     spinledger-mapped-detections  10  -               30   1024
isrcEnrichmentRetry  isrc-enrichment    io.spinledger.functions.isrcenrichment.IsrcEnrichmentApplication      SCHEDULE  -                             0   rate(1_minute)  300  1024
playPosting          plays              io.spinledger.functions.plays.PlaysApplication                        SCHEDULE  -                             0   rate(1_minute)  30   1024
tracksApi            http-api           io.spinledger.functions.httpapi.HttpApiApplication                    HTTP      -                             0   -               30   2048
stationsApi          http-api           io.spinledger.functions.httpapi.HttpApiApplication                    HTTP      -                             0   -               30   1024
identifyApi          http-api           io.spinledger.functions.httpapi.HttpApiApplication                    HTTP      -                             0   -               30   2048
playsApi             http-api           io.spinledger.functions.httpapi.HttpApiApplication                    HTTP      -                             0   -               30   1024
ledgerApi            http-api           io.spinledger.functions.httpapi.HttpApiApplication                    HTTP      -                             0   -               30   1024
playEvidenceApi      http-api           io.spinledger.functions.httpapi.HttpApiApplication                    HTTP      -                             0   -               30   1024
disputesApi          http-api           io.spinledger.functions.httpapi.HttpApiApplication                    HTTP      -                             0   -               30   1024
statementsApi        http-api           io.spinledger.functions.httpapi.HttpApiApplication                    HTTP      -                             0   -               30   1024
exportsApi           http-api           io.spinledger.functions.httpapi.HttpApiApplication                    HTTP      -                             0   -               30   1024
isrcApi              http-api           io.spinledger.functions.httpapi.HttpApiApplication                    HTTP      -                             0   -               30   1024
prosApi              http-api           io.spinledger.functions.httpapi.HttpApiApplication                    HTTP      -                             0   -               30   1024
soundtracksApi       http-api           io.spinledger.functions.httpapi.HttpApiApplication                    HTTP      -                             0   -               30   1024
statsApi             http-api           io.spinledger.functions.httpapi.HttpApiApplication                    HTTP      -                             0   -               30   1024
healthApi            http-api           io.spinledger.functions.httpapi.HttpApiApplication                    HTTP      -                             0   -               10   512
EOF
)

jar_of() { echo "$ROOT/functions/$1/target/function-$1-aws.jar"; }

if [ "${1:-}" != "--skip-build" ]; then
  modules=$(echo "$FUNCTIONS" | awk '!/^#/ && NF {print "functions/" $2}' | sort -u | paste -sd, -)
  log "building $modules"
  (cd "$ROOT" && source scripts/java-env.sh && mvn -B -ntp -q -Paws -DskipTests package -pl "$modules" -am)
fi

queue_arn() {
  local url
  url="$(aws_ sqs get-queue-url --queue-name "$1" --query QueueUrl --output text)"
  aws_ sqs get-queue-attributes --queue-url "$url" --attribute-names QueueArn --query Attributes.QueueArn --output text
}

echo "$FUNCTIONS" | while read -r def module main trigger queue batch schedule timeout memory; do
  case "$def" in ''|'#'*) continue ;; esac
  name="spinledger-$(echo "$def" | sed -E 's/([a-z0-9])([A-Z])/\1-\2/g' | tr 'A-Z' 'a-z')"
  jar="$(jar_of "$module")"
  [ -f "$jar" ] || { echo "missing $jar (build with: mvn -Paws -DskipTests package -pl functions/$module -am)" >&2; exit 1; }
  env="Variables={SPRING_CLOUD_FUNCTION_DEFINITION=$def,MAIN_CLASS=$main,AWS_REGION=$AWS_DEFAULT_REGION"
  env+=",SPINLEDGER_SQS_ENDPOINT=$FUNCTION_AWS_ENDPOINT,SPINLEDGER_DYNAMODB_ENDPOINT=$FUNCTION_AWS_ENDPOINT"
  env+=",SPINLEDGER_S3_ENDPOINT=$FUNCTION_S3_ENDPOINT,SPINLEDGER_AWS_ACCESS_KEY_ID=$AWS_ACCESS_KEY_ID"
  env+=",SPINLEDGER_AWS_SECRET_ACCESS_KEY=$AWS_SECRET_ACCESS_KEY,SPINLEDGER_SEGMENT_OVERLAP_MS=65000"
  env+=",SPINLEDGER_MEDIA_BUCKET=$SPINLEDGER_MEDIA_BUCKET}"
  if aws_ lambda get-function --function-name "$name" >/dev/null 2>&1; then
    aws_ lambda update-function-code --function-name "$name" --zip-file "fileb://$jar" >/dev/null
    aws_ lambda wait function-updated --function-name "$name"
    aws_ lambda update-function-configuration --function-name "$name" --timeout "$timeout" --memory-size "$memory" \
      --environment "$env" >/dev/null
  else
    aws_ lambda create-function --function-name "$name" --runtime java21 --handler "$HANDLER" --role "$ROLE" \
      --zip-file "fileb://$jar" --timeout "$timeout" --memory-size "$memory" --environment "$env" >/dev/null
  fi
  aws_ lambda wait function-active-v2 --function-name "$name"
  case "$trigger" in
    QUEUE)
      arn="$(queue_arn "$queue")"
      existing="$(aws_ lambda list-event-source-mappings --function-name "$name" --event-source-arn "$arn" \
        --query 'length(EventSourceMappings)' --output text)"
      if [ "$existing" = 0 ]; then
        aws_ lambda create-event-source-mapping --function-name "$name" --event-source-arn "$arn" \
          --batch-size "$batch" --function-response-types ReportBatchItemFailures >/dev/null
      fi
      log "$name <- $queue (batch $batch)" ;;
    SCHEDULE)
      rule_arn="$(aws_ events put-rule --name "$name-tick" --schedule-expression "${schedule//_/ }" --query RuleArn --output text)"
      fn_arn="$(aws_ lambda get-function --function-name "$name" --query Configuration.FunctionArn --output text)"
      aws_ events put-targets --rule "$name-tick" --targets "Id=1,Arn=$fn_arn" >/dev/null
      aws_ lambda add-permission --function-name "$name" --statement-id tick --action lambda:InvokeFunction \
        --principal events.amazonaws.com --source-arn "$rule_arn" >/dev/null 2>&1 || true
      log "$name <- ${schedule//_/ }" ;;
    HTTP)
      url="$(aws_ lambda get-function-url-config --function-name "$name" --query FunctionUrl --output text 2>/dev/null \
        || aws_ lambda create-function-url-config --function-name "$name" --auth-type NONE --query FunctionUrl --output text)"
      log "$name <- $url (local only: no authorizer)" ;;
  esac
done
log "done"
