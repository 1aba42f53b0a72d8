#!/usr/bin/env bash
# Regenerates the catalogue-shaped parts of infra/ and localstack/ from the code after a change to
# FunctionCatalogue/QueueName/TableName/BucketName: infra/sam/template.yaml, infra/terraform/catalogue.tf and the
# function table of localstack/deploy.sh (the queue/table lines of the init script are short enough to edit by
# hand). Compiles spinledger-shared, dumps the catalogue with jshell, renders with python3. Review the diff;
# infra-tests' InfraContractTest checks the result either way.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/java-env.sh
mvn -B -ntp -q -o -pl shared compile || mvn -B -ntp -q -pl shared compile
json="$(mktemp)"; trap 'rm -f "$json"' EXIT
"$JAVA_HOME/bin/jshell" --class-path shared/target/classes -q infra/generate/dump.jsh 2>/dev/null | grep '^{' > "$json"
python3 infra/generate/sam.py "$json" > infra/sam/template.yaml
python3 infra/generate/tf.py "$json" > infra/terraform/catalogue.tf
python3 infra/generate/deploy.py "$json" infra/generate/deploy.tmpl localstack/deploy.sh
chmod +x localstack/deploy.sh
git --no-pager diff --stat -- infra/sam infra/terraform localstack/deploy.sh || true
