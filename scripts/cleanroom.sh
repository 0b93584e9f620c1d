#!/usr/bin/env bash
# The README's two commands in a fresh Debian root, as a newcomer would run them: a `trixie`
# minbase root with only ca-certificates, git, Node.js and npm (no Java, Maven, curl, kubectl,
# Chromium, Redis, pnpm store or Kafka cache), a clone of this repository's committed HEAD, then
#
#   npm install -g pnpm@<version>                        (the README's prerequisite)
#   pnpm install && pnpm start --speed max --quiet       (the main job)
#   bash scripts/install-test-tools.sh                   (the test command's prerequisites)
#   eval "$(bash scripts/native-kafka-build.sh env)"; pnpm install && pnpm test:all
#
# and prints how long each took. Root on a Debian host (mmdebstrap is installed when missing).
# The tests start Kafka, the registry and Redis on their usual ports: stop yours first
# (`bash scripts/services.sh down`).
#
#   sudo bash scripts/cleanroom.sh [root-dir]            # default /tmp/indexflow-cleanroom
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ROOT=${1:-/tmp/indexflow-cleanroom}
SUITE=trixie
PNPM_VERSION=$(node -p "require('$REPO/package.json').packageManager.split('@')[1]")

log() { printf '[cleanroom %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

[[ $(id -u) == 0 ]] || {
  echo "cleanroom: run as root (sudo bash $0): it builds a Debian root and chroots into it" >&2
  exit 1
}
command -v mmdebstrap >/dev/null || { apt-get update -qq && apt-get install -y -qq mmdebstrap; }

mounted=()
cleanup() {
  local m
  # The test command leaves its Kafka, registry and Redis running (as with-services.sh does
  # everywhere): stop them, or they keep the usual ports after the root is gone.
  if [[ -f $ROOT/root/indexflow/scripts/services.sh && -d $ROOT/proc/self ]]; then
    chroot "$ROOT" /usr/bin/env -i HOME=/root PATH=/usr/local/bin:/usr/bin:/bin \
      bash -c 'cd /root/indexflow && bash scripts/services.sh down' >&2 || true
  fi
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do umount -l "${mounted[i]}" 2>/dev/null || true; done
}
trap cleanup EXIT

rm -rf "$ROOT"
aptopts=() hooks=()
# A host whose apt reads a dated snapshot mirror turns the release-date checks off: so does the root.
if apt-config dump 2>/dev/null | grep -q 'Acquire::Check-Valid-Until "false"'; then
  aptopts=(--aptopt='Acquire::Check-Valid-Until "false"' --aptopt='Acquire::Check-Date "false"')
fi
# Behind a TLS-intercepting proxy the root needs the host's local CAs, or npm cannot fetch.
if compgen -G '/usr/local/share/ca-certificates/*.crt' >/dev/null; then
  hooks=(--customize-hook='copy-in /usr/local/share/ca-certificates /usr/local/share'
    --customize-hook='chroot "$1" update-ca-certificates')
fi
started=$(date +%s)
log "debootstrapping Debian $SUITE with ca-certificates, git, nodejs, npm into $ROOT"
mmdebstrap --variant=minbase --include=ca-certificates,git,nodejs,npm "${aptopts[@]}" "${hooks[@]}" \
  "$SUITE" "$ROOT"
git clone --quiet "$REPO" "$ROOT/root/indexflow"
for dir in proc sys dev dev/pts; do
  mount --bind "/$dir" "$ROOT/$dir"
  mounted+=("$ROOT/$dir")
done
cp /etc/resolv.conf "$ROOT/etc/resolv.conf"

# Each step in a login shell of the root, with a clean environment.
step() {
  local name=$1 command=$2 from
  from=$(date +%s)
  log "$name: $command"
  chroot "$ROOT" /usr/bin/env -i HOME=/root TERM=dumb CI=true \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    bash -c "cd /root/indexflow && $command"
  log "$name: done in $(($(date +%s) - from)) s"
}

step prerequisite "npm install -g pnpm@$PNPM_VERSION"
step "main job" "pnpm install && pnpm start --speed max --quiet"
step "test prerequisites" "bash scripts/install-test-tools.sh"
step "all tests" 'eval "$(bash scripts/native-kafka-build.sh env)" && pnpm install && pnpm test:all'
log "the README's two commands passed in a fresh Debian $SUITE root in $(($(date +%s) - started)) s"
