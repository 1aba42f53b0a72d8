#!/usr/bin/env bash
# Creates SpinLedger's queues (each with its dead-letter queue and redrive policy), tables and bucket with the
# AWS CLI: the same resources as infra/ (SAM, Terraform) and io.spinledger.aws.emulator.ResourceProvisioner, whose
# names live in io.spinledger.config.{QueueName,TableName,BucketName}. infra-tests checks both that the lists below
# equal the code and that this script really creates them (against the embedded emulators).
#
# LocalStack runs it from /etc/localstack/init/ready.d; it also runs anywhere with the AWS CLI:
#   AWS_ENDPOINT_URL     endpoint of every service (default http://localhost:4566, LocalStack's gateway)
#   SQS_ENDPOINT_URL, DYNAMODB_ENDPOINT_URL, S3_ENDPOINT_URL   per-service overrides (compose: S3 is MinIO)
#   AWS_CLI              the CLI to run (default aws)
#   CHUNK_RETENTION_DAYS days before chunks/ expire (default 30)
#   SPINLEDGER_MEDIA_BUCKET the media bucket's name (default spinledger-media, BucketName.DEFAULT_MEDIA); deploy.sh
#                        passes the same variable to the functions
# Safe to run again: what exists is kept (queue attributes are re-applied).
set -euo pipefail

AWS_ENDPOINT_URL="${AWS_ENDPOINT_URL:-http://localhost:4566}"
SQS_ENDPOINT_URL="${SQS_ENDPOINT_URL:-$AWS_ENDPOINT_URL}"
DYNAMODB_ENDPOINT_URL="${DYNAMODB_ENDPOINT_URL:-$AWS_ENDPOINT_URL}"
S3_ENDPOINT_URL="${S3_ENDPOINT_URL:-$AWS_ENDPOINT_URL}"
AWS_CLI="${AWS_CLI:-aws}"
CHUNK_RETENTION_DAYS="${CHUNK_RETENTION_DAYS:-30}"
SPINLEDGER_MEDIA_BUCKET="${SPINLEDGER_MEDIA_BUCKET:-spinledger-media}"
export AWS_DEFAULT_REGION="${AWS_DEFAULT_REGION:-us-east-1}"
export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-spinledger}"
export AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-spinledger-secret}"
export AWS_EC2_METADATA_DISABLED=true AWS_PAGER=""
unset AWS_ENDPOINT_URL_SQS AWS_ENDPOINT_URL_S3 AWS_ENDPOINT_URL_DYNAMODB

sqs() { "$AWS_CLI" --endpoint-url "$SQS_ENDPOINT_URL" sqs "$@"; }
ddb() { "$AWS_CLI" --endpoint-url "$DYNAMODB_ENDPOINT_URL" dynamodb "$@"; }
s3api() { "$AWS_CLI" --endpoint-url "$S3_ENDPOINT_URL" s3api "$@"; }
log() { echo "spinledger-init: $*"; }
# features some emulators lack (lifecycle, encryption, PITR on DynamoDB Local/S3Proxy/MinIO): warn, go on
optional() { local what="$1"; shift; if ! out="$("$@" 2>&1)"; then log "WARN: $what not applied on this endpoint: ${out//$'\n'/ }"; fi; }

# queues and tables are created concurrently (each AWS CLI call costs about a second of start-up); await
# waits for all of them and fails when any failed
pids=()
spawn() { "$@" & pids+=("$!"); }
await() {
  local failed=0 pid
  for pid in "${pids[@]}"; do wait "$pid" || failed=$((failed + 1)); done
  pids=()
  if [ "$failed" -gt 0 ]; then log "ERROR: $failed resource(s) could not be created"; exit 1; fi
}

# queue <name> <visibility timeout s> <max receives>: <name>-dlq, then <name> redriving to it
queue() { spawn create_queue "$@"; }
create_queue() {
  local name="$1" visibility="$2" max_receives="$3" dlq_url dlq_arn url attrs
  dlq_url="$(sqs create-queue --queue-name "$name-dlq" --attributes MessageRetentionPeriod=1209600 --query QueueUrl --output text)"
  dlq_arn="$(sqs get-queue-attributes --queue-url "$dlq_url" --attribute-names QueueArn --query Attributes.QueueArn --output text)"
  attrs="{\"VisibilityTimeout\":\"$visibility\",\"MessageRetentionPeriod\":\"345600\",\"RedrivePolicy\":\"{\\\"deadLetterTargetArn\\\":\\\"$dlq_arn\\\",\\\"maxReceiveCount\\\":\\\"$max_receives\\\"}\"}"
  if ! url="$(sqs create-queue --queue-name "$name" --attributes "$attrs" --query QueueUrl --output text 2>/dev/null)"; then
    url="$(sqs get-queue-url --queue-name "$name" --query QueueUrl --output text)"
    sqs set-queue-attributes --queue-url "$url" --attributes "$attrs"
  fi
  log "queue $name (visibility ${visibility}s, DLQ $name-dlq after $max_receives receives)"
}

# table <name> ttl|no-ttl pitr|no-pitr: on demand, string pk (hash) + sk (range)
table() { spawn create_table "$@"; }
create_table() {
  local name="$1" ttl="$2" pitr="$3" out
  if ! out="$(ddb create-table --table-name "$name" --billing-mode PAY_PER_REQUEST \
      --attribute-definitions AttributeName=pk,AttributeType=S AttributeName=sk,AttributeType=S \
      --key-schema AttributeName=pk,KeyType=HASH AttributeName=sk,KeyType=RANGE 2>&1 >/dev/null)"; then
    case "$out" in *ResourceInUse*|*already\ exists*) ;; *) echo "$out" >&2; return 1 ;; esac
  fi
  if [ "$ttl" = ttl ]; then
    if ! out="$(ddb update-time-to-live --table-name "$name" \
        --time-to-live-specification Enabled=true,AttributeName=expiresAt 2>&1 >/dev/null)"; then
      case "$out" in *already\ enabled*) ;; *) echo "$out" >&2; return 1 ;; esac
    fi
  fi
  if [ "$pitr" = pitr ]; then
    optional "point-in-time recovery on $name" ddb update-continuous-backups --table-name "$name" \
      --point-in-time-recovery-specification PointInTimeRecoveryEnabled=true
  fi
  log "table $name ($ttl, $pitr)"
}

# bucket <name>: private, encrypted, chunks/ expire after CHUNK_RETENTION_DAYS
bucket() { spawn create_bucket "$@"; }
create_bucket() {
  local name="$1" out
  if ! out="$(s3api create-bucket --bucket "$name" 2>&1 >/dev/null)"; then
    case "$out" in *BucketAlreadyOwnedByYou*|*BucketAlreadyExists*) ;; *) echo "$out" >&2; return 1 ;; esac
  fi
  optional "public access block on $name" s3api put-public-access-block --bucket "$name" \
    --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true
  optional "default encryption on $name" s3api put-bucket-encryption --bucket "$name" \
    --server-side-encryption-configuration '{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"AES256"}}]}'
  optional "lifecycle on $name" s3api put-bucket-lifecycle-configuration --bucket "$name" --lifecycle-configuration \
    "{\"Rules\":[{\"ID\":\"expire-chunks\",\"Status\":\"Enabled\",\"Filter\":{\"Prefix\":\"chunks/\"},\"Expiration\":{\"Days\":$CHUNK_RETENTION_DAYS}}]}"
  log "bucket $name (chunks/ expire after $CHUNK_RETENTION_DAYS days)"
}

# --- the resources (mirrors QueueName, TableName, BucketName) ---
queue spinledger-capture 2160 5
queue spinledger-chunks 180 5
queue spinledger-fallback 180 5
queue spinledger-detections 180 5
queue spinledger-enriched 180 5
queue spinledger-mapped-detections 180 5

table spinledger-tracks no-ttl no-pitr
table spinledger-stations no-ttl no-pitr
table spinledger-detections ttl no-pitr
table spinledger-plays no-ttl no-pitr
table spinledger-ledger no-ttl pitr
table spinledger-cache ttl no-pitr
table spinledger-idempotency ttl no-pitr

bucket "$SPINLEDGER_MEDIA_BUCKET"

await
log "ready"
