#!/usr/bin/env bash
# Runs every test of the project on a fresh machine: installs what the tests need when it is missing
# (Debian's chromium for the browser tests, Node.js and npm for the client-js tests and the Node realm,
# Python 3 with websockets and pytest for the Python realm, delve/Go, gcc, lldb and debugpy for the debug realm,
# stress-ng for the load test on a busy machine), then builds and verifies all modules with Maven (unit
# tests, component tests on real Jetty, end-to-end tests in headless Chromium, Node, Python and debug
# adapters). The client-js build runs `npm ci` itself when client-js/node_modules is missing (the Node
# realm's one dependency, ws, pinned in package-lock.json).
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

missing=()
need() { # need PACKAGE TEST...: installs PACKAGE when the test command fails
  local package=$1; shift
  "$@" >/dev/null 2>&1 || missing+=("$package")
}
need chromium command -v chromium
need nodejs command -v node
need npm command -v npm
need maven command -v mvn
need python3 test -x /usr/bin/python3
need python3-websockets /usr/bin/python3 -c 'import websockets'
need python3-pytest /usr/bin/python3 -c 'import pytest'
need python3-debugpy /usr/bin/python3 -c 'import debugpy'
need golang-go command -v go
need delve command -v dlv
need lldb-15 command -v lldb-vscode-15
need gcc command -v gcc
need stress-ng command -v stress-ng
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [ -d client-python/tests ]; then
  # Debian's Python (the one python3-websockets and python3-pytest install into), not another python3 on PATH.
  (cd client-python && /usr/bin/python3 -m pytest -q -p no:cacheprovider tests)
fi

exec mvn -B -ntp verify "$@"
