#!/usr/bin/env bash
# install_test.sh BUILD_DIR SOURCE_DIR — installs the build into a scratch
# prefix, then builds and runs consumer.c against it with pkg-config and with
# find_package(ftlab), for every flavor, shared and static; then runs every
# installed program once from the prefix.
set -euo pipefail
build=$1 src=$2
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT

cmake --install "$build" --prefix "$prefix" > /dev/null
libdir=$(ls -d "$prefix"/lib*/pkgconfig | head -1)
export PKG_CONFIG_PATH=$libdir
export LD_LIBRARY_PATH=$(dirname "$libdir")

for flavor in gil nogil nogil-atomic; do
  cc -std=c17 -Wall -Werror -o "$prefix/pc-$flavor" "$src/tests/install/consumer.c" \
     $(pkg-config --cflags --libs "ftlab-$flavor")
  "$prefix/pc-$flavor" "$flavor"
done

cmake -S "$src/tests/install/cmake-consumer" -B "$prefix/consumer" \
      -DCMAKE_PREFIX_PATH="$prefix" > /dev/null
cmake --build "$prefix/consumer" -j 2 > /dev/null
for flavor in gil nogil nogil-atomic; do
  "$prefix/consumer/consumer-$flavor" "$flavor"
  "$prefix/consumer/consumer-$flavor-static" "$flavor"
done
echo "install test: pkg-config and find_package consumers passed"

# Every installed program runs straight from the prefix: no
# LD_LIBRARY_PATH, the RPATH ($ORIGIN/../lib) finds the libraries.
unset LD_LIBRARY_PATH
n=0
for prog in "$prefix"/bin/*; do
  case $(basename "$prog") in
    ftmem-*|ftbench-*) "$prog" list > /dev/null ;;
    ftpy-*) out=$("$prog" -c 'import sys; print(6 * 7, sys.argv)' a b)
            [ "$out" = "42 ['-c', 'a', 'b']" ] ||
              { echo "install test: $prog printed '$out'" >&2; exit 1; } ;;
    *) echo "install test: no check for installed program $prog" >&2; exit 1 ;;
  esac
  n=$((n + 1))
done
[ "$n" -ge 9 ] || { echo "install test: only $n programs installed" >&2; exit 1; }
echo "install test: $n installed programs ran from the prefix"
