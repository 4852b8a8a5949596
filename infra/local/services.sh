#!/usr/bin/env bash
# Starts the pipeline's services on loopback, as plain processes (no Docker, no Aspire), against the
# RabbitMQ and Azurite that deps.sh starts; waits until each answers /health; stops them by PID.
#
#   infra/local/services.sh start [SERVICE...]   default: all of them
#   infra/local/services.sh stop  [SERVICE...]
#   infra/local/services.sh status
#
# SERVICE is one of: api ingestion synthesis sft reward-model ppo evaluation
# Environment: PIPELINE_API_PORT (5080; the others take the next ports), PIPELINE_INFRA_DIR (<repo>/.infra),
# CONFIGURATION (Debug), ConnectionStrings__messaging / ConnectionStrings__artifacts (default: from deps.sh),
# PIPELINE_INSTANCE (suffix for running a second replica of a service, e.g. ingestion "b"),
# PIPELINE_SERVICE_PORT (explicit port for the one service being started).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
infra="${PIPELINE_INFRA_DIR:-$repo/.infra}"
run="$infra/services"
configuration="${CONFIGURATION:-Debug}"
base_port="${PIPELINE_API_PORT:-5080}"
instance="${PIPELINE_INSTANCE:-}"
all=(api ingestion synthesis sft reward-model ppo evaluation)

project_of() {
  case "$1" in
    api) echo Pipeline.Api ;; ingestion) echo Pipeline.IngestionService ;; synthesis) echo Pipeline.SynthesisService ;;
    sft) echo Pipeline.SftService ;; reward-model) echo Pipeline.RewardModelService ;; ppo) echo Pipeline.PpoService ;;
    evaluation) echo Pipeline.EvaluationService ;;
    *) echo "unknown service '$1'; one of: ${all[*]}" >&2; exit 2 ;;
  esac
}

port_of() {
  if [ -n "${PIPELINE_SERVICE_PORT:-}" ]; then echo "$PIPELINE_SERVICE_PORT"; return; fi
  local i offset=0
  for i in "${!all[@]}"; do [ "${all[$i]}" = "$1" ] && offset=$i; done
  [ -n "$instance" ] && offset=$((offset + 10))
  echo $((base_port + offset))
}

log() { echo "[services] $*" >&2; }

# GET /health over bash's /dev/tcp, so the script needs no curl.
healthy() {
  local status
  # The braces make 2>/dev/null cover the failed connect itself ("connect: Connection refused" while a service
  # starts); on a bare exec the redirections apply left to right, so the error was printed before stderr moved.
  { exec 3<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null || return 1
  printf 'GET /health HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3
  IFS= read -r -t 5 status <&3 || true
  exec 3<&- 3>&-
  [[ "$status" == *" 200"* ]]
}

start_one() {
  local name="$1" project port dll pidfile
  project="$(project_of "$name")"; port="$(port_of "$name")"
  pidfile="$run/$name$instance.pid"
  if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then log "$name$instance already running"; return 0; fi
  dll="$repo/src/Services/$project/bin/$configuration/net10.0/$project.dll"
  if [ ! -f "$dll" ]; then
    log "building $project"
    dotnet build "$repo/src/Services/$project/$project.csproj" -c "$configuration" -v q -nologo >/dev/null
  fi
  mkdir -p "$run"
  (
    cd "$(dirname "$dll")"
    export ASPNETCORE_URLS="http://127.0.0.1:$port" ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"
    export ConnectionStrings__messaging="${ConnectionStrings__messaging:-${PIPELINE_TEST_RABBITMQ:-}}"
    export ConnectionStrings__artifacts="${ConnectionStrings__artifacts:-${PIPELINE_TEST_BLOB:-}}"
    exec nohup dotnet "$dll" >"$run/$name$instance.log" 2>&1
  ) &
  echo $! > "$pidfile"
  local i
  for ((i = 0; i < 300; i++)); do
    if healthy "$port"; then log "$name$instance healthy on 127.0.0.1:$port"; return 0; fi
    if ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then log "$name$instance exited; last log lines:"; tail -20 "$run/$name$instance.log" >&2; return 1; fi
    sleep 0.2
  done
  log "$name$instance did not become healthy in 60 s"; return 1
}

stop_one() {
  local name="$1" pidfile="$run/$1$instance.pid" port
  port="$(port_of "$name")"
  [ -f "$pidfile" ] || return 0
  kill "$(cat "$pidfile")" 2>/dev/null || true
  local i
  for ((i = 0; i < 100; i++)); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || break; sleep 0.1; done
  rm -f "$pidfile"
  log "$name$instance stopped"
}

# Run as a command; sourced (the infra tests do), it only defines the functions above.
[[ "${BASH_SOURCE[0]}" == "$0" ]] || return 0
if [ -f "$infra/run/env.sh" ]; then . "$infra/run/env.sh"; fi
cmd="${1:-}"; shift || true
services=("$@"); [ ${#services[@]} -gt 0 ] || services=("${all[@]}")
case "$cmd" in
  start) for s in "${services[@]}"; do start_one "$s"; done ;;
  stop) for s in "${services[@]}"; do stop_one "$s"; done ;;
  status) for s in "${all[@]}"; do p="$run/$s$instance.pid"; if [ -f "$p" ] && kill -0 "$(cat "$p")" 2>/dev/null; then echo "$s: running (pid $(cat "$p"), port $(port_of "$s"))"; else echo "$s: stopped"; fi; done ;;
  *) echo "usage: $0 start|stop|status [SERVICE...]" >&2; exit 2 ;;
esac
