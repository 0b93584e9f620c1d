#!/usr/bin/env bash
# Builds the Dockerfile's images and smoke-runs them without a Docker engine (buildah, chroot
# isolation), on a Node base image made from Debian packages. Root on Debian 12 or 13.
#
#   bash scripts/images.sh base                  # the base image (cached tarball, then imported)
#   bash scripts/images.sh build <service>       # localhost/indexflow-<service> from the Dockerfile
#   bash scripts/images.sh smoke                 # run the built images against KAFKA_BROKERS,
#                                                # SCHEMA_REGISTRY_URL and REDIS_URL (below)
#   bash scripts/images.sh ci                    # build every service's image, then smoke
#
# The smoke run, each step inside the built images: `indexflow --help`; `indexflow admin init`;
# the calculator until /readyz answers 200; the seed sample's ticks and FX produced by
# `indexflow replay --kafka` until the calculator has published as many levels as the offline
# replay of the same events computes; the gateway until /healthz answers 200.
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
  local tar=$CACHE/node-base-$SUITE.tar hooks=() aptopts=()
  if [[ ! -f $tar ]]; then
    mkdir -p "$CACHE"
    # A host whose apt reads a dated snapshot mirror turns the release-date checks off; the image's
    # apt gets the same settings then, and only then.
    if apt-config dump 2>/dev/null | grep -q 'Acquire::Check-Valid-Until "false"'; then
      aptopts=(--aptopt='Acquire::Check-Valid-Until "false"' --aptopt='Acquire::Check-Date "false"')
    fi
    # Behind a TLS-intercepting proxy the image needs the host's local CAs, or npm cannot fetch.
    if compgen -G '/usr/local/share/ca-certificates/*.crt' >/dev/null; then
      hooks=(--customize-hook='copy-in /usr/local/share/ca-certificates /usr/local/share'
        --customize-hook='chroot "$1" update-ca-certificates')
    fi
    log "base: debootstrapping Debian $SUITE with nodejs and npm (about a minute)"
    mmdebstrap --variant=minbase --include=ca-certificates,nodejs,npm "${aptopts[@]}" \
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

bud() {
  # docker format keeps the HEALTHCHECK (OCI has no field for it).
  buildah bud --layers --isolation chroot --format docker \
    --build-arg BUILD_IMAGE="$BASE" --build-arg RUNTIME_IMAGE="$BASE" --build-arg RUNTIME_NODE=/usr/bin/node "$@" .
}

build() {
  local service=${1:?usage: $0 build <service>}
  base
  # The deps stage (compiler, -dev packages, the fetched store) under a name of its own, so
  # pruning the unnamed layers of earlier builds keeps it: it changes only with the lockfile.
  log "build: the shared deps stage (cached until pnpm-lock.yaml changes)"
  bud --target deps -t localhost/indexflow-build-deps >/dev/null
  log "build: localhost/indexflow-$service (layers cached; the pnpm store is a cache mount)"
  bud --build-arg SERVICE="$service" --build-arg HEALTH_PORT="$(health_port "$service")" \
    -t "localhost/indexflow-$service"
}

SERVICES=(index-calculator corporate-actions gateway cli)
SAMPLE=/app/packages/seed-indices/sample
# The sample's indices, ticks and FX, mounted into the cli image: `replay --kafka` produces no
# corporate actions (the corporate-actions service does), so the offline reference leaves the
# sample's actions.csv out too.
DATASET=/dataset
WORK=''
PIDS=()

# A process and everything below it, children first: the recorded pids are the subshells around
# `buildah run`, and a signal to one of them reaches neither buildah nor the service in the chroot.
kill_tree() {
  local child
  for child in $(pgrep -P "$1" 2>/dev/null || true); do kill_tree "$child"; done
  kill -TERM "$1" 2>/dev/null || true
}

cleanup_smoke() {
  local pid
  for pid in "${PIDS[@]}"; do kill_tree "$pid"; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  buildah rm $(buildah containers --quiet --filter name="indexflow-smoke-$$-") >/dev/null 2>&1 || true
  [[ -z $WORK ]] || rm -rf "$WORK"
}

# Runs an image the way a container engine would (its entry point and command) plus arguments:
#   in_image <service> <name> [VAR=value ...] [-- args...]
# stdout goes to $WORK/<name>.out, stderr to $WORK/<name>.err.
in_image() {
  local service=$1 name=$2 envs=() command ctr
  shift 2
  while (($# > 0)) && [[ $1 != -- ]]; do
    envs+=(--env "$1")
    shift
  done
  (($# > 0)) && shift
  mapfile -t command < <(buildah inspect --type image --format \
    '{{range .Docker.Config.Entrypoint}}{{println .}}{{end}}{{range .Docker.Config.Cmd}}{{println .}}{{end}}' \
    "localhost/indexflow-$service" | sed '/^$/d')
  ctr=$(buildah from --name "indexflow-smoke-$$-$name" "localhost/indexflow-$service")
  buildah run --isolation chroot --volume "$WORK/dataset:$DATASET:ro" "${envs[@]}" "$ctr" -- \
    "${command[@]}" "$@" \
    >"$WORK/$name.out" 2>"$WORK/$name.err"
}

# Fails with the step's output when a step fails.
step_failed() {
  local name=$1
  tail -n 30 "$WORK/$name.err" "$WORK/$name.out" >&2 2>/dev/null || true
  die "smoke: $2"
}

# Polls a URL until it answers 200 (or the process behind it exits).
wait_http() {
  local url=$1 pid=$2 started
  started=$(date +%s)
  while (($(date +%s) - started < SMOKE_TIMEOUT_S)); do
    [[ $(curl -s -o /dev/null -w '%{http_code}' "$url") == 200 ]] && return 0
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 1
  done
  return 1
}

levels_published() {
  curl -s "http://127.0.0.1:$SMOKE_PORT/metrics" |
    awk '$1 == "indexflow_levels_out_total" { print $2 }' | head -n 1
}

smoke() {
  : "${KAFKA_BROKERS:?set KAFKA_BROKERS (eval \"\$(bash scripts/services.sh env)\")}"
  : "${SCHEMA_REGISTRY_URL:?set SCHEMA_REGISTRY_URL}" "${REDIS_URL:?set REDIS_URL}"
  WORK=$(mktemp -d)
  trap cleanup_smoke EXIT
  mkdir -p "$WORK/dataset"
  cp -r packages/seed-indices/sample/indices packages/seed-indices/sample/ticks.csv \
    packages/seed-indices/sample/fx.csv "$WORK/dataset/"
  chmod -R a+rX "$WORK"
  local prefix="image-smoke-$$-$(date +%s)." pid expected published started
  local common=(KAFKA_BROKERS="$KAFKA_BROKERS" SCHEMA_REGISTRY_URL="$SCHEMA_REGISTRY_URL"
    REDIS_URL="$REDIS_URL" TOPIC_PREFIX="$prefix")

  in_image cli help -- --help || step_failed help 'indexflow --help failed'
  grep -q '^Usage: indexflow' "$WORK/help.out" || step_failed help 'indexflow --help printed no usage'
  log "smoke: indexflow --help"

  in_image cli init "${common[@]}" -- admin init || step_failed init 'indexflow admin init failed'
  log "smoke: indexflow admin init (topics under $prefix)"

  in_image cli offline -- replay "$DATASET" --out - --quiet || step_failed offline 'offline replay failed'
  expected=$(($(wc -l <"$WORK/offline.out") - 1))
  ((expected > 0)) || step_failed offline 'the offline replay computed no level'

  in_image index-calculator calculator "${common[@]}" CALCULATOR_ID=image-smoke \
    HTTP_PORT="$SMOKE_PORT" INDEX_DEFINITIONS_DIR="$SAMPLE" &
  pid=$!
  PIDS+=("$pid")
  wait_http "http://127.0.0.1:$SMOKE_PORT/readyz" "$pid" ||
    step_failed calculator "the calculator did not answer /readyz 200 within ${SMOKE_TIMEOUT_S} s"
  # KAFKA_CLIENT is unset: ready means the native client was compiled into the image (without
  # it the calculator exits at once, saying so).
  log "smoke: the calculator is ready on the native Kafka client"

  in_image cli produce "${common[@]}" -- replay "$DATASET" --kafka --speed max --quiet ||
    step_failed produce 'indexflow replay --kafka failed'
  started=$(date +%s)
  published=0
  while (($(date +%s) - started < SMOKE_TIMEOUT_S)); do
    published=$(levels_published)
    [[ ${published:-0} == "$expected" ]] && break
    sleep 1
  done
  [[ ${published:-0} == "$expected" ]] ||
    step_failed calculator "the calculator published ${published:-0} levels, the offline replay $expected"
  log "smoke: the calculator published the $expected levels the offline replay computes"

  in_image gateway gateway "${common[@]}" OPS_PORT=$((SMOKE_PORT + 1)) PORT=$((SMOKE_PORT + 2)) \
    AUTH_MODE=open &
  pid=$!
  PIDS+=("$pid")
  wait_http "http://127.0.0.1:$((SMOKE_PORT + 1))/healthz" "$pid" ||
    step_failed gateway "the gateway did not answer /healthz 200 within ${SMOKE_TIMEOUT_S} s"
  log "smoke: the gateway is healthy"
}

case "${1:-}" in
  base) base ;;
  build) build "${2:-}" ;;
  smoke) smoke ;;
  ci)
    for service in "${SERVICES[@]}"; do build "$service"; done
    # Each commit's build leaves unnamed stage images (about 1.7 GB each): keep the named ones.
    buildah rmi --prune >/dev/null || true
    smoke
    ;;
  *)
    sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
    ;;
esac
