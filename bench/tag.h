/* tag.h — what an allocator benchmark's block carries from its allocation
 * to its free, so that a broken allocator (a block handed out twice, or
 * overwritten while live) fails the run instead of reporting a fast time.
 * bench/alloc.c (through ft_malloc) and bench/malloc_churn.c (through a
 * plain malloc) tag alike.
 *
 * The tag of sequence number v in an n-byte block:
 *
 *     n > 8:   [ v, 8 bytes | ... | (v * 31 + 7) & 0xff ]
 *     1 < n <= 8:  [ v & 0xff | ... | (v * 31 + 7) & 0xff ]
 *     n == 1:  [ v & 0xff ]
 *
 * Header-only and inline: it runs in the timed loops.
 */
#ifndef FTLAB_BENCH_TAG_H
#define FTLAB_BENCH_TAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

static inline unsigned char ftbench_tag_tail(uint64_t v)
{
    return (unsigned char)(v * 31 + 7);
}

/* Writes v's tag into the n-byte block p (n >= 1). */
static inline void ftbench_tag_write(unsigned char *p, size_t n, uint64_t v)
{
    if (n > 8)
        memcpy(p, &v, 8);
    else
        p[0] = (unsigned char)v;
    p[n - 1] = n == 1 ? (unsigned char)v : ftbench_tag_tail(v);
}

/* Whether the n-byte block p still carries v's tag. */
static inline bool ftbench_tag_ok(const unsigned char *p, size_t n, uint64_t v)
{
    if (n > 8) {
        uint64_t got;
        memcpy(&got, p, 8);
        if (got != v)
            return false;
    } else if (p[0] != (unsigned char)v) {
        return false;
    }
    return n == 1 || p[n - 1] == ftbench_tag_tail(v);
}

#endif /* FTLAB_BENCH_TAG_H */
