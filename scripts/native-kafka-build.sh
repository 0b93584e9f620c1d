#!/usr/bin/env bash
# Build prerequisites of @confluentinc/kafka-javascript (librdkafka), which pnpm compiles at
# install time. The prebuilt binaries the package tries first are on a host CI cannot reach, and
# its default static link downloads zlib/OpenSSL/zstd/curl sources; linking the librdkafka bundled
# in the package dynamically against Debian's -dev packages needs no download.
#
#   bash scripts/native-kafka-build.sh check     # exit 1 and list the missing Debian packages
#   bash scripts/native-kafka-build.sh install   # apt-get install the missing ones (root)
#   eval "$(bash scripts/native-kafka-build.sh env)"   # then: pnpm install
set -euo pipefail

PACKAGES=(build-essential python3 libssl-dev libsasl2-dev libzstd-dev liblz4-dev zlib1g-dev libcurl4-openssl-dev)

node_prefix() { dirname "$(dirname "$(node -p 'process.execPath')")"; }

missing() {
  local p
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' || echo "$p"
  done
  # Debian's own nodejs keeps its headers in libnode-dev; without them node-gyp downloads them.
  if [[ ! -f $(node_prefix)/include/node/node.h ]] && dpkg-query -W -f='${Status}\n' nodejs 2>/dev/null |
    grep -q '^install ok installed$'; then
    echo libnode-dev
  fi
}

case "${1:-}" in
  check)
    m=$(missing)
    [[ -z $m ]] || { echo "missing Debian packages for the native Kafka client: $m" >&2; exit 1; }
    ;;
  install)
    mapfile -t m < <(missing)
    if ((${#m[@]} > 0)); then
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${m[@]}"
    fi
    ;;
  env)
    # binding.gyp reads CKJS_LINKING from the environment only (an .npmrc key does not reach it).
    echo "export CKJS_LINKING=dynamic"
    # node-gyp downloads Node's headers unless nodedir points at an installation that has them.
    prefix=$(node_prefix)
    if [[ -f $prefix/include/node/node.h ]]; then echo "export npm_config_nodedir=$prefix"; fi
    ;;
  *)
    echo "usage: $0 check|install|env" >&2
    exit 2
    ;;
esac
