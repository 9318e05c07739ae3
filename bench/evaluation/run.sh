#!/usr/bin/env bash
# The evaluation matrix (issue 27): synthetic archives over event rate × size × sampling rate × seeds, the synthetic DAS
# acquisition and the labelled real windows, each through features -> fit -> predict -> evaluate with the defaults (or
# with extra fit arguments, to weigh an alternative on the same features). Archives and features are cached under
# artifacts/evaluation/ (keyed by their parameters), so a second run only refits: that is how a clustering default is
# compared. The table (median and worst seed per cell) goes to bench/results/<machine>/evaluation/<label>.md.
#
#   bench/evaluation/run.sh [--label NAME] [--seeds "1001 1002 ..."] [--cells REGEX] [--fit-args "..."] [--quick] [--full]
#
# --full adds the 4 × 96 h archives at 100 Hz (≈ 35 min more on 2 cores: the rest of the matrix says the same of them).
# SEISCAT_EVAL_CLI=path/to/seiscat.dll evaluates another build on the same cached features (e.g. the commit before).
set -euo pipefail
cd "$(dirname "$0")/../.."
label=defaults; seeds="1001 1002 1003 1004 1005"; cells='.*'; fit_args=""; quick=0; full=0
while [ $# -gt 0 ]; do
  case "$1" in
    --label) label="$2"; shift 2 ;;
    --seeds) seeds="$2"; shift 2 ;;
    --cells) cells="$2"; shift 2 ;;
    --fit-args) fit_args="$2"; shift 2 ;;
    --quick) quick=1; shift ;;
    --full) full=1; shift ;;
    *) echo "run.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
[ "$quick" = 1 ] && { seeds="1001 1002"; cells='(r0\.1-4x48|r1-2x6)-50hz|das|labelled'; }
cli="dotnet ${SEISCAT_EVAL_CLI:-artifacts/bin/Cli/release/seiscat.dll}"
[ -f "${SEISCAT_EVAL_CLI:-artifacts/bin/Cli/release/seiscat.dll}" ] || { echo "run.sh: build first (./build.sh build)" >&2; exit 2; }
machine="$(lscpu | sed -n 's/^Model name: *//p' | head -1 | tr 'A-Z' 'a-z' | awk '{print $1"-"$2}')-$(nproc)vcpu"
cache=artifacts/evaluation
runs="$cache/runs/$label"
results="bench/results/$machine/evaluation"
mkdir -p "$cache/archives" "$runs" "$results"
export SEISCAT_VET=off  # our own synthetic files: vetting them is 0.3 s per file of nothing
start=$(date +%s)

# One cell of the synthetic matrix: event rate, stations × hours, rate (Hz), seed.
one() {
  local er="$1" st="$2" hours="$3" hz="$4" seed="$5"
  local cell="r${er}-${st}x${hours}-${hz}hz" key="r${er}-${st}x${hours}-${hz}hz-s${seed}"
  [[ "$cell" =~ ^($cells)$ ]] || return 0
  local a="$cache/archives/$key" r="$runs/$key"
  if [ ! -f "$a/truth.csv" ]; then
    # The generic layout (uncompressed): the same samples as the ASDF default, written and read twice as fast.
    $cli synth --out "$a" --stations "$st" --hours "$hours" --rate "$hz" --event-rate "$er" --seed "$seed" --layout generic >/dev/null
  fi
  if [ ! -f "$a/features.h5" ]; then
    $cli features "$a" --out "$a/features.tmp.h5" 2>/dev/null >/dev/null && mv "$a/features.tmp.h5" "$a/features.h5"
    rm -f "$a"/SC.*.h5  # only the features and the truth are needed from here on
  fi
  mkdir -p "$r"
  local t0=$(date +%s%N)
  # shellcheck disable=SC2086
  $cli fit "$a/features.h5" --out "$r/model.h5" --seed "$seed" $fit_args > "$r/fit.txt"
  local t1=$(date +%s%N)
  $cli predict "$r/model.h5" "$a/features.h5" --out "$r/windows.h5" >/dev/null
  $cli evaluate "$r/windows.h5" --truth "$a/truth.csv" --json "$r/scores.json" >/dev/null
  printf "{\"cell\": \"%s\", \"seed\": %s, \"fit_seconds\": %.3f}\n" "$cell" "$seed" "$(( (t1 - t0) / 1000000 ))e-3" > "$r/meta.json"
  echo "$key: $(python3 -c "import json;s=json.load(open('$r/scores.json'));print(f\"ARI {s['adjusted_rand']:.3f}, {s['recovered_classes']}/{s['event_classes']} recovered, noise {100*s['background_in_background_clusters']:.1f} %\")")"
}

for er in 1 0.3 0.1 0.05; do
  for size in 2x6 4x48 4x96; do
    for hz in 50 100; do
      [ "$size/$hz/$full" = "4x96/100/0" ] && continue
      for seed in $seeds; do one "$er" "${size%x*}" "${size#*x}" "$hz" "$seed"; done
    done
  done
done

# The synthetic DAS acquisition (its own truth per channel) through `run`, with the same fit arguments.
if [[ "das" =~ ^($cells)$ ]]; then
  for seed in $seeds; do
    a="$cache/archives/das-s$seed" r="$runs/das-s$seed"
    [ -f "$a/truth.csv" ] || $cli synth --das --out "$a" --seed "$seed" >/dev/null
    [ -f "$a/features.h5" ] || { $cli features "$a" --out "$a/features.tmp.h5" 2>/dev/null >/dev/null && mv "$a/features.tmp.h5" "$a/features.h5"; }
    mkdir -p "$r"
    # shellcheck disable=SC2086
    $cli fit "$a/features.h5" --out "$r/model.h5" --seed "$seed" $fit_args > "$r/fit.txt"
    $cli predict "$r/model.h5" "$a/features.h5" --out "$r/windows.h5" >/dev/null
    $cli evaluate "$r/windows.h5" --truth "$a/truth.csv" --json "$r/scores.json" >/dev/null
    echo "{\"cell\": \"das\", \"seed\": $seed}" > "$r/meta.json"
    echo "das-s$seed: $(python3 -c "import json;s=json.load(open('$r/scores.json'));print(f\"ARI {s['adjusted_rand']:.3f}, {s['recovered_classes']}/{s['event_classes']} recovered\")")"
  done
fi

# The labelled real windows (docs/accuracy.md, "Do the clusters follow the signal?"): K = 2, a regression check, not a target.
if [[ "labelled" =~ ^($cells)$ ]]; then
  l=tests/data/labelled; r="$runs/labelled"; mkdir -p "$r"
  file=$(ls $l/*.h5 | head -1)
  cat > "$r/cfg.json" <<'JSON'
{"sampling_rate": 100, "bins": 2048, "layers": [{"octaves": 7, "resolution": 4, "quality": 2},
 {"octaves": 7, "resolution": 1, "quality": 2}], "pooling": "avg"}
JSON
  [ -f "$r/s.h5" ] || $cli scatter --segments "$file:/waveforms" --config "$r/cfg.json" --out "$r/s.h5" >/dev/null
  $cli fit "$r/s.h5" --clusters 2 --out "$r/m.h5" >/dev/null
  $cli predict "$r/m.h5" "$r/s.h5" --out "$r/w.h5" >/dev/null
  $cli evaluate "$r/w.h5" --labels "$file:/labels" --json "$r/scores.json" >/dev/null
  echo '{"cell": "labelled", "seed": 0}' > "$r/meta.json"
  echo "labelled: $(python3 -c "import json;s=json.load(open('$r/scores.json'));print(f\"ARI {s['adjusted_rand']:.3f}\")")"
fi

python3 bench/evaluation/table.py "$runs" "$label" "$(( $(date +%s) - start ))" "$fit_args" > "$results/$label.md"
cat "$results/$label.md"
echo "table: $results/$label.md"
