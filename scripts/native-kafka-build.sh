#!/usr/bin/env bash
# Build prerequisites of @confluentinc/kafka-javascript (librdkafka), which pnpm compiles at
# install time. The prebuilt binaries the package tries first are on a host CI cannot reach, and
# its default static link downloads zlib/OpenSSL/zstd/curl sources; linking the librdkafka bundled
# in the package dynamically against Debian's -dev packages needs no download.
#
#   bash scripts/native-kafka-build.sh check     # exit 1 and list the missing Debian packages
#   bash scripts/native-kafka-build.sh install   # apt-get install the missing ones (root)
#   eval "$(bash scripts/native-kafka-build.sh env)"   # then: pnpm install
#   bash scripts/native-kafka-build.sh ensure    # build it now if an earlier install could not
#                                                # (pnpm does not retry a failed optional build)
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
  ensure)
    cd "$(dirname "${BASH_SOURCE[0]}")/.."
    loads() { (cd packages/kafka && node -e "require('@confluentinc/kafka-javascript')" 2>/dev/null); }
    loads && exit 0
    m=$(missing)
    if [[ -n $m ]]; then
      echo "the native Kafka client is not built, and these Debian packages are missing to build it: $m" >&2
      echo "run: sudo bash scripts/native-kafka-build.sh install && bash scripts/native-kafka-build.sh ensure" >&2
      echo "(or run everything with KAFKA_CLIENT=kafkajs)" >&2
      exit 1
    fi
    echo "the native Kafka client is not built (an install before its build packages were there): building it now (1.5-4.5 min)" >&2
    eval "$(bash "$0" env)"
    pnpm -r rebuild @confluentinc/kafka-javascript >&2
    loads || { echo "the native Kafka client still does not load: see the build output above" >&2; exit 1; }
    ;;
  *)
    echo "usage: $0 check|install|env|ensure" >&2
    exit 2
    ;;
esac
