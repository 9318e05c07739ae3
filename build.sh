#!/usr/bin/env bash
# Entry point for README's commands: ./build.sh demo | test | fuzz | bench | evaluate | trace | publish | clean | bootstrap.
# Installs the local dotnet tools (Cake, dotnet-trace) and hands over to build.cake.
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

if ! command -v dotnet >/dev/null 2>&1; then
  echo "build.sh: the .NET 10 SDK is missing: install Debian/Ubuntu package dotnet-sdk-10.0 (Microsoft's package feed) and rerun" >&2
  exit 1
fi

target="${1:-test}"
[ $# -gt 0 ] && shift
case "${target,,}" in
  bootstrap) target=Bootstrap ;; build) target=Build ;; test) target=Test ;; fuzz) target=Fuzz ;; bench) target=Bench ;;
  demo) target=Demo ;; trace) target=Trace ;; publish) target=Publish ;; clean) target=Clean ;; evaluate) target=Evaluate ;;
  *) echo "build.sh: unknown target '$target' (bootstrap, build, test, fuzz, bench, demo, evaluate, trace, publish, clean)" >&2; exit 2 ;;
esac

dotnet tool restore >/dev/null
exec dotnet tool run dotnet-cake -- build.cake --target="$target" "$@"
