#!/usr/bin/env bash
# Measures each queue function's local cold start from its shaded jar (build first: mvn -Paws -DskipTests package):
# a fresh JVM per function, handler construction (Spring context) plus one empty SQS batch. HTTP and scheduled
# functions are measured to handler-ready only (their first call needs the AWS services).
#   infra/coldstart.sh [definition...]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/java-env.sh
catalogue() { sed -n '/^FUNCTIONS=/,/^EOF/p' localstack/deploy.sh | awk '!/^#/ && !/FUNCTIONS=|^EOF/ && NF {print $1, $2, $3, $4}'; }
catalogue | while read -r def module main trigger; do
  if [ $# -gt 0 ] && [[ " $* " != *" $def "* ]]; then continue; fi
  jar="functions/$module/target/function-$module-aws.jar"
  [ -f "$jar" ] || { echo "$def: no $jar (mvn -Paws -DskipTests package -pl functions/$module -am)"; continue; }
  event='{"Records":[]}'
  [ "$trigger" = QUEUE ] || event='--init-only'
  size=$(du -m "$jar" | cut -f1)
  line=$(SPRING_CLOUD_FUNCTION_DEFINITION="$def" MAIN_CLASS="$main" AWS_REGION=us-east-1 FUNCTION_INVOKER_LATE_INITIALIZATION=false \
    LOGGING_LEVEL_ROOT=WARN java -cp "$jar" infra/coldstart/ColdStart.java "$event" 2>/dev/null | sed -n 's/^COLDSTART //p' || true)
  echo "$def jar=${size}MB ${line:-failed (run by hand to see why)}"
done
