#!/usr/bin/env bash
# The whole test suite: installs and starts a private RabbitMQ and Azurite (infra/local/deps.sh), runs every
# test project of Pipeline.ci.slnf against them, and stops them again.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
infra/local/deps.sh start >/dev/null
trap 'infra/local/services.sh stop >/dev/null 2>&1 || true; infra/local/deps.sh stop >/dev/null 2>&1 || true' EXIT
. .infra/run/env.sh
dotnet build Pipeline.ci.slnf -nologo -v q
dotnet test --solution Pipeline.ci.slnf --no-build "$@"
