#!/usr/bin/env bash
# Ensure the Debian 12 packages ftlab needs are installed.
# Fast no-op when everything is present (runs on every `make`).
# As root: installs what is missing. Otherwise: prints the sudo line, exits 1.
set -euo pipefail

PACKAGES=(
  cmake gcc g++ make pkgconf
  liburcu-dev libmimalloc-dev
  libbenchmark-dev libbenchmark-tools
  libcmocka-dev
  gnuplot-nox graphviz
  libjansson-dev jq
  libjemalloc2 libtcmalloc-minimal4
  libgmp-dev libedit-dev clang python3 hyperfine
  # CPython's own objgraph and memory_profiler: the oracle for ftpy's
  # built-in ones in tests/py
  python3-objgraph python3-memory-profiler
)

missing_packages() {
  local p
  for p in "${PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
      printf '%s\n' "$p"
    fi
  done
}

# Fast path: one dpkg-query for all packages (exits non-zero if one is
# unknown); every status line must read "install ok installed".
if status=$(dpkg-query -W -f='${Status}\n' "${PACKAGES[@]}" 2>/dev/null) &&
   ! grep -qv '^install ok installed$' <<<"$status"; then
  echo "deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi

mapfile -t missing < <(missing_packages)
if [ "${#missing[@]}" -eq 0 ]; then
  echo "deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi

echo "deps: missing ${#missing[@]} of ${#PACKAGES[@]} packages: ${missing[*]}" >&2

if [ "$(id -u)" -ne 0 ]; then
  echo "deps: not root; install them with:" >&2
  echo "sudo apt-get install -y ${missing[*]}"
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
echo "deps: running apt-get update" >&2
apt-get update </dev/null ||
  { echo "deps: apt-get update failed" >&2; exit 1; }
echo "deps: installing: ${missing[*]}" >&2
apt-get install -y --no-install-recommends "${missing[@]}" </dev/null ||
  { echo "deps: apt-get install failed for: ${missing[*]}" >&2; exit 1; }

mapfile -t still < <(missing_packages)
if [ "${#still[@]}" -ne 0 ]; then
  echo "deps: still missing after install: ${still[*]}" >&2
  exit 1
fi
echo "deps: all ${#PACKAGES[@]} packages present (installed ${#missing[@]})"
