/* flavor_mismatch.c — compiled against the headers of FT_EXPECT_HEADERS and
 * linked to the library of FT_EXPECT_LIBRARY (tests/CMakeLists.txt):
 * ft_init must refuse with a message naming both flavors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>
#include <ftlab.h>

static void test_mismatch_is_refused(void **state)
{
    (void)state;
    assert_string_equal(FT_FLAVOR, FT_EXPECT_HEADERS);
    assert_string_equal(ft_flavor(), FT_EXPECT_LIBRARY);
    assert_int_equal(ft_init(NULL), -1);
    assert_int_equal(ft_err_kind(), FT_ERR_RUNTIME);
    assert_false(ft_is_initialized());
    const char *msg = ft_err_message();
    assert_non_null(strstr(msg, "'" FT_EXPECT_HEADERS "' headers"));
    assert_non_null(strstr(msg, "'" FT_EXPECT_LIBRARY "' library"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mismatch_is_refused),
    };
    return cmocka_run_group_tests_name("flavor_mismatch [" FT_EXPECT_LIBRARY
                                       " library, " FT_EXPECT_HEADERS
                                       " headers]", tests, NULL, NULL);
}
