/* ft_mailbox.h — the stress tests' mailbox: any thread posts, the owner
 * takes.
 *
 * A stress test that wants memory or references to die on another thread
 * than the one that made them gives each worker a mailbox: a worker posts
 * a block (or a reference it hands over) to another worker's box, and the
 * owner of a box takes what was posted and frees it (or drops the
 * reference it never took: nogil's queued path). A box is bounded: post
 * fails when it is full and the poster keeps the pointer.
 *
 * The lock is a plain ft_mutex in every flavor, not a critical section
 * (which compiles to nothing in the gil flavor): the mailbox is correct by
 * itself, whatever the GIL does. Nothing runs under the lock but copying
 * pointers, so it is never held across a checkpoint or a free; a poster
 * that finds it held parks detached (ftlab/mutex.h) and never delays a
 * stop-the-world. Every function here may run on any registered thread
 * except ft_test_mailbox_init, which runs before the workers start.
 */
#ifndef FT_MAILBOX_H
#define FT_MAILBOX_H

#include "ft_test.h"

enum { FT_TEST_MAILBOX_MAX = 256 };

typedef struct ft_test_mailbox {
    ft_mutex lock;                      /* guards count and slots        */
    int capacity;                       /* <= FT_TEST_MAILBOX_MAX, fixed */
    int count;                          /* slots[0 .. count) are posted  */
    void *slots[FT_TEST_MAILBOX_MAX];
} ft_test_mailbox;

/* An empty box holding at most capacity pointers (main thread, before
 * the workers run: it asserts capacity is in range). */
void ft_test_mailbox_init(ft_test_mailbox *m, int capacity);

/* Posts p; false (p not posted) when the box is full. */
bool ft_test_mailbox_post(ft_test_mailbox *m, void *p);

/* The pointer posted last, taken out of the box, or NULL when empty. */
void *ft_test_mailbox_take(ft_test_mailbox *m);

/* Takes everything posted, in posting order, into out (room for
 * FT_TEST_MAILBOX_MAX); returns how many. The caller frees them after the
 * lock is gone. */
int ft_test_mailbox_take_all(ft_test_mailbox *m, void *out[FT_TEST_MAILBOX_MAX]);

#endif /* FT_MAILBOX_H */
