#!/usr/bin/env bash
# Genba's two set-up commands in one script, for a fresh Debian machine (run as root for apt):
#   bash tools/dev.sh demo   installs what the main job needs, then runs `genba demo`
#   bash tools/dev.sh test   installs what the tests need (Jython + JDBC jars, PostgreSQL,
#                            Chromium), then runs the whole test suite
# Extra arguments after the mode go to `genba demo` or to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-}
shift || true

DEMO_APT=(python3-venv)
TEST_APT=(python3-venv default-jre-headless jython libxerial-sqlite-jdbc-java libpostgresql-jdbc-java
          postgresql chromium)

apt_install() {
  local missing=()
  for package in "$@"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "genba: missing Debian packages: ${missing[*]} (run as root, or install them)" >&2
    return 0
  fi
  echo "genba: installing ${missing[*]}" >&2
  apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
}

python_env() {
  if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
  fi
  if ! .venv/bin/python -m pip install -q -e ".[dev]" >.venv/pip-install.log 2>&1; then
    cat .venv/pip-install.log >&2
    exit 1
  fi
}

case "$mode" in
  demo)
    apt_install "${DEMO_APT[@]}"
    python_env
    exec .venv/bin/genba demo "$@"
    ;;
  test)
    apt_install "${TEST_APT[@]}"
    python_env
    set +e
    .venv/bin/python -m pytest "$@"
    status=$?
    set -e
    if [ "$status" -eq 5 ]; then
      echo "genba: pytest collected no tests; that is a failure of the test command" >&2
      exit 1
    fi
    exit "$status"
    ;;
  *)
    echo "usage: bash tools/dev.sh demo|test [arguments]" >&2
    exit 2
    ;;
esac
