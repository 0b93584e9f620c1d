#!/usr/bin/env bash
# Runs a command with the integration services up and their endpoints in the environment:
#   bash scripts/with-services.sh pnpm test
# Starts Kafka, Apicurio Registry and Redis with scripts/services.sh (a no-op when they already
# run), exports KAFKA_BROKERS, SCHEMA_REGISTRY_URL and REDIS_URL, then runs the command and exits
# with its exit code. The services keep running afterwards; stop them with `bash scripts/services.sh down`.
set -euo pipefail

if (($# == 0)); then
  echo "usage: $0 <command> [args...]" >&2
  exit 2
fi

SERVICES="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/services.sh"
bash "$SERVICES" up
eval "$(bash "$SERVICES" env)"
echo "[services] KAFKA_BROKERS=$KAFKA_BROKERS SCHEMA_REGISTRY_URL=$SCHEMA_REGISTRY_URL REDIS_URL=$REDIS_URL" >&2

status=0
"$@" || status=$?
exit "$status"
