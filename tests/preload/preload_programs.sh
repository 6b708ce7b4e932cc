#!/usr/bin/env bash
# preload_programs.sh LIBFTMALLOC — real programs on libftmalloc.so.
#
# Each program runs twice, on glibc's malloc and with LD_PRELOAD=LIBFTMALLOC;
# both runs must succeed with the same output:
#   ls -la /usr/lib, ls -laR /usr/include   directory listings
#   sort; sort -n --parallel=2 -S 4M        200k random lines: threads, temp
#                                           files
#   python3 churn.py 100000                 4 threads, PYTHONMALLOC=malloc so
#                                           that every object is malloc'ed
#   gcc -O2 hello.c, then hello             cc1, as, ld on the shim: the two
#                                           executables must be identical
#   bash -c '... | tr | sort | md5sum'      fork and exec on the shim
# Prints what it runs; the first failure says why and exits 1.
set -euo pipefail
export LC_ALL=C

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
lib=${1:?usage: preload_programs.sh /path/to/libftmalloc.so}
fail() { echo "preload: FAIL: $*" >&2; exit 1; }
[[ -f $lib ]] || fail "no such library: $lib"
lib=$(cd "$(dirname "$lib")" && pwd)/$(basename "$lib")  # we change dirs
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
start=$SECONDS

# run NAME CMD...: NAME.ref from glibc, NAME.out from the shim; both must
# exit 0, ld.so must accept the preload, and the outputs must match.
run() {
  local name=$1; shift
  local ref=$work/$name.ref out=$work/$name.out err=$work/$name.err
  echo "preload: $name: $*"
  "$@" > "$ref" 2> "$err" \
    || fail "$name: exit status $? without the preload: $(head -c 500 "$err")"
  local t=$SECONDS
  LD_PRELOAD=$lib "$@" > "$out" 2> "$err" \
    || fail "$name: exit status $? with the preload: $(head -c 2000 "$err")"
  if grep -q "cannot be preloaded" "$err"; then
    fail "$name: ld.so refused the preload: $(cat "$err")"
  fi
  if ! cmp -s "$ref" "$out"; then
    diff "$ref" "$out" | head -20 >&2
    fail "$name: output differs with the preload (< glibc, > libftmalloc)"
  fi
  echo "preload: $name: ok ($(wc -l < "$out") lines;" \
       "$((SECONDS - t)) s with the preload)"
}

# It is the shim, and the preload takes: a program sees it mapped.
nm -D --defined-only "$lib" | grep -qw ftmalloc_owns \
  || fail "$lib does not export ftmalloc_owns: not libftmalloc.so"
LD_PRELOAD=$lib cat /proc/self/maps | grep -qF "$lib" \
  || fail "LD_PRELOAD=$lib: the library is not mapped into cat"

run ls ls -la /usr/lib
run ls-R ls -laR /usr/include

awk 'BEGIN { srand(42)
             for (i = 0; i < 200000; i++)
               printf "%d %s%d\n", int(rand() * 1e9),
                      substr("abcdefghij", 1 + int(rand() * 10)), i }' \
  > "$work/lines.txt"
run sort sort "$work/lines.txt"
run sort-n sort -n -k1,1 --parallel=2 -S 4M -T "$work" "$work/lines.txt"

# sys.executable: not a version manager's wrapper script.
python=$(python3 -c 'import sys; print(sys.executable)') \
  || fail "python3 not found"
PYTHONMALLOC=malloc run python "$python" "$here/churn.py" 100000

cat > "$work/hello.c" <<'EOF'
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
static int cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}
int main(void)
{
    char *words[1000];
    unsigned x = 12345;
    for (int i = 0; i < 1000; i++) {
        x = x * 1103515245u + 12345u;
        words[i] = malloc(16 + x % 900);
        snprintf(words[i], 16, "w%u", x % 100000);
    }
    qsort(words, 1000, sizeof *words, cmp);
    printf("hello from the shim: first %s, last %s\n", words[0], words[999]);
    for (int i = 0; i < 1000; i++)
        free(words[i]);
    return 0;
}
EOF
cd "$work"
echo "preload: gcc: gcc -O2 -Wall -Werror hello.c"
gcc -O2 -Wall -Werror -o hello-glibc hello.c \
  || fail "gcc: failed without the preload"
LD_PRELOAD=$lib gcc -O2 -Wall -Werror -o hello-shim hello.c 2> gcc.err \
  || fail "gcc: exit status $? with the preload: $(head -c 2000 gcc.err)"
cmp -s hello-glibc hello-shim \
  || fail "gcc: the executable built under the preload differs"
echo "preload: gcc: ok (identical executables)"
run hello ./hello-shim
grep -q "hello from the shim" hello.out \
  || fail "hello: unexpected output: $(cat hello.out)"

run bash bash -c \
  'for i in $(seq 60); do echo "$i" | tr 0-9 a-j; done | sort | md5sum'

echo "preload: all programs passed on $(basename "$lib")" \
     "in $((SECONDS - start)) s"
