#!/usr/bin/env bash
# The image's HEALTHCHECK: healthy when the Jupyter server that start.sh started answers on its API (GET /api needs no
# token). A container running the gpush shell or another command has no server to ask, and counts as healthy.
set -euo pipefail
port_file=${GPUSH_JUPYTER_PORT_FILE:-/tmp/gpush-jupyter.port}
[[ -f $port_file ]] || exit 0
exec curl -fsS -o /dev/null --max-time 4 "http://127.0.0.1:$(< "$port_file")/api"
