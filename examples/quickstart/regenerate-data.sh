#!/usr/bin/env bash
# Rewrites examples/quickstart/data with QuickstartDataWriter's default options, through the test that checks it
# (CommittedDataTests), then runs that test again as a plain check. Commit the result.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
QUICKSTART_REGENERATE_DATA=1 dotnet test --project tests/Pipeline.Quickstart.Tests -- --filter-method "*Committed_data_equals*"
dotnet test --project tests/Pipeline.Quickstart.Tests -- --filter-method "*Committed_data_equals*"
ls -l examples/quickstart/data
