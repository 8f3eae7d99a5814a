#!/usr/bin/env bash
# Lints a Dockerfile (install/Dockerfile by default) with dockerfile-utils from npm, which this script installs into
# target/dockerfile-utils on first use. Prints the linter's findings; exits 0 only when there are none, 3 when npm is
# missing.
set -euo pipefail

readonly VERSION=0.16.3
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
prefix=${DOCKERFILE_UTILS_PREFIX:-$root/target/dockerfile-utils}
linter=$prefix/node_modules/.bin/dockerfile-utils

if [[ ! -x $linter ]]; then
  command -v npm >/dev/null || { echo "lint-dockerfile: npm is needed to install dockerfile-utils" >&2; exit 3; }
  npm install --prefix "$prefix" --no-audit --no-fund --loglevel=error "dockerfile-utils@$VERSION" >&2
fi
status=0
findings=$("$linter" lint "${1:-$root/install/Dockerfile}") || status=$?
[[ -z $findings && $status == 0 ]] || { echo "$findings"; exit 1; }
