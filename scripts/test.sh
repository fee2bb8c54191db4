#!/usr/bin/env bash
# Runs every test of the project on a fresh machine: installs what the tests need when it is missing
# (Debian's chromium for the browser tests, Node.js and npm for the client-js tests and the Node realm,
# Go, Delve, gcc, lldb-15 and debugpy for the debug realm's tests),
# then builds and verifies all modules with Maven (unit tests, component tests on real Jetty, end-to-end
# tests in headless Chromium and with a Node realm). The client-js build runs `npm ci` itself when
# client-js/node_modules is missing (the Node realm's one dependency, ws, pinned in package-lock.json).
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
command -v mvn >/dev/null 2>&1 || missing+=(maven)
# the debug realm's integration tests: Go under Delve, C under lldb-vscode, Python under debugpy
command -v go >/dev/null 2>&1 || missing+=(golang-go)
command -v dlv >/dev/null 2>&1 || missing+=(delve)
command -v gcc >/dev/null 2>&1 || missing+=(gcc)
command -v lldb-vscode-15 >/dev/null 2>&1 || missing+=(lldb-15)
/usr/bin/python3 -c 'import debugpy' >/dev/null 2>&1 || missing+=(python3-debugpy)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

exec mvn -B -ntp verify "$@"
