#!/usr/bin/env bash
# Runs the foundation benchmarks (bench/Pipeline.Bench.Foundation) in Release against the local RabbitMQ
# and Azurite. Starts them with infra/local/deps.sh unless PIPELINE_TEST_* already name servers.
# Arguments go to the benchmark: bench/run-foundation.sh --size-mb 256 --iterations 500
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
if [ -z "${PIPELINE_TEST_RABBITMQ:-}" ] || [ -z "${PIPELINE_TEST_RABBITMQ_MANAGEMENT:-}" ] || [ -z "${PIPELINE_TEST_BLOB:-}" ]; then
  infra/local/deps.sh start >/dev/null
  # shellcheck source=/dev/null
  . .infra/run/env.sh
fi
exec dotnet run -c Release --project bench/Pipeline.Bench.Foundation -- "$@"
