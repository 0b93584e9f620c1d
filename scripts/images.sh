#!/usr/bin/env bash
# Builds the Dockerfile's images and smoke-runs them without a Docker engine (buildah, chroot
# isolation), on a Node base image made from Debian packages. Root on Debian 12 or 13.
#
#   bash scripts/images.sh base                  # the base image (cached tarball, then imported)
#   bash scripts/images.sh build <service>       # localhost/indexflow-<service> from the Dockerfile
#   bash scripts/images.sh smoke <service>       # run it against KAFKA_BROKERS, SCHEMA_REGISTRY_URL
#                                                # and REDIS_URL; pass when its /readyz answers 200
#   bash scripts/images.sh ci                    # all three for the index calculator
#
# With a Docker engine, build the standard way instead: `docker build --build-arg SERVICE=... .`
# (the Dockerfile's default base images are the official node and distroless ones).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

CACHE=${INDEXFLOW_CACHE:-$HOME/.cache/indexflow}/images
SUITE=${BASE_SUITE:-trixie} # Debian 13: Node.js 20 (bookworm's Node 18 is too old)
BASE=localhost/indexflow-node-base:$SUITE
SMOKE_PORT=${SMOKE_PORT:-19464}
SMOKE_TIMEOUT_S=${SMOKE_TIMEOUT_S:-120}

log() { printf '[images] %s\n' "$*" >&2; }
die() {
  log "$*"
  exit 1
}

tools() {
  local missing=()
  command -v buildah >/dev/null || missing+=(buildah)
  command -v mmdebstrap >/dev/null || missing+=(mmdebstrap)
  command -v curl >/dev/null || missing+=(curl)
  ((${#missing[@]} == 0)) && return 0
  [[ $(id -u) == 0 ]] || die "needs ${missing[*]} (Debian packages): apt-get install ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
}

health_port() {
  case $1 in
    index-calculator) echo 9464 ;;
    gateway | corporate-actions) echo 9465 ;;
    cli) echo 0 ;;
    *) die "no service named $1 under services/" ;;
  esac
}

base() {
  tools
  if buildah inspect --type image "$BASE" >/dev/null 2>&1; then
    log "base: $BASE present"
    return
  fi
  local tar=$CACHE/node-base-$SUITE.tar hooks=()
  if [[ ! -f $tar ]]; then
    mkdir -p "$CACHE"
    # Behind a TLS-intercepting proxy the image needs the host's local CAs, or npm cannot fetch.
    if compgen -G '/usr/local/share/ca-certificates/*.crt' >/dev/null; then
      hooks=(--customize-hook='copy-in /usr/local/share/ca-certificates /usr/local/share'
        --customize-hook='chroot "$1" update-ca-certificates')
    fi
    log "base: debootstrapping Debian $SUITE with nodejs and npm (about a minute)"
    mmdebstrap --variant=minbase --include=ca-certificates,nodejs,npm \
      --aptopt='Acquire::Check-Valid-Until "false"' --aptopt='Acquire::Check-Date "false"' \
      "${hooks[@]}" "$SUITE" "$tar.tmp"
    mv "$tar.tmp" "$tar"
  fi
  log "base: importing $tar as $BASE"
  local ctr
  ctr=$(buildah from scratch)
  buildah add --quiet "$ctr" "$tar" / >/dev/null
  buildah config --cmd /bin/bash "$ctr"
  buildah commit --quiet "$ctr" "$BASE" >/dev/null
  buildah rm "$ctr" >/dev/null
}

build() {
  local service=${1:?usage: $0 build <service>}
  base
  log "build: localhost/indexflow-$service (layers cached; the pnpm store is a cache mount)"
  # docker format keeps the HEALTHCHECK (OCI has no field for it).
  buildah bud --layers --isolation chroot --format docker \
    --build-arg BUILD_IMAGE="$BASE" --build-arg RUNTIME_IMAGE="$BASE" --build-arg RUNTIME_NODE=/usr/bin/node \
    --build-arg SERVICE="$service" --build-arg HEALTH_PORT="$(health_port "$service")" \
    -t "localhost/indexflow-$service" .
}

smoke() {
  local service=${1:?usage: $0 smoke <service>}
  [[ $service == index-calculator ]] || die "smoke: only the index-calculator has a smoke run"
  : "${KAFKA_BROKERS:?set KAFKA_BROKERS (eval \"\$(bash scripts/services.sh env)\")}"
  : "${SCHEMA_REGISTRY_URL:?set SCHEMA_REGISTRY_URL}" "${REDIS_URL:?set REDIS_URL}"
  local image=localhost/indexflow-$service ctr out pid status=1 started command
  # Exactly what the image runs: its entry point and command.
  mapfile -t command < <(buildah inspect --type image --format \
    '{{range .Docker.Config.Entrypoint}}{{println .}}{{end}}{{range .Docker.Config.Cmd}}{{println .}}{{end}}' "$image" | sed '/^$/d')
  ctr=$(buildah from "$image")
  out=$(mktemp)
  buildah run --isolation chroot \
    --env KAFKA_BROKERS="$KAFKA_BROKERS" --env SCHEMA_REGISTRY_URL="$SCHEMA_REGISTRY_URL" \
    --env REDIS_URL="$REDIS_URL" --env TOPIC_PREFIX="image-smoke-$$-$(date +%s)." \
    --env CALCULATOR_ID=image-smoke --env HTTP_PORT="$SMOKE_PORT" \
    "$ctr" -- "${command[@]}" \
    >"$out" 2>&1 &
  pid=$!
  started=$(date +%s)
  while (($(date +%s) - started < SMOKE_TIMEOUT_S)); do
    if [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$SMOKE_PORT/readyz") == 200 ]]; then
      status=0
      break
    fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 1
  done
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  buildah rm "$ctr" >/dev/null
  if ((status != 0)); then
    tail -n 40 "$out" >&2
    rm -f "$out"
    die "smoke: $image did not answer /readyz 200 within ${SMOKE_TIMEOUT_S} s (its output above)"
  fi
  rm -f "$out"
  # KAFKA_CLIENT is unset, so ready means the native client was compiled into the image (a
  # calculator without it exits at once, saying so).
  log "smoke: $image ready after $(($(date +%s) - started)) s on the native Kafka client"
}

case "${1:-}" in
  base) base ;;
  build) build "${2:-}" ;;
  smoke) smoke "${2:-}" ;;
  ci)
    build index-calculator
    smoke index-calculator
    ;;
  *)
    sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
    ;;
esac
