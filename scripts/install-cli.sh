#!/usr/bin/env bash
# Installs the `indexflow` command outside the repository, as a global install would:
#   bash scripts/install-cli.sh [prefix]          # default prefix: ~/.local
# Builds the compiled output, then `pnpm deploy --prod` makes a self-contained copy of the CLI
# package with its production dependencies (the workspace packages it imports included, with
# their data: the seed sample, the schemas) in <prefix>/lib/indexflow, and links
# <prefix>/bin/indexflow to its bin. The native Kafka client is compiled for that copy with the
# same settings as `pnpm install` (scripts/native-kafka-build.sh); without it, use
# KAFKA_CLIENT=kafkajs. Run it again to update; remove <prefix>/lib/indexflow and the link to
# uninstall. INDEXFLOW_INSTALL_BUILD=0 skips the build when dist/ is fresh (after `pnpm install`).
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PREFIX=${1:-$HOME/.local}
TARGET="$PREFIX/lib/indexflow"
cd "$REPO"

log() { printf '[install-cli] %s\n' "$*" >&2; }

eval "$(bash scripts/native-kafka-build.sh env)"
if [[ ${INDEXFLOW_INSTALL_BUILD:-1} != 0 ]]; then
  log "building the compiled output"
  node scripts/build.mjs >/dev/null
fi
log "deploying @indexflow/cli with its production dependencies to $TARGET"
rm -rf "$TARGET"
mkdir -p "$PREFIX/lib" "$PREFIX/bin"
# --legacy: this workspace links its packages instead of injecting them (pnpm 10's default for deploy).
pnpm --filter @indexflow/cli deploy --legacy --prod --prefer-offline "$TARGET" >&2
ln -sfn "$TARGET/bin/indexflow.js" "$PREFIX/bin/indexflow"
log "installed: $PREFIX/bin/indexflow ($("$PREFIX/bin/indexflow" --version))"
case ":$PATH:" in
  *":$PREFIX/bin:"*) ;;
  *) log "add $PREFIX/bin to PATH to run \`indexflow\` from anywhere" ;;
esac
