/* consumer.c — a program built against an *installed* ftlab, the way a
 * user builds one: with pkg-config or find_package(ftlab). It checks that
 * headers and library agree and that threads run. */
#include <stdio.h>
#include <string.h>
#include <ftlab.h>

/* Reports a failed check and ends the program with status 1. */
static int fail(const char *what)
{
    fprintf(stderr, "consumer: %s\n", what);
    return 1;
}

static void worker(void *arg)
{
    ft_checkpoint();
    *(int *)arg = 42;
}

int main(int argc, char **argv)
{
    const char *want = argc > 1 ? argv[1] : FT_FLAVOR;
    if (ft_init(NULL) != 0)
        return fail(ft_err_message());
    int result = 0;
    ft_thread *t = ft_thread_start(worker, &result);
    if (!t || ft_thread_join(t) != 0 || result != 42)
        return fail("the thread did not run");
    if (strcmp(ft_flavor(), want) != 0 || strcmp(FT_FLAVOR, want) != 0) {
        fprintf(stderr, "consumer: flavor %s/%s, wanted %s\n", ft_flavor(),
                FT_FLAVOR, want);
        return 1;
    }
    printf("consumer: %s ok (FT_NOGIL=%d)\n", ft_flavor(), FT_NOGIL);
    return ft_fini(NULL) == 0 ? 0 : 1;
}
