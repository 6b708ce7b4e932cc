# bench/callgrind_lib.sh — sourced by bench/callgrind_py.sh and
# bench/callgrind_c.sh.
#
# callgrind_fixhash DIR: builds DIR/fixhash.so, a preload whose getrandom
# always fails. The runtime seeds str hashes from getrandom and falls back
# to a fixed key, so dict probe lengths — and the instruction counts —
# repeat exactly from run to run (with random keys they move by ~1%).
callgrind_fixhash() {
    cat > "$1/fixhash.c" <<'CEOF'
#include <errno.h>
#include <stddef.h>
#include <sys/types.h>
ssize_t getrandom(void *buf, size_t n, unsigned flags)
{
    (void)buf; (void)n; (void)flags;
    errno = EAGAIN;
    return -1;
}
CEOF
    cc -O2 -shared -fPIC "$1/fixhash.c" -o "$1/fixhash.so"
}
