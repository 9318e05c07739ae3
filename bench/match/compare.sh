#!/usr/bin/env bash
# seiscat bench match vs bench/match/ncc_scipy.py, alternating, same shape, one thread each (this VM's speed drifts:
# compare within a round). Usage: bench/match/compare.sh [rounds]  (needs /usr/bin/python3 with numpy and scipy)
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=${1:-2}
cli=artifacts/bin/Cli/release/seiscat
# SEISCAT_ENV (default DOTNET_PROCESSOR_COUNT=1: the runtime sees one core, strictly per core) is passed to seiscat.
for r in $(seq 1 "$rounds"); do
  ours=$(env ${SEISCAT_ENV:-DOTNET_PROCESSOR_COUNT=1} $cli bench match --threads 1 --json | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["template_data_seconds_per_second"])')
  theirs=$(OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/match/ncc_scipy.py | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["template_data_seconds_per_second"])')
  /usr/bin/python3 -c "print(f'round $r: seiscat {float(\"$ours\"):.3e}, numpy/scipy {float(\"$theirs\"):.3e} template-s × data-s per s: {float(\"$ours\")/float(\"$theirs\"):.1f}x')"
done
