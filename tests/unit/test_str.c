/* test_str.c — strings: UTF-8 round trips and validation, length in code
 * points, hash and equality, sizes, the immortal empty and one-character
 * strings, and interning (one object per value, mortal, nothing left
 * behind). White-box where it checks the cached hash and the table size. */
#define FT_BUILD_CORE 1
#include <string.h>
#include "ft_test.h"
#include "internal/intern.h"

static void test_ascii_round_trip(void **state)
{
    (void)state;
    int64_t before = ft_test_live_objects();
    ft_object *s = ft_test_str("hello, world");
    ssize_t size = -1;
    assert_string_equal(ft_str_utf8_borrow(s, &size), "hello, world");
    assert_int_equal(size, 12);
    assert_int_equal(ft_len(s), 12);
    assert_int_equal(ft_refcnt(s), 1);
    assert_false(ft_is_immortal(s));
    assert_int_equal(ft_test_live_objects(), before + 1);
    ft_incref(s);
    assert_int_equal(ft_refcnt(s), 2);
    ft_decref(s);
    ft_decref(s);
    assert_int_equal(ft_test_live_objects(), before);
}

static void test_multibyte_round_trip(void **state)
{
    (void)state;
    /* 2-, 3- and 4-byte sequences: é, €, U+1D11E (musical G clef). */
    const char *text = "h\xC3\xA9llo \xE2\x82\xAC \xF0\x9D\x84\x9E!";
    ft_object *s = ft_test_str(text);
    ssize_t size;
    assert_memory_equal(ft_str_utf8_borrow(s, &size), text, strlen(text) + 1);
    assert_int_equal(size, (ssize_t)strlen(text));
    assert_int_equal(ft_len(s), 10);
    ft_object *prefix = ft_str_from_utf8(text, 6);   /* "héllo": n bytes */
    assert_int_equal(ft_len(prefix), 5);
    assert_string_equal(ft_str_utf8_borrow(prefix, NULL), "h\xC3\xA9llo");
    ft_object *nul = ft_str_from_utf8("a\0b", 3);    /* U+0000 is valid */
    assert_int_equal(ft_len(nul), 3);
    ft_decref(s);
    ft_decref(prefix);
    ft_decref(nul);
}

static void test_invalid_utf8(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "\x80",                 /* lone continuation byte           */
        "\xC3\x28",             /* bad continuation                 */
        "\xC0\xAF",             /* overlong '/' (2 bytes)           */
        "\xC1\xBF",             /* overlong U+007F                  */
        "\xE0\x80\xAF",         /* overlong '/' (3 bytes)           */
        "\xF0\x80\x80\xAF",     /* overlong '/' (4 bytes)           */
        "\xED\xA0\x80",         /* surrogate U+D800                 */
        "\xED\xBF\xBF",         /* surrogate U+DFFF                 */
        "\xF4\x90\x80\x80",     /* U+110000                         */
        "\xF5\x80\x80\x80",     /* lead byte past U+10FFFF          */
        "\xFF",                 /* never valid                      */
        "ok\xE2\x82",           /* truncated at the end             */
    };
    int64_t before = ft_test_live_objects();
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_null(ft_str_from_utf8(bad[i], -1));
        ft_test_expect_error(FT_ERR_VALUE);
    }
    /* Truncated by n, though the bytes past n would complete it. */
    assert_null(ft_str_from_utf8("\xE2\x82\xAC", 2));
    ft_test_expect_error(FT_ERR_VALUE);
    /* The extremes that are valid. */
    ft_object *edge = ft_test_str("\xED\x9F\xBF\xEE\x80\x80\xF4\x8F\xBF\xBF");
    assert_int_equal(ft_len(edge), 3);   /* U+D7FF U+E000 U+10FFFF */
    ft_decref(edge);
    assert_int_equal(ft_test_live_objects(), before);
}

static void test_null_and_type_errors(void **state)
{
    (void)state;
    assert_null(ft_str_from_utf8(NULL, -1));
    ft_test_expect_error(FT_ERR_TYPE);
    assert_null(ft_str_from_utf8("abc", -2));
    ft_test_expect_error(FT_ERR_VALUE);
    assert_null(ft_str_utf8_borrow(ft_int_from_i64(3), NULL));
    ft_test_expect_error(FT_ERR_TYPE);
    assert_null(ft_str_utf8_borrow(NULL, NULL));
    ft_test_expect_error(FT_ERR_TYPE);
    assert_null(ft_str_intern(ft_none()));
    ft_test_expect_error(FT_ERR_TYPE);
    assert_null(ft_str_intern(NULL));
    ft_test_expect_error(FT_ERR_TYPE);
    assert_false(ft_str_is_interned(ft_none()));
}

static void test_hash_and_equality(void **state)
{
    (void)state;
    ft_object *a = ft_test_str("spam and eggs"), *b = ft_test_str("spam and eggs"),
              *c = ft_test_str("spam and eggz"), *d = ft_test_str("spam and egg");
    assert_int_equal(_ft_as_str(a)->xhash, FT_STR_HASH_UNSET);
    int64_t h = ft_hash(a);
    assert_true(h != -1);
    assert_int_equal(_ft_as_str(a)->xhash, h);   /* cached */
    assert_int_equal(ft_hash(a), h);
    assert_int_equal(ft_hash(b), h);
    assert_true(ft_hash(c) != h);
    assert_int_equal(ft_equal(a, b), 1);
    assert_int_equal(ft_equal(a, c), 0);         /* hashes cached: differ */
    assert_int_equal(ft_equal(a, d), 0);         /* sizes differ */
    assert_int_equal(ft_equal(a, ft_int_from_i64(1)), 0);
    assert_int_equal(ft_equal(ft_int_from_i64(1), a), 0);
    assert_int_equal(ft_hash(ft_test_str("")), ft_hash(ft_str_from_utf8("x", 0)));
    ft_decref(a);
    ft_decref(b);
    ft_decref(c);
    ft_decref(d);
}

static void test_sizeof_grows(void **state)
{
    (void)state;
    ft_object *a = ft_test_str("ab"), *b = ft_test_str("abc");
    ft_object *e = ft_test_str("\xE2\x82\xAC\xE2\x82\xAC");
    assert_int_equal(ft_sizeof(b), ft_sizeof(a) + 1);
    assert_int_equal(ft_sizeof(e), ft_sizeof(a) + 4);   /* bytes, not code points */
    assert_true(ft_sizeof(a) > sizeof(ft_object) + 2);
    assert_true(ft_sizeof(ft_test_str("")) < ft_sizeof(a));
    ft_decref(a);
    ft_decref(b);
    ft_decref(e);
}

static void test_immortal_singletons(void **state)
{
    (void)state;
    int64_t before = ft_test_live_objects();
    ft_object *e = ft_test_str("");
    assert_ptr_equal(e, ft_str_from_utf8("anything", 0));
    assert_true(ft_is_immortal(e));
    assert_int_equal(ft_len(e), 0);
    ft_object *a = ft_test_str("a"), *eacute = ft_test_str("\xC3\xA9");
    ft_object *nul = ft_str_from_utf8("", 1);
    assert_ptr_equal(a, ft_test_str("a"));
    assert_ptr_equal(eacute, ft_test_str("\xC3\xA9"));    /* U+00E9: latin-1 */
    assert_true(ft_is_immortal(a) && ft_is_immortal(eacute) && ft_is_immortal(nul));
    assert_int_equal(ft_len(nul), 1);
    ft_object *amacron = ft_test_str("\xC4\x80");         /* U+0100: not cached */
    assert_false(ft_is_immortal(amacron));
    ft_object *other = ft_test_str("\xC4\x80");
    assert_ptr_not_equal(amacron, other);
    ft_decref(other);
    intptr_t rc = ft_refcnt(a);
    ft_decref(a);
    ft_decref(a);
    assert_int_equal(ft_refcnt(a), rc);
    ft_object *i = ft_str_intern(a);              /* canonical already */
    assert_ptr_equal(i, a);
    assert_true(ft_str_is_interned(a));
    assert_int_equal(ft_test_live_objects(), before + 1);   /* only U+0100 */
    ft_decref(amacron);
}

static void test_intern_same_object(void **state)
{
    (void)state;
    int64_t before = ft_test_live_objects();
    ft_object *a = ft_test_str("interned value"), *b = ft_test_str("interned value");
    assert_ptr_not_equal(a, b);
    assert_false(ft_str_is_interned(a));
    ft_object *ia = ft_str_intern(a);
    assert_ptr_equal(ia, a);                     /* a became canonical */
    assert_true(ft_str_is_interned(a));
    assert_int_equal(ft_refcnt(a), 2);           /* ours + the returned one */
    ft_object *ib = ft_str_intern(b);
    assert_ptr_equal(ib, a);
    assert_int_equal(ft_refcnt(a), 3);
    assert_false(ft_str_is_interned(b));
    ft_object *again = ft_str_intern(a);         /* re-interning is cheap */
    assert_ptr_equal(again, a);
    assert_int_equal(_ft_intern_count(), 1);
    ft_decref(b);
    ft_decref(again);
    ft_decref(ib);
    ft_decref(ia);
    assert_int_equal(ft_refcnt(a), 1);           /* the table holds none */
    ft_decref(a);
    assert_int_equal(ft_test_live_objects(), before);
    assert_int_equal(_ft_intern_count(), 0);
}

static void test_intern_is_mortal(void **state)
{
    (void)state;
    int64_t before = ft_test_live_objects();
    ft_object *a = ft_test_str("short-lived");
    ft_object *ia = ft_str_intern(a);
    ft_decref(a);
    assert_int_equal(ft_refcnt(ia), 1);
    ft_decref(ia);                               /* dies: leaves the table */
    assert_int_equal(ft_test_live_objects(), before);
    assert_int_equal(_ft_intern_count(), 0);
    /* After its death the value gets a fresh canonical object. */
    ft_object *c = ft_test_str("short-lived");
    ft_object *ic = ft_str_intern(c);
    assert_ptr_equal(ic, c);
    ft_object *d = ft_test_str("short-lived"), *id = ft_str_intern(d);
    assert_ptr_equal(id, c);
    ft_decref(d);
    ft_decref(id);
    ft_decref(ic);
    ft_decref(c);
    assert_int_equal(ft_test_live_objects(), before);
}

enum { MANY = 10000 };

static void test_intern_many(void **state)
{
    (void)state;
    int64_t before = ft_test_live_objects();
    static ft_object *canon[MANY];
    char buf[32];
    for (int i = 0; i < MANY; i++) {
        snprintf(buf, sizeof buf, "word-%d", i);
        ft_object *s = ft_test_str(buf);
        canon[i] = ft_str_intern(s);
        assert_ptr_equal(canon[i], s);
        ft_decref(s);
    }
    assert_int_equal(_ft_intern_count(), MANY);
    for (int i = 0; i < MANY; i += 7) {          /* equal values: same objects */
        snprintf(buf, sizeof buf, "word-%d", i);
        ft_object *s = ft_test_str(buf), *c = ft_str_intern(s);
        assert_ptr_equal(c, canon[i]);
        ft_decref(c);
        ft_decref(s);
    }
    for (int i = 0; i < MANY; i += 2)            /* holes, then re-fill */
        ft_decref(canon[i]);
    assert_int_equal(_ft_intern_count(), MANY / 2);
    for (int i = 0; i < MANY; i += 2) {
        snprintf(buf, sizeof buf, "word-%d", i);
        ft_object *s = ft_test_str(buf);
        canon[i] = ft_str_intern(s);
        ft_decref(s);
    }
    for (int i = 0; i < MANY; i++)
        ft_decref(canon[i]);
    assert_int_equal(_ft_intern_count(), 0);
    assert_int_equal(ft_test_live_objects(), before);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_ascii_round_trip),
        T(test_multibyte_round_trip),
        T(test_invalid_utf8),
        T(test_null_and_type_errors),
        T(test_hash_and_equality),
        T(test_sizeof_grows),
        T(test_immortal_singletons),
        T(test_intern_same_object),
        T(test_intern_is_mortal),
        T(test_intern_many),
    };
    return ft_test_run(tests);
}
