#!/usr/bin/env bash
# Runs every test of the project on a fresh machine: installs what the tests need when it is missing
# (Debian's chromium for the browser tests, Node.js and npm for the client-js tests and the Node realm),
# then builds and verifies all modules with Maven (unit tests, component tests on real Jetty, end-to-end
# tests in headless Chromium and with a Node realm). The client-js build runs `npm ci` itself when
# client-js/node_modules is missing (the Node realm's one dependency, ws, pinned in package-lock.json).
# The Python realm (client-python) runs on Debian's Python, /usr/bin/python3, with Debian's
# python3-websockets and python3-pytest (no PyPI needed): its unit tests run first, then Maven.
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
[ -x /usr/bin/python3 ] || missing+=(python3)
/usr/bin/python3 -c 'import websockets' >/dev/null 2>&1 || missing+=(python3-websockets)
/usr/bin/python3 -c 'import pytest' >/dev/null 2>&1 || missing+=(python3-pytest)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

echo "client-python: unit tests"
(cd client-python && /usr/bin/python3 -m pytest -q)

exec mvn -B -ntp verify "$@"
