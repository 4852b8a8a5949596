#!/usr/bin/env bash
# Installs, starts and stops the servers the distributed wiring and the tests need, without Docker or
# systemd: a private RabbitMQ (Debian's rabbitmq-server) and Azurite (npm), both bound to 127.0.0.1.
#
#   infra/local/deps.sh install   apt rabbitmq-server, prometheus and chromium (if missing), npm azurite@3.35.0 into .infra/
#   infra/local/deps.sh start     start both, wait until they answer, write .infra/run/env.sh
#   infra/local/deps.sh stop      stop what start started (by PID), check the ports closed
#   infra/local/deps.sh env       print the exports (source <(infra/local/deps.sh env))
#
# Ports come from the environment so several runs can share a machine:
#   PIPELINE_AMQP_PORT (5672), PIPELINE_RABBIT_MGMT_PORT (15672; Prometheus metrics on it + 77 = 15749),
#   PIPELINE_RABBIT_DIST_PORT (25672),
#   PIPELINE_BLOB_PORT (10000), PIPELINE_INFRA_DIR (<repo>/.infra)
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
infra="${PIPELINE_INFRA_DIR:-$repo/.infra}"
run="$infra/run"
amqp_port="${PIPELINE_AMQP_PORT:-5672}"
mgmt_port="${PIPELINE_RABBIT_MGMT_PORT:-15672}"
dist_port="${PIPELINE_RABBIT_DIST_PORT:-25672}"
blob_port="${PIPELINE_BLOB_PORT:-10000}"
node_name="pipeline-${amqp_port}@localhost"
azurite_key="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
blob_conn="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${azurite_key};BlobEndpoint=http://127.0.0.1:${blob_port}/devstoreaccount1;"
amqp_uri="amqp://guest:guest@127.0.0.1:${amqp_port}/"

log() { echo "[deps] $*" >&2; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_port() { # port seconds what
  local i
  for ((i = 0; i < $2 * 5; i++)); do port_open "$1" && return 0; sleep 0.2; done
  log "$3 did not open 127.0.0.1:$1 within $2 s"; return 1
}

wait_closed() { # port seconds
  local i
  for ((i = 0; i < $2 * 5; i++)); do port_open "$1" || return 0; sleep 0.2; done
  log "port $1 still open after $2 s"; return 1
}

rabbit_env() {
  export HOME="$run/rabbitmq-home" RABBITMQ_NODENAME="$node_name" RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 \
    RABBITMQ_NODE_PORT="$amqp_port" RABBITMQ_DIST_PORT="$dist_port" \
    RABBITMQ_MNESIA_BASE="$run/rabbitmq/mnesia" RABBITMQ_LOG_BASE="$run/rabbitmq/log" \
    RABBITMQ_CONFIG_FILE="$run/rabbitmq/rabbitmq" RABBITMQ_ENABLED_PLUGINS_FILE="$run/rabbitmq/enabled_plugins" \
    RABBITMQ_PID_FILE="$run/rabbitmq/rabbitmq.pid" ERL_EPMD_ADDRESS=127.0.0.1
}

install() {
  if [ ! -x /usr/lib/rabbitmq/bin/rabbitmq-server ]; then
    log "installing rabbitmq-server (apt)"
    local sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq rabbitmq-server >/dev/null
  fi
  if ! command -v promtool >/dev/null; then
    log "installing prometheus (apt; the tests check the Prometheus config and alert rules with promtool)"
    local sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends prometheus >/dev/null 2>&1 || {
      $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends prometheus >/dev/null; }
  fi
  if ! command -v chromium >/dev/null; then
    log "installing chromium (apt; the report's browser test opens it headless through Playwright, which downloads no browser)"
    local sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends chromium >/dev/null 2>&1 || {
      $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends chromium >/dev/null; }
  fi
  if [ ! -x "$infra/azurite/node_modules/.bin/azurite-blob" ]; then
    log "installing azurite@3.35.0 (npm)"
    mkdir -p "$infra/azurite"
    (cd "$infra/azurite" && { [ -f package.json ] || echo '{"name":"pipeline-azurite","private":true}' > package.json; } \
      && npm install --no-audit --no-fund --loglevel=error azurite@3.35.0 >/dev/null)
  fi
}

start_rabbitmq() {
  if port_open "$amqp_port"; then log "something already listens on $amqp_port; assuming our RabbitMQ"; return 0; fi
  mkdir -p "$run/rabbitmq/log" "$run/rabbitmq-home"
  cat > "$run/rabbitmq/rabbitmq.conf" <<CONF
listeners.tcp.default = 127.0.0.1:${amqp_port}
management.tcp.ip = 127.0.0.1
management.tcp.port = ${mgmt_port}
prometheus.tcp.ip = 127.0.0.1
prometheus.tcp.port = $((mgmt_port + 77))
loopback_users.guest = true
# The broker's default (30 min). Long stages run in bounded slices, so they never hold a delivery this long.
consumer_timeout = 1800000
CONF
  echo '[rabbitmq_management,rabbitmq_prometheus].' > "$run/rabbitmq/enabled_plugins"
  ( rabbit_env; /usr/lib/rabbitmq/bin/rabbitmq-server -detached >/dev/null 2>&1 )
  ( rabbit_env; timeout 90 /usr/lib/rabbitmq/bin/rabbitmqctl -q wait "$RABBITMQ_PID_FILE" >/dev/null )
  wait_port "$amqp_port" 60 RabbitMQ
  log "RabbitMQ on 127.0.0.1:$amqp_port (management $mgmt_port)"
}

start_azurite() {
  if port_open "$blob_port"; then log "something already listens on $blob_port; assuming Azurite"; return 0; fi
  mkdir -p "$run"
  nohup "$infra/azurite/node_modules/.bin/azurite-blob" --blobHost 127.0.0.1 --blobPort "$blob_port" \
    --inMemoryPersistence --skipApiVersionCheck --disableTelemetry --loose >"$run/azurite.log" 2>&1 &
  echo $! > "$run/azurite.pid"
  wait_port "$blob_port" 30 Azurite
  log "Azurite blob on 127.0.0.1:$blob_port"
}

write_env() {
  mkdir -p "$run"
  cat > "$run/env.sh" <<ENV
export PIPELINE_TEST_RABBITMQ='${amqp_uri}'
export PIPELINE_TEST_RABBITMQ_MANAGEMENT='http://127.0.0.1:${mgmt_port}'
export PIPELINE_TEST_BLOB='${blob_conn}'
ENV
}

stop() {
  if [ -f "$run/rabbitmq/rabbitmq.pid" ]; then
    ( rabbit_env; timeout 60 /usr/lib/rabbitmq/bin/rabbitmqctl -q stop "$RABBITMQ_PID_FILE" >/dev/null 2>&1 ) || \
      kill "$(cat "$run/rabbitmq/rabbitmq.pid")" 2>/dev/null || true
    rm -f "$run/rabbitmq/rabbitmq.pid"
    wait_closed "$amqp_port" 30 || true
  fi
  if [ -f "$run/azurite.pid" ]; then
    kill "$(cat "$run/azurite.pid")" 2>/dev/null || true
    rm -f "$run/azurite.pid"
    wait_closed "$blob_port" 15 || true
  fi
  log "stopped"
}

case "${1:-}" in
  install) install ;;
  start) install; start_rabbitmq; start_azurite; write_env; cat "$run/env.sh" ;;
  stop) stop ;;
  env) write_env; cat "$run/env.sh" ;;
  *) echo "usage: $0 install|start|stop|env" >&2; exit 2 ;;
esac
