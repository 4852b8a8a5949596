#!/usr/bin/env bash
# The whole distributed topology on this machine: RabbitMQ + Azurite, then every service.
#   infra/local/up.sh     start and wait until healthy; prints the API address
#   infra/local/down.sh   stop everything
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$here/deps.sh" start >/dev/null
"$here/services.sh" start
echo "API: http://127.0.0.1:${PIPELINE_API_PORT:-5080}  (OpenAPI: /openapi/v1.json, metrics: /metrics)"
