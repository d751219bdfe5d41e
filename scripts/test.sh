#!/usr/bin/env bash
# Install everything the tests need, then run them: Python packages (with the test extra),
# Debian's chromium for the browser tests, and the npm dev packages (axe-core) if the repo lists any.
# Extra arguments go to pytest, e.g. `bash scripts/test.sh -m "not browser"`.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
fi

python3 -m pip install -q --disable-pip-version-check -e '.[test]'
if [ -f package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi

ruff check src tests
python3 -m mypy src/dsguide  # strict: [tool.mypy] in pyproject.toml
python3 -m pytest "$@"
