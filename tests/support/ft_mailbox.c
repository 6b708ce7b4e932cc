/* ft_mailbox.c — see ft_mailbox.h. */
#include <string.h>
#include "ft_mailbox.h"

void ft_test_mailbox_init(ft_test_mailbox *m, int capacity)
{
    assert_true(capacity > 0 && capacity <= FT_TEST_MAILBOX_MAX);
    *m = (ft_test_mailbox){ .lock = FT_MUTEX_INIT, .capacity = capacity };
}

bool ft_test_mailbox_post(ft_test_mailbox *m, void *p)
{
    bool posted = false;
    ft_mutex_lock(&m->lock);
    if (m->count < m->capacity) {
        m->slots[m->count++] = p;
        posted = true;
    }
    ft_mutex_unlock(&m->lock);
    return posted;
}

void *ft_test_mailbox_take(ft_test_mailbox *m)
{
    void *p = NULL;
    ft_mutex_lock(&m->lock);
    if (m->count > 0)
        p = m->slots[--m->count];
    ft_mutex_unlock(&m->lock);
    return p;
}

int ft_test_mailbox_take_all(ft_test_mailbox *m, void *out[FT_TEST_MAILBOX_MAX])
{
    ft_mutex_lock(&m->lock);
    int n = m->count;
    memcpy(out, m->slots, (size_t)n * sizeof *out);
    m->count = 0;
    ft_mutex_unlock(&m->lock);
    return n;
}
