#!/usr/bin/env bash
# The whole test suite: installs and starts a private RabbitMQ and Azurite (infra/local/deps.sh), runs every
# test project of Pipeline.ci.slnf against them, and stops them again. Extra arguments go to `dotnet test`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
infra/local/deps.sh start >/dev/null
trap 'infra/local/deps.sh stop >/dev/null 2>&1 || true' EXIT
. .infra/run/env.sh
# deps.sh installs promtool and kubectl (env.sh puts an installed kubectl on PATH), so the infra tests must use
# them rather than fall back to structural checks.
export PIPELINE_REQUIRE_PROMTOOL=1
export PIPELINE_REQUIRE_KUBECTL=1
# ... and chromium, so the report's browser test runs rather than skips.
export PIPELINE_REQUIRE_CHROMIUM=1
dotnet build Pipeline.ci.slnf -nologo -v q
log="$(mktemp)"
set +e
dotnet test --solution Pipeline.ci.slnf --no-build "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
# One plain closing line over all test projects.
passed=$(grep -E '^\s+succeeded: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+' || echo 0)
failed=$(grep -E '^\s+failed: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+' || echo 0)
rm -f "$log"
echo "${passed} passed, ${failed} failed"
exit "$status"
