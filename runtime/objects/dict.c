/* dict.c — insertion-ordered hash tables, compact as CPython 3.6+.
 *
 * A dict points to one keys table, a single ft_malloc block:
 *
 *   ft_dict_keys
 *   +-------------------+----------------------------+--------------------+
 *   | log2_size, usable,| indices: 2^log2_size small | entries: {hash,    |
 *   | nentries          | ints of 1, 2, 4 or 8 bytes | key, value} dense, |
 *   |                   | (EMPTY, DUMMY, or an entry | in insertion order |
 *   |                   | number)                    | (2/3 of the size)  |
 *   +-------------------+----------------------------+--------------------+
 *   [ numbering: only in a table that a resize compacted: {base, nseqs,
 *     hint, seqs[nseqs]}, the insertion numbers that iteration positions
 *     need (see "Iteration") ]
 *
 * Lookup probes the indices with CPython's perturbation (i = 5i + 1 +
 * perturb; perturb >>= 5), so every slot is eventually visited and high
 * hash bits take part. The index table is at most 2/3 full of entry
 * numbers: when the entries run out (usable == 0) the table is rebuilt at
 * a size of at least 3 * len, which also drops deleted entries. Deleting
 * leaves a DUMMY index (the probe chains through it) and an entry with a
 * NULL key (skipped by iteration), so order survives deletes and resizes.
 *
 *   invariants: used == number of entries in [0, nentries) with a key;
 *               usable + nentries == USABLE(size); every live entry's
 *               index is reachable from its hash's probe sequence.
 *   A NULL keys table is the empty dict (no allocation until first insert).
 *
 * Concurrency contract (nogil; the GIL serialises the gil build): every
 * mutation, and every read with a key that is not an exact str, runs in a
 * critical section on the dict, and ft_hash / ft_equal of keys run inside
 * it, which is fine for the built-in key types (they never touch a dict).
 * A store, and a read that does not go lock-free (below), run in an
 * ELIDABLE section first (the owner of a dict no other thread has locked
 * skips the lock, ftlab/refcount.h): there the lookup compares two keys
 * only when both are of the types whose equality runs no code of the
 * program (str, int, float, bool: _ft_eq_runs_no_code; keys equal by pointer
 * need no comparison) and, meeting any other key of the same hash on the
 * probe, gives up before writing anything (DKIX_LOCK), and the operation
 * runs again in a locked section. The lookup asks whether its section
 * was elided (_ft_cs_in_elided_section), so a locked one (another
 * thread's, a settled dict, gil) never gives up. A dict another thread
 * reaches is settled by that thread's first section (invariant E): from
 * then on its owner locks too, with no mark needed.
 * Values and keys that leave the dict are released after the section; a
 * replaced keys table is freed with _ft_qsbr_free. The table pointer,
 * indices, keys and values are atomics stored with release order, so a
 * reader without the lock that loads one of them sees what it leads to.
 *
 * ft_dict_get with a str key reads without the lock (dict_get_lockfree,
 * after CPython's _Py_dict_lookup_threadsafe): it probes the table it
 * loaded; an entry's key equal by pointer matches at once; a str key of
 * the reader's own, alive, is compared at once too (only the reader could
 * free it: ftlab/refcount.h, invariant F); another str key is compared
 * only after _ft_try_incref on it and a re-check that the entry still
 * holds it (so its bytes are a live string's, never a stale block's); a
 * key of another type sends the lookup to the lock (its tp_eq may run
 * anything). The value is taken with _ft_try_incref, then the entry's
 * value and the dict's table are re-checked — but where the first try
 * (dict_try_get_inline, without a call) finds the key object itself
 * holding a value the reader owns or an immortal one: that value is
 * counted with no re-check (invariant F, as ft_list_get's first try).
 * Marks (internal/object.h): a key is marked shared when an entry takes
 * it (dict_insert), so that any thread's try-incref can count it; a
 * value is marked at its store unless the dict looks private and the
 * value lies in type-stable memory (_ft_object_mark_stored), as a list's
 * items. A non-owner's try-incref refuses such an unmarked value (its
 * shared word is untouched), which costs it LOCKFREE_TRIES failed tries
 * once: the locked lookup marks the value it finds (dict_lookup_ref), so
 * its later lock-free reads succeed. The owner counts its own values
 * without the mark (_ft_try_incref_owner). An entry's key only
 * ever goes from unset to a key to NULL (deletes), never back: a re-check
 * that finds the same key proves it was there all along. Failures retry
 * LOCKFREE_TRIES times, then take the lock.
 * A key of another type gets one lock-free try that compares no keys
 * (dict_get_same_key): the entry holding the very key object, with a
 * value the reader owns or an immortal one, or an empty slot before any
 * key of the same hash; anything else goes to the section.
 *
 * Version caches (ft_dict_lookup2_cached, LOAD_GLOBAL's cache). A dict's
 * version is 0 until a cache first asks for it (ft_dict_version assigns
 * one under the dict's lock); from then on every mutation (dict_insert,
 * dict_delete, dict_clear, popitem_locked) makes the version odd before
 * its first visible store and stores a fresh even one after the change,
 * both with release order, inside the critical section; entries are
 * filled only from even versions. Versions
 * come from per-thread batches of one global counter, so no two states of
 * any two dicts ever share one: an entry made for a dead dict, or for
 * another globals dict running the same code, can never match. A cache
 * entry {v1, v2, value} is filled with versions read BEFORE the lookups
 * that found value, so a mutation racing the fill leaves a version the
 * entry never matches. A hit needs v1 == d1's version (and v2 == d2's
 * when the value came from d2): then neither dict changed since the
 * lookup — a change in progress shows an odd version, and a reader that
 * has seen one of its stores sees that version or a later one, so its
 * reads never go back to an older value —, and
 * the dict still holds value — or a writer has just dropped it, which
 * only happens after the version store. Either way _ft_try_incref on
 * value is safe and refuses a dead one (a miss): a marked value's memory
 * stays object memory for a grace period after its death
 * (_ft_qsbr_object_maybe_found), and dict_store leaves a value unmarked
 * only in type-stable memory (_ft_object_mark_stored), whose words refuse
 * the count too. An unmarked live value that is not the reader's own is
 * refused as well (a miss: the lookup that follows marks it, see
 * "Marks" above). A free list may already have reused value's memory for
 * a new object, so the versions are checked again once the reference is
 * taken (cache_hit). The entry's three words are read as a
 * seqlock (a writer makes xseq odd with a CAS — a second writer simply
 * does not fill — stores the words with release, then makes xseq even
 * with release; readers load everything with acquire: no fences), so a
 * reader never pairs one fill's versions with another's value.
 */
#include <stdint.h>
#include <string.h>
#include "internal/intern.h"   /* a str's interned state: dict_get_str */
#include "internal/object.h"
#include "internal/qsbr.h"
#include "mem/freelist.h"

/* DKIX_LOCK: a str-only lookup met a key it may not compare there (its
 * tp_eq may run anything); the caller retries under the lock. */
enum { DKIX_EMPTY = -1, DKIX_DUMMY = -2, DKIX_ERROR = -3, DKIX_LOCK = -4 };
/* Lock-free lookups that fail this often take the lock. */
enum { LOCKFREE_TRIES = 3 };
/* dict_get_lockfree's answers. */
typedef enum lf_result { LF_FOUND, LF_ABSENT, LF_RETRY, LF_LOCK } lf_result;
#define DICT_LOG2_MINSIZE 3
/* Slots we may fill before a resize: 2/3 of the index table. */
#define USABLE(size) (((size) << 1) / 3)

typedef struct dict_entry {
    int64_t hash;                    /* set before the key is published  */
    _Atomic(ft_object *) xkey;       /* NULL: a deleted entry            */
    _Atomic(ft_object *) xvalue;
} dict_entry;

/* Every entry has an insertion number (seq), its iteration position.
 *   invariants: numbers strictly increase with the entry's index; a
 *               resize keeps every live entry's number; an entry appended
 *               gets a number above every live entry's.
 * A table without a numbering numbers entry i as i; with one, entry i is
 * seqs[i] below nseqs and base + i from nseqs on (base >= 0, and
 * seqs[nseqs - 1] < base + nseqs). Filled in before the table is
 * published; hint is written by iteration under the dict's lock (the
 * lock-free readers never look at a numbering). */
typedef struct dict_numbering {
    int64_t base;               /* entry i >= nseqs is numbered base + i */
    ssize_t nseqs;              /* entries numbered by seqs[]            */
    ssize_t hint;               /* in [0, nseqs): where the last step
                                   that used seqs[] stopped             */
    int64_t seqs[];             /* increasing                            */
} dict_numbering;

typedef struct ft_dict_keys {
    uint8_t log2_size;          /* the index table has 2^log2_size slots */
    uint8_t log2_ixbytes;       /* each index is 2^log2_ixbytes bytes    */
    bool numbered;              /* a dict_numbering follows the entries  */
    ssize_t usable;             /* entries left before a resize          */
    ssize_t nentries;           /* entries used, deleted ones included   */
    _Alignas(8) char indices[]; /* then the entries (and the numbering)  */
} ft_dict_keys;

typedef struct ft_dict_object {
    ft_object ob_base;
    _Atomic ssize_t xused;                /* live entries: len()        */
    _Atomic(ft_dict_keys *) xkeys;        /* NULL: empty, no table       */
    _Atomic uint64_t xversion;            /* 0: untracked ("Version
                                             caches" above)              */
} ft_dict_object;

static ft_dict_object *as_dict(ft_object *o) { return (ft_dict_object *)o; }

/* ---- Versions (see "Version caches") ------------------------------------ */

enum { VERSION_BATCH = 1024 };
/* The next batch of versions; 0 is never given (it means untracked). */
static _Atomic uint64_t xversion_next = 1;
static _Thread_local uint64_t tls_version_next
    __attribute__((tls_model("initial-exec")));
static _Thread_local uint64_t tls_version_end
    __attribute__((tls_model("initial-exec")));

/* A version no dict state had before: even (odd ones mark a mutation in
 * progress, version_begin). */
static uint64_t fresh_version(void)
{
    if (ft_unlikely(tls_version_next == tls_version_end)) {
        /* relaxed: only uniqueness matters; the batch is this thread's */
        uint64_t b = atomic_fetch_add_explicit(&xversion_next, VERSION_BATCH,
                                               memory_order_relaxed);
        tls_version_next = b;
        tls_version_end = b + VERSION_BATCH;
    }
    return tls_version_next++ << 1;
}

/* Before a mutation's first visible store, inside the dict's critical
 * section: a tracked dict's version turns odd, which no cache entry holds
 * and from which none is filled. A reader that sees the mutation's store
 * (acquire: every store that publishes a change is a release, which
 * orders this one before it) sees this version or a later one, so it can
 * never hit an entry made before the change and go back to the old
 * value. relaxed load: writers are serialised by the section. */
static inline void version_begin(ft_dict_object *d)
{
    uint64_t v = ft_atomic_load_relaxed(&d->xversion);
    if (v)
        ft_atomic_store_release(&d->xversion, v | 1);
}

/* After a mutation, inside the dict's critical section: a tracked dict
 * gets a fresh (even) version. relaxed load: writers are serialised by
 * the section; release store: after the change it announces. */
static inline void bump_version(ft_dict_object *d)
{
    if (ft_atomic_load_relaxed(&d->xversion))
        ft_atomic_store_release(&d->xversion, fresh_version());
}

/* d's version, tracking d from now on (the first call takes the lock, so
 * that no mutation in flight misses its bump). */
static uint64_t dict_version(ft_dict_object *d)
{
    /* acquire: pairs with bump_version's release */
    uint64_t v = ft_atomic_load_acquire(&d->xversion);
    if (ft_likely(v))
        return v;
    FT_BEGIN_CRITICAL_SECTION_OBJ(&d->ob_base)
    v = ft_atomic_load_relaxed(&d->xversion);
    if (!v) {
        v = fresh_version();
        ft_atomic_store_release(&d->xversion, v);
    }
    FT_END_CRITICAL_SECTION()
    return v;
}

/* The common case inline: every operation checks its dict. */
static inline bool check_dict(ft_object *o, const char *what)
{
    return ft_likely(o && o->ob_type == &ft_dict_type) ||
           _ft_check_type(o, &ft_dict_type, what);
}

static bool check_key(ft_object *k, const char *what)
{
    if (k)
        return true;
    ft_err_set(FT_ERR_TYPE, "%s: NULL key or value", what);
    return false;
}

/* An out-pointer the caller must give; -1 with ValueError when NULL. */
static int check_out(void *p, const char *what)
{
    return p ? 0 : ft_err_set(FT_ERR_VALUE, "%s: NULL out-pointer", what);
}

/* ---- The keys table ------------------------------------------------------ */

static size_t dk_size(const ft_dict_keys *k) { return (size_t)1 << k->log2_size; }

static dict_entry *dk_entries(ft_dict_keys *k)
{
    return (dict_entry *)(k->indices + (dk_size(k) << k->log2_ixbytes));
}

/* Index slots are atomics of the narrowest width that holds USABLE(size)
 * entry numbers and the negative markers: 1 byte up to 128 slots.
 * acquire: pairs with set_index's release, so a lock-free reader that
 * finds an entry number sees that entry's hash and key (an entry's memory
 * is uninitialised until then). Plain loads on x86. */
static ssize_t get_index(ft_dict_keys *k, size_t i)
{
    switch (k->log2_ixbytes) {
    case 0: return ft_atomic_load_acquire(&((_Atomic int8_t *)k->indices)[i]);
    case 1: return ft_atomic_load_acquire(&((_Atomic int16_t *)k->indices)[i]);
    case 2: return ft_atomic_load_acquire(&((_Atomic int32_t *)k->indices)[i]);
    default: return (ssize_t)ft_atomic_load_acquire(&((_Atomic int64_t *)k->indices)[i]);
    }
}

/* release: publishes the entry written before it (see get_index). */
static void set_index(ft_dict_keys *k, size_t i, ssize_t ix)
{
    switch (k->log2_ixbytes) {
    case 0: ft_atomic_store_release(&((_Atomic int8_t *)k->indices)[i], (int8_t)ix); break;
    case 1: ft_atomic_store_release(&((_Atomic int16_t *)k->indices)[i], (int16_t)ix); break;
    case 2: ft_atomic_store_release(&((_Atomic int32_t *)k->indices)[i], (int32_t)ix); break;
    default: ft_atomic_store_release(&((_Atomic int64_t *)k->indices)[i], (int64_t)ix); break;
    }
}

static uint8_t ixbytes_log2(uint8_t log2_size)
{
    return log2_size < 8 ? 0 : log2_size < 16 ? 1 : log2_size < 32 ? 2 : 3;
}

static dict_numbering *dk_numbering(ft_dict_keys *k)
{
    return (dict_numbering *)(dk_entries(k) + USABLE(dk_size(k)));
}

/* The bytes of a table of 2^log2_size slots with nseqs numbered entries
 * (-1: no numbering), or 0 when that does not fit a size_t. */
static size_t keys_size(uint8_t log2_size, ssize_t nseqs)
{
    if (log2_size > 8 * sizeof(size_t) - 8)
        return 0;
    size_t size = (size_t)1 << log2_size, usable = USABLE(size);
    size_t ixb = size << ixbytes_log2(log2_size);
    /* nseqs <= usable: a numbering is as long as the entries at most */
    if (usable > (SIZE_MAX / 2 - ixb - sizeof(dict_numbering)) /
                 (sizeof(dict_entry) + sizeof(int64_t)))
        return 0;
    size_t n = sizeof(ft_dict_keys) + ixb + usable * sizeof(dict_entry);
    return nseqs < 0 ? n : n + sizeof(dict_numbering) + (size_t)nseqs * sizeof(int64_t);
}

/* An empty table; nseqs >= 0 adds a numbering for that many entries
 * (the caller fills it in). */
static ft_dict_keys *keys_new(uint8_t log2_size, ssize_t nseqs)
{
    size_t bytes = keys_size(log2_size, nseqs);
    if (!bytes) {
        ft_err_set(FT_ERR_MEMORY, "dict of 2^%u slots", (unsigned)log2_size);
        return NULL;
    }
    ft_dict_keys *k = ft_malloc(bytes);
    if (!k)
        return NULL;   /* MemoryError set by ft_malloc */
    k->log2_size = log2_size;
    k->log2_ixbytes = ixbytes_log2(log2_size);
    k->numbered = nseqs >= 0;
    k->usable = USABLE(dk_size(k));
    k->nentries = 0;
    memset(k->indices, 0xff, dk_size(k) << k->log2_ixbytes);   /* all EMPTY (-1) */
    if (k->numbered)
        *dk_numbering(k) = (dict_numbering){ .nseqs = nseqs };
    return k;
}

static size_t keys_bytes(ft_dict_keys *k)
{
    return keys_size(k->log2_size, k->numbered ? dk_numbering(k)->nseqs : -1);
}

/* Entry i's insertion number. */
static int64_t seq_of(ft_dict_keys *k, ssize_t i)
{
    if (!k->numbered)
        return i;
    dict_numbering *nb = dk_numbering(k);
    return i < nb->nseqs ? nb->seqs[i] : nb->base + i;
}

/* A probe sequence over the index slots for one hash. */
typedef struct probe {
    size_t mask, perturb, i;
} probe;

static probe probe_start(ft_dict_keys *k, int64_t hash)
{
    size_t mask = dk_size(k) - 1;
    return (probe){ mask, (size_t)hash, (size_t)hash & mask };
}

static void probe_next(probe *p)
{
    p->perturb >>= 5;
    p->i = (p->i * 5 + p->perturb + 1) & p->mask;
}

/* May lookup compare keys a and b here? Always in a locked section; in an
 * elided one only when both are of _ft_eq_runs_no_code types. Two strs or two
 * ints, the usual pair, pass on two loads and two compares. */
static inline bool may_compare(ft_object *a, ft_object *b)
{
    const ft_type *ta = ft_type_of(a), *tb = ft_type_of(b);
    if (ft_likely(ta == tb && (ta == &ft_str_type || ta == &ft_int_type)))
        return true;
    return !_ft_cs_in_elided_section() || (_ft_eq_runs_no_code(ta) && _ft_eq_runs_no_code(tb));
}

/* Probes for (key, hash). Returns the entry number, DKIX_EMPTY when
 * missing, or DKIX_ERROR when a comparison failed; *slot gets the index
 * slot of the entry found. In an elided section it compares key with
 * another key only when both are of _ft_eq_runs_no_code types (keys equal by
 * pointer need no comparison) and returns DKIX_LOCK at any other
 * candidate, before any comparison ran. Whether the section was elided
 * is asked there (_ft_cs_in_elided_section): a locked section compares
 * at once and never has to run again. */
static ssize_t lookup(ft_dict_keys *k, ft_object *key, int64_t hash, size_t *slot)
{
    probe p = probe_start(k, hash);
    dict_entry *ep = dk_entries(k);
    for (;;) {
        ssize_t ix = get_index(k, p.i);
        if (ix == DKIX_EMPTY)
            return DKIX_EMPTY;
        if (ix >= 0 && ep[ix].hash == hash) {
            ft_object *ek = ft_atomic_load_relaxed(&ep[ix].xkey);
            if (ek != key && !may_compare(ek, key))
                return DKIX_LOCK;
            int eq = ek == key ? 1 : ft_equal(ek, key);
            if (eq < 0)
                return DKIX_ERROR;
            if (eq) {
                *slot = p.i;
                return ix;
            }
        }
        probe_next(&p);
    }
}

/* The first index slot that holds no entry (EMPTY or DUMMY) on hash's
 * probe sequence: where a new key goes. */
static size_t find_free_slot(ft_dict_keys *k, int64_t hash)
{
    probe p = probe_start(k, hash);
    while (get_index(k, p.i) >= 0)
        probe_next(&p);
    return p.i;
}

/* Appends an entry (the table has room); the dict owns key and value.
 * Its number follows from its index (seq_of). */
static void keys_append(ft_dict_keys *k, int64_t hash, ft_object *key,
                        ft_object *value)
{
    dict_entry *e = &dk_entries(k)[k->nentries];
    e->hash = hash;
    /* release: a reader that finds the key or value sees the object's
     * contents and the entry's hash. */
    ft_atomic_store_release(&e->xvalue, value);
    ft_atomic_store_release(&e->xkey, key);
    set_index(k, find_free_slot(k, hash), k->nentries);
    k->nentries++;
    k->usable--;
}

/* ---- Resizing ------------------------------------------------------------ */

static uint8_t log2_for(ssize_t minsize)
{
    uint8_t lg = DICT_LOG2_MINSIZE;
    while (lg < 8 * sizeof(size_t) - 1 && ((size_t)1 << lg) < (size_t)minsize)
        lg++;
    return lg;
}

/* The numbering that the used live entries of ok keep in a compacted
 * table: the longest run of them at the end whose numbers are
 * consecutive becomes base + i; the ones before it (*nseqs of them) need
 * seqs[]. *nseqs = -1 when the live entries are numbered 0, 1, 2 ...:
 * entry i is plain i (entries appended later continue after the last
 * live one: a number above every live entry's is all iteration needs). */
static void plan_numbering(ft_dict_keys *ok, ssize_t used, ssize_t *nseqs,
                           int64_t *base)
{
    *nseqs = -1;
    *base = 0;
    if (!ok || used == 0)
        return;   /* no live entry: numbering starts afresh */
    dict_entry *ep = dk_entries(ok);
    ssize_t run = 0;   /* live entries in the consecutive run at the end */
    int64_t last = -1, next = -1;
    for (ssize_t i = ok->nentries - 1; i >= 0 && run < used; i--) {
        if (!ft_atomic_load_relaxed(&ep[i].xkey))
            continue;
        int64_t s = seq_of(ok, i);
        if (run == 0)
            last = s;
        else if (s != next)
            break;
        next = s - 1;
        run++;
    }
    *base = last + 1 - used;   /* entry used - 1 is numbered last */
    if (run < used || *base != 0)
        *nseqs = used - run;
}

/* Rebuilds the table at a size of at least 3 * len, dropping deleted
 * entries; live entries keep their numbers (iterators stay in place).
 * The old table comes back through *old (freed after the section). -1
 * with MemoryError. */
static int dict_resize(ft_dict_object *d, ft_dict_keys **old)
{
    ft_dict_keys *ok = ft_atomic_load_relaxed(&d->xkeys);
    ssize_t used = ft_atomic_load_relaxed(&d->xused), nseqs;
    int64_t base;
    if (ok && ok->nentries == used && !ok->numbered)
        nseqs = -1, base = 0;   /* nothing dropped: entry i stays i */
    else
        plan_numbering(ok, used, &nseqs, &base);
    ft_dict_keys *nk = keys_new(log2_for(used * 3), nseqs);
    if (!nk)
        return -1;
    dict_numbering *nb = nk->numbered ? dk_numbering(nk) : NULL;
    if (nb)
        nb->base = base;
    dict_entry *ep = ok ? dk_entries(ok) : NULL;
    for (ssize_t i = 0; ok && i < ok->nentries; i++) {
        ft_object *key = ft_atomic_load_relaxed(&ep[i].xkey);
        if (!key)
            continue;
        if (nb && nk->nentries < nb->nseqs)
            nb->seqs[nk->nentries] = seq_of(ok, i);
        keys_append(nk, ep[i].hash, key, ft_atomic_load_relaxed(&ep[i].xvalue));
    }
    /* release: a reader that loads the new table sees its entries and
     * indices filled in. */
    ft_atomic_store_release(&d->xkeys, nk);
    *old = ok;
    return 0;
}

/* ---- Operations (inside the dict's critical section) --------------------
 * Each returns what must be released after the section in *drop1 and *drop2. */

/* 0 stored, -1 with an error; in an elided section (lookup), 1: nothing
 * was written, store again under the lock. */
static int dict_insert(ft_dict_object *d, ft_object *key, int64_t hash,
                       ft_object *value, ft_object **drop1, ft_object **drop2,
                       ft_dict_keys **old)
{
    ft_dict_keys *k = ft_atomic_load_relaxed(&d->xkeys);
    size_t slot;
    ssize_t ix = k ? lookup(k, key, hash, &slot) : DKIX_EMPTY;
    if (ix == DKIX_LOCK)
        return 1;
    if (ix == DKIX_ERROR)
        return -1;
    if (ix >= 0) {   /* replace: keep the stored key, as Python does */
        dict_entry *e = &dk_entries(k)[ix];
        *drop1 = ft_atomic_load_relaxed(&e->xvalue);
        *drop2 = key;
        version_begin(d);
        ft_atomic_store_release(&e->xvalue, value);
        bump_version(d);
        return 0;
    }
    if ((!k || k->usable <= 0) && dict_resize(d, old) < 0)
        return -1;
    /* Only a key the dict keeps is marked (one CAS; no code of the
     * program runs, so an elided section may do it): lock-free lookups
     * take references to stored keys (match_str_key), and a key that
     * replaces nothing, or only a value, is dropped unmarked, so that its
     * owner frees it without the merge. Before keys_append publishes it. */
    _ft_object_mark_shared(key);
    version_begin(d);
    keys_append(ft_atomic_load_relaxed(&d->xkeys), hash, key, value);
    ft_atomic_store_relaxed(&d->xused, ft_atomic_load_relaxed(&d->xused) + 1);
    bump_version(d);
    return 0;
}

static int dict_delete(ft_dict_object *d, ft_object *key, int64_t hash,
                       ft_object **drop1, ft_object **drop2)
{
    ft_dict_keys *k = ft_atomic_load_relaxed(&d->xkeys);
    size_t slot;
    ssize_t ix = k ? lookup(k, key, hash, &slot) : DKIX_EMPTY;
    if (ix < 0)
        return (int)ix;
    dict_entry *e = &dk_entries(k)[ix];
    *drop1 = ft_atomic_load_relaxed(&e->xkey);
    *drop2 = ft_atomic_load_relaxed(&e->xvalue);
    version_begin(d);
    set_index(k, slot, DKIX_DUMMY);
    ft_atomic_store_release(&e->xkey, NULL);
    ft_atomic_store_release(&e->xvalue, NULL);
    ft_atomic_store_relaxed(&d->xused, ft_atomic_load_relaxed(&d->xused) - 1);
    bump_version(d);
    return 0;
}

/* The value of key with a new reference, or NULL with *ix DKIX_EMPTY
 * (absent) or DKIX_ERROR; in an elided section (lookup), also NULL with
 * *ix DKIX_LOCK: look again under the lock. */
static ft_object *dict_lookup_ref(ft_dict_object *d, ft_object *key,
                                  int64_t hash, ssize_t *ix)
{
    ft_dict_keys *k = ft_atomic_load_relaxed(&d->xkeys);
    size_t slot;
    *ix = k ? lookup(k, key, hash, &slot) : DKIX_EMPTY;
    if (*ix < 0)
        return NULL;
    ft_object *v = ft_atomic_load_relaxed(&dk_entries(k)[*ix].xvalue);
    /* The store may have left v unmarked (_ft_object_mark_stored), which
     * sends a non-owner's lock-free reads here: mark it, so that its next
     * ones succeed. One CAS at most: an elided section may. */
    _ft_object_mark_found(v);
    if (ft_unlikely(!_ft_incref_leaf(v))) {
        /* a sharded v, whose count may take the shard table's lock: not
         * in an elided section */
        if (_ft_cs_in_elided_section()) {
            *ix = DKIX_LOCK;
            return NULL;
        }
        ft_incref(v);
    }
    return v;
}

/* dict_lookup_ref under the lock, where an elided one gave up. Out of
 * line, as the store's (dict_store_locked): the usual read and store stay
 * small in every flavor. */
static FT_NOINLINE ft_object *dict_lookup_locked(ft_object *o, ft_object *key,
                                                 int64_t hash, ssize_t *ix)
{
    ft_object *v;
    FT_BEGIN_CRITICAL_SECTION_OBJ(o)
    v = dict_lookup_ref(as_dict(o), key, hash, ix);
    FT_END_CRITICAL_SECTION()
    return v;
}

/* dict_lookup_ref in a critical section on d: an elidable one first, the
 * owner's read of its own dict with a key that is not a str where the
 * lock-free try did not decide (an equal key that is another object: a
 * large int, a tuple), which then takes no lock; a locked one where that
 * gave up. */
static ft_object *dict_lookup_section(ft_object *o, ft_object *key,
                                      int64_t hash, ssize_t *ix)
{
    ft_object *v;
    FT_BEGIN_ELIDABLE_SECTION_OBJ(o)
    v = dict_lookup_ref(as_dict(o), key, hash, ix);
    FT_END_ELIDABLE_SECTION()
    /* DKIX_LOCK comes only from an elided section, which only d's owner
     * runs (and it still is: nothing since could take d from it). The
     * owner test, constant false where nothing is ever elided (gil,
     * nogil-atomic), drops this path from those builds. */
    if (ft_unlikely(*ix == DKIX_LOCK && _ft_owned_by_caller(o)))
        return dict_lookup_locked(o, key, hash, ix);
    return v;
}

/* ---- Lock-free lookup (see the contract) -------------------------------- */

/* Does ek, the key of entry e found on the probe without a reference,
 * equal the str key? LF_FOUND, LF_ABSENT (not this one: probe on),
 * LF_RETRY or LF_LOCK. */
static lf_result match_str_key(dict_entry *e, ft_object *ek, ft_object *key)
{
    /* A key of our own (the usual lookup in a dict its thread fills)
     * needs no reference: only we could free it, and str's tp_eq frees
     * and allocates nothing (ftlab/refcount.h, invariant F). */
    if (_ft_owned_alive(ek)) {
        if (ft_type_of(ek) != &ft_str_type)
            return LF_LOCK;
        return ft_equal(ek, key) ? LF_FOUND : LF_ABSENT;
    }
    if (!_ft_try_incref_inline(ek))
        return LF_RETRY;                    /* dying: the entry changes */
    lf_result r;
    /* acquire: after the incref; the same key proves ek is e's live key. */
    if (ft_atomic_load_acquire(&e->xkey) != ek)
        r = LF_RETRY;
    else if (ft_type_of(ek) != &ft_str_type)
        r = LF_LOCK;                        /* its tp_eq may run anything */
    else
        r = ft_equal(ek, key) ? LF_FOUND : LF_ABSENT;
    ft_decref(ek);
    return r;
}

/* Probes table k for the str key; *e gets the entry found. */
static lf_result probe_lockfree(ft_dict_keys *k, ft_object *key, int64_t hash,
                                dict_entry **e)
{
    probe p = probe_start(k, hash);
    dict_entry *ep = dk_entries(k);
    for (;;) {
        ssize_t ix = get_index(k, p.i);
        if (ix == DKIX_EMPTY)
            return LF_ABSENT;
        if (ix >= 0 && ep[ix].hash == hash) {
            /* acquire: pairs with keys_append's release of the key. */
            ft_object *ek = ft_atomic_load_acquire(&ep[ix].xkey);
            lf_result r = ek == key ? LF_FOUND
                        : ek ? match_str_key(&ep[ix], ek, key) : LF_ABSENT;
            *e = &ep[ix];
            if (r != LF_ABSENT)
                return r;
        }
        probe_next(&p);
    }
}

/* Takes a reference to the value of entry e in table k of d. */
static lf_result take_value(ft_dict_object *d, ft_dict_keys *k, dict_entry *e,
                            ft_object **v)
{
    /* acquire: pairs with the release stores of values. */
    ft_object *value = ft_atomic_load_acquire(&e->xvalue);
    if (!value || !_ft_try_incref_inline(value))
        return LF_RETRY;
    /* acquire (both): after the incref; unchanged, value was e's value in
     * d's table while we took the reference. */
    if (ft_atomic_load_acquire(&e->xvalue) == value &&
        ft_atomic_load_acquire(&d->xkeys) == k) {
        *v = value;
        return LF_FOUND;
    }
    ft_decref(value);
    return LF_RETRY;
}

/* One optimistic lookup of a str key. */
static lf_result dict_try_get(ft_dict_object *d, ft_object *key, int64_t hash,
                              ft_object **v)
{
    /* acquire: pairs with dict_resize's release of the table. */
    ft_dict_keys *k = ft_atomic_load_acquire(&d->xkeys);
    if (!k)
        return LF_ABSENT;
    dict_entry *e = NULL;
    lf_result r = probe_lockfree(k, key, hash, &e);
    if (r == LF_FOUND)
        return take_value(d, k, e, v);
    /* acquire: after the probe; a table replaced meanwhile may hold the
     * key after all. */
    if (r == LF_ABSENT && ft_atomic_load_acquire(&d->xkeys) != k)
        return LF_RETRY;
    return r;
}

static lf_result dict_get_lockfree(ft_dict_object *d, ft_object *key,
                                   int64_t hash, ft_object **v)
{
    for (int t = 0; t < LOCKFREE_TRIES; t++) {
        lf_result r = dict_try_get(d, key, hash, v);
        if (r == LF_FOUND || r == LF_ABSENT) {
            _ft_lockfree_hit();
            return r;
        }
        if (r == LF_LOCK)
            break;
        _ft_lockfree_counts.retries++;
    }
    _ft_lockfree_counts.fallbacks++;
    return LF_LOCK;
}

/* The first lock-free try for an interned key, inline and without a
 * call (as ft_list_get's first try, runtime/objects/list.c): the usual
 * read of a name (an attribute, a global) finds the very key object it
 * looks for holding a value the reader owns or an immortal one. That
 * value is counted by _ft_try_incref_owner with no re-check of the entry
 * or the table: v is ours or immortal, so nothing freed it since it was
 * the entry's value (ftlab/refcount.h, invariant F: this reader runs no
 * checkpoint, decref or allocation between the load and the count), and
 * a table replaced meanwhile held v when it was replaced, after the
 * reader loaded it. LF_FOUND, or LF_ABSENT as dict_try_get decides it;
 * LF_RETRY when undecided (a key of the same hash that is another object,
 * which needs a comparison; a value of another thread, sharded or dying):
 * not a failed try, dict_get_lockfree decides from the start. */
static ft_always_inline lf_result dict_try_get_inline(ft_dict_object *d, ft_object *key,
                                                      int64_t hash, ft_object **v)
{
    /* acquire: pairs with dict_resize's release of the table. */
    ft_dict_keys *k = ft_atomic_load_acquire(&d->xkeys);
    if (!k)
        return LF_ABSENT;
    probe p = probe_start(k, hash);
    dict_entry *ep = dk_entries(k);
    for (;;) {
        ssize_t ix = get_index(k, p.i);
        if (ix == DKIX_EMPTY)   /* acquire: as in dict_try_get */
            return ft_atomic_load_acquire(&d->xkeys) == k ? LF_ABSENT : LF_RETRY;
        if (ix >= 0 && ep[ix].hash == hash) {
            /* acquire: pairs with keys_append's release of the key. */
            ft_object *ek = ft_atomic_load_acquire(&ep[ix].xkey);
            if (ek == key) {
                /* acquire: pairs with the release stores of values. */
                ft_object *value = ft_atomic_load_acquire(&ep[ix].xvalue);
                if (value && _ft_try_incref_owner(value)) {
                    *v = value;
                    return LF_FOUND;
                }
                return LF_RETRY;
            }
            if (ek)
                return LF_RETRY;
        }
        probe_next(&p);
    }
}

/* A str key's read without the lock (see the contract). An interned key
 * (a name) tries dict_try_get_inline first; any other str is compared
 * with the entry's key anyway (an equal str that is another object:
 * counted words, keys built at run time), which only dict_get_lockfree
 * does, so it goes there at once. The state is read relaxed: only a
 * choice of path. */
static ft_always_inline lf_result dict_get_str(ft_dict_object *d, ft_object *key,
                                               int64_t hash, ft_object **v)
{
    if (ft_atomic_load_relaxed(&_ft_as_str(key)->xstate) == FT_STR_INTERNED) {
        lf_result r = dict_try_get_inline(d, key, hash, v);
        if (ft_likely(r != LF_RETRY)) {
            _ft_lockfree_hit();
            return r;
        }
    }
    return dict_get_lockfree(d, key, hash, v);
}

/* A read without the lock for a key that is not an exact str: only
 * dict_try_get_inline, which compares no keys. It decides when the probe
 * meets the very key object holding a value of the reader's own or an
 * immortal one (found: a dict finds a key by identity before equality,
 * as CPython's), or an empty slot before any entry of the same hash
 * (absent, whatever the key's type: equal keys hash alike). Anything
 * else — another key of the same hash, whose tp_eq may run anything, or
 * a value of another thread's — is LF_LOCK: the section decides, as it
 * did for every such key. Its usual case is the owner's read of its own
 * dict by small ints (immortal, one object per value: richards' task
 * table) or by objects hashed by identity, which the elidable section
 * read with two calls, the section's own stores and the found value's
 * mark test (~60 instructions more than gil's locked read, which is
 * inline). Not a str read: the lock-free counts do not count it. */
static ft_always_inline lf_result dict_get_same_key(ft_dict_object *d, ft_object *key,
                                                    int64_t hash, ft_object **v)
{
    lf_result r = dict_try_get_inline(d, key, hash, v);
    return ft_likely(r != LF_RETRY) ? r : LF_LOCK;
}

/* A read without the lock where the flavor has them (see the contract);
 * LF_LOCK: the section decides. */
static ft_always_inline lf_result dict_get_unlocked(ft_dict_object *d, ft_object *key,
                                                    int64_t hash, ft_object **v)
{
    if (!_ft_qsbr_lockfree_reads())
        return LF_LOCK;
    if (ft_type_of(key) == &ft_str_type)
        return dict_get_str(d, key, hash, v);
    return dict_get_same_key(d, key, hash, v);
}

/* ---- Public API ---------------------------------------------------------- */

/* dict_insert under the lock, where an elided one gave up. */
static FT_NOINLINE int dict_store_locked(ft_object *o, ft_object *key, int64_t hash,
                                         ft_object *value, ft_object **drop1,
                                         ft_object **drop2, ft_dict_keys **old)
{
    int rc;
    FT_BEGIN_CRITICAL_SECTION_OBJ(o)
    rc = dict_insert(as_dict(o), key, hash, value, drop1, drop2, old);
    FT_END_CRITICAL_SECTION()
    return rc;
}

/* Stores key -> value (both checked). The replaced value, or NULL, is
 * handed to *replaced when the caller asks for it, else released. */
static int dict_store(ft_object *o, ft_object *key, ft_object *value,
                      ft_object **replaced)
{
    int64_t hash = ft_hash(key);
    if (hash == -1)
        return -1;   /* TypeError: unhashable */
    ft_object *drop1 = NULL, *drop2 = NULL;
    ft_dict_keys *old = NULL;
    int rc;
    ft_incref(key);
    ft_incref(value);
    _ft_object_mark_stored(o, value);   /* the key: by dict_insert */
    /* Keys compared only where that runs no code of the program
     * (lookup): the section only compares, stores, and calls ft_malloc
     * when the table grows, so the owner may run it without the lock
     * (ftlab/refcount.h, "Critical sections on objects"). */
    FT_BEGIN_ELIDABLE_SECTION_OBJ(o)
    rc = dict_insert(as_dict(o), key, hash, value, &drop1, &drop2, &old);
    FT_END_ELIDABLE_SECTION()
    if (ft_unlikely(rc == 1 && _ft_owned_by_caller(o)))   /* as dict_lookup_section */
        rc = dict_store_locked(o, key, hash, value, &drop1, &drop2, &old);
    if (rc < 0) {
        drop1 = key;
        drop2 = value;
    }
    if (ft_unlikely(old))   /* resized: most stores do not (no call) */
        _ft_qsbr_free(old);
    if (rc == 0 && replaced) {
        *replaced = drop1;   /* the replaced value (or NULL): the caller's */
        drop1 = NULL;
    }
    ft_xdecref(drop1);   /* outside the lock: a dealloc may run anything */
    ft_xdecref(drop2);
    return rc;
}

int ft_dict_set(ft_object *o, ft_object *key, ft_object *value)
{
    if (!check_dict(o, "ft_dict_set") || !check_key(key, "ft_dict_set") ||
        !check_key(value, "ft_dict_set"))
        return -1;
    return dict_store(o, key, value, NULL);
}

int ft_dict_exchange(ft_object *o, ft_object *key, ft_object *value, ft_object **old_value)
{
    if (check_out(old_value, "ft_dict_exchange") < 0)
        return -1;
    *old_value = NULL;
    if (!check_dict(o, "ft_dict_exchange") || !check_key(key, "ft_dict_exchange") ||
        !check_key(value, "ft_dict_exchange"))
        return -1;
    return dict_store(o, key, value, old_value);
}

static ft_object *not_found(ft_object *key)
{
    ft_err_set(FT_ERR_KEY, "key of type '%s' not found", ft_type_name(key));
    return NULL;
}

ft_object *ft_dict_get(ft_object *o, ft_object *key)
{
    if (!check_dict(o, "ft_dict_get") || !check_key(key, "ft_dict_get"))
        return NULL;
    int64_t hash = ft_hash(key);
    if (hash == -1)
        return NULL;
    ft_object *v = NULL;
    ssize_t ix = DKIX_EMPTY;
    lf_result r = dict_get_unlocked(as_dict(o), key, hash, &v);
    if (r == LF_FOUND)
        return v;
    if (r == LF_ABSENT)
        return not_found(key);
    v = dict_lookup_section(o, key, hash, &ix);
    return ix == DKIX_EMPTY ? not_found(key) : v;
}

int ft_dict_lookup(ft_object *o, ft_object *key, ft_object **out)
{
    if (check_out(out, "ft_dict_lookup") < 0)
        return -1;
    *out = NULL;
    if (!check_dict(o, "ft_dict_lookup") || !check_key(key, "ft_dict_lookup"))
        return -1;
    int64_t hash = ft_hash(key);
    if (hash == -1)
        return -1;
    ft_object *v = NULL;
    ssize_t ix = DKIX_EMPTY;
    lf_result r = dict_get_unlocked(as_dict(o), key, hash, &v);
    if (r == LF_FOUND) {
        *out = v;
        return 1;
    }
    if (r == LF_ABSENT)
        return 0;
    v = dict_lookup_section(o, key, hash, &ix);
    if (ix == DKIX_ERROR)
        return -1;
    *out = v;
    return v != NULL;
}

/* ---- Version caches (see the contract) ----------------------------------- */

/* The cached answer, when both dicts are still at the entry's versions:
 * true with *out a new reference. */
static inline bool cache_hit(ft_dict_cache2 *c, ft_dict_object *d1,
                             ft_dict_object *d2, ft_object **out)
{
    /* Seqlock read side without fences (which TSan cannot check): every
     * load acquire, pairing with cache_fill's release stores. A word
     * read from a fill makes that fill's odd seq visible to the re-read
     * of seq, which the acquire keeps after it: a torn read fails it.
     * Plain loads on x86-64. */
    uint64_t seq = ft_atomic_load_acquire(&c->xseq);
    uint64_t v1 = ft_atomic_load_acquire(&c->xv1);
    uint64_t v2 = ft_atomic_load_acquire(&c->xv2);
    ft_object *value = ft_atomic_load_acquire(&c->xvalue);
    if ((seq & 1) || ft_atomic_load_relaxed(&c->xseq) != seq || !value)
        return false;
    /* acquire (both): pair with bump_version's release */
    if (ft_atomic_load_acquire(&d1->xversion) != v1 ||
        (v2 && ft_atomic_load_acquire(&d2->xversion) != v2))
        return false;
    if (!_ft_try_incref_inline(value))
        return false;   /* dying: a writer has just dropped it */
    /* The check again, now that the reference is ours: between the first
     * check and the incref a writer may have replaced value and dropped
     * it, and a free list may have handed its memory to a new object (of
     * the same size), which the incref cannot tell from the old one
     * (CPython's _Py_TryIncrefCompare re-reads the slot for the same
     * reason). The new object's shared word, which a non-owner's
     * successful incref read (acquire) and found touched (a mark, or
     * another thread's count), was written after that writer's odd
     * version; an owner's incref counts only an object whose death and
     * rebirth were its own acts, ordered after that version (invariant
     * F); so a version still equal to the entry's proves value was the
     * dict's when the reference was taken. acquire (both): as above. */
    if (ft_atomic_load_acquire(&d1->xversion) != v1 ||
        (v2 && ft_atomic_load_acquire(&d2->xversion) != v2)) {
        ft_decref(value);
        return false;
    }
    *out = value;
    return true;
}

/* Stores {v1, v2, value} unless another thread is filling c. */
static void cache_fill(ft_dict_cache2 *c, uint64_t v1, uint64_t v2, ft_object *value)
{
    uint64_t seq = ft_atomic_load_relaxed(&c->xseq);
    /* relaxed CAS: only one filler at a time; the release stores below
     * carry the odd seq to any reader that sees one of the words */
    if ((seq & 1) || !atomic_compare_exchange_strong_explicit(
                         &c->xseq, &seq, seq + 1, memory_order_relaxed,
                         memory_order_relaxed))
        return;
    ft_atomic_store_release(&c->xv1, v1);
    ft_atomic_store_release(&c->xv2, v2);
    ft_atomic_store_release(&c->xvalue, value);
    /* release: the words before the even seq */
    ft_atomic_store_release(&c->xseq, seq + 2);
}

int ft_dict_lookup2_cached(ft_object *d1, ft_object *d2, ft_object *key,
                           ft_dict_cache2 *c, ft_object **out)
{
    /* The hit first, behind the cheapest checks that make it valid: the
     * full ones (with their errors) only on a miss. */
    if (ft_likely(c && out && d1 && d2 && d1->ob_type == &ft_dict_type &&
                  d2->ob_type == &ft_dict_type) &&
        ft_likely(cache_hit(c, as_dict(d1), as_dict(d2), out)))
        return 1;
    if (check_out(out, "ft_dict_lookup2_cached") < 0 ||
        check_out(c, "ft_dict_lookup2_cached") < 0)
        return -1;
    *out = NULL;
    if (!check_dict(d1, "ft_dict_lookup2_cached") ||
        !check_dict(d2, "ft_dict_lookup2_cached"))
        return -1;
    /* Versions before the lookups (see the contract). */
    /* An odd version: a mutation in progress, nothing to cache. */
    uint64_t v1 = dict_version(as_dict(d1));
    int r = ft_dict_lookup(d1, key, out);
    if (r == 1 && !(v1 & 1))
        cache_fill(c, v1, 0, *out);
    if (r != 0)
        return r;
    uint64_t v2 = dict_version(as_dict(d2));
    r = ft_dict_lookup(d2, key, out);
    if (r == 1 && !((v1 | v2) & 1))
        cache_fill(c, v1, v2, *out);
    return r;
}

/* ft_dict_del and ft_dict_pop: checks the arguments (errors name `who`),
 * then takes key's entry out under the dict's lock. Returns 0 with the
 * entry's key and value in *dkey and *value (the dict's references, now
 * the caller's), DKIX_EMPTY when key is absent, DKIX_ERROR with the error
 * set. */
static int delete_entry(ft_object *o, ft_object *key, const char *who,
                        ft_object **dkey, ft_object **value)
{
    if (!check_dict(o, who) || !check_key(key, who))
        return DKIX_ERROR;
    int64_t hash = ft_hash(key);
    if (hash == -1)
        return DKIX_ERROR;
    int rc;
    FT_BEGIN_CRITICAL_SECTION_OBJ(o)
    rc = dict_delete(as_dict(o), key, hash, dkey, value);
    FT_END_CRITICAL_SECTION()
    return rc;
}

int ft_dict_del(ft_object *o, ft_object *key)
{
    ft_object *dkey = NULL, *value = NULL;
    int rc = delete_entry(o, key, "ft_dict_del", &dkey, &value);
    if (rc == DKIX_EMPTY)
        return ft_err_set(FT_ERR_KEY, "key of type '%s' not found",
                          ft_type_name(key));
    ft_xdecref(dkey);
    ft_xdecref(value);
    return rc < 0 ? -1 : 0;
}

/* ---- Iteration ------------------------------------------------------------
 * A position is an insertion number (see dict_numbering), not a slot: a
 * resize that compacts the entries moves them but keeps their numbers and
 * their order, so an iteration resumes after the last entry it gave
 * whatever resized meanwhile. Forward, *pos is the number after the last
 * entry given; backward, the number of the last entry given. A step finds
 * the first entry numbered *pos or more, then walks past deleted ones.
 *
 * The numbers cost nothing where nothing was dropped: in a table whose
 * resizes never dropped an entry from before a live one (most tables:
 * growth drops nothing), entry i is number i, the position is the index
 * and a step a plain array walk, as with no numbers at all. A resize that drops
 * deleted entries from before live ones keeps the numbers in a
 * dict_numbering after the entries: the live entries up to the last gap
 * keep theirs in seqs[] (8 bytes each: at most 1/6 of the entries' bytes,
 * as len <= size / 3 after a resize); the consecutive run after the gap,
 * and every entry appended later, are base + i, so a dict whose oldest
 * entries were deleted (a queue) pays the 3-word header only. An entry
 * appended after a compaction is numbered one above the last live entry:
 * numbers of deleted entries past it may be given again, which only a
 * position past every live entry can see, and the keys it sees there were
 * added during its iteration (free to be given or not, once).
 *
 * A position in the seqs[] part is found at the entry where the previous
 * step stopped (the hint: backward) or the one after it (forward), else
 * by a binary search: a walk stays O(1) a step, and iterations interleaved
 * on one compacted table pay O(log n) when the hint is another's. */

/* The first index of k whose entry is numbered seq (>= 0) or more
 * (nentries when none is); nb is k's numbering. */
static ssize_t numbered_index(ft_dict_keys *k, dict_numbering *nb, int64_t seq)
{
    const int64_t *sq = nb->seqs;
    ssize_t n = nb->nseqs;
    if (n == 0 || seq > sq[n - 1]) {    /* in the base + i part */
        int64_t i = seq - nb->base;     /* base >= 0: no overflow */
        return i < n ? n : i < k->nentries ? (ssize_t)i : k->nentries;
    }
    ssize_t h = nb->hint;
    if (sq[h] >= seq && (h == 0 || sq[h - 1] < seq))
        return h;   /* backward: the entry the last step gave */
    if (sq[h] < seq && h + 1 < n && sq[h + 1] >= seq)
        return h + 1;   /* forward: the one after it */
    ssize_t lo = 0, hi = n - 1;   /* sq[n - 1] >= seq */
    while (lo < hi) {
        ssize_t mid = lo + (hi - lo) / 2;
        if (sq[mid] < seq)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* step_locked for a table with a numbering; out of line, so that the
 * plain walk inlined in every caller stays small. */
static FT_NOINLINE dict_entry *step_numbered(ft_dict_keys *k, ssize_t *pos,
                                             int dir)
{
    dict_entry *ep = dk_entries(k);
    dict_numbering *nb = dk_numbering(k);
    ssize_t n = k->nentries;
    ssize_t j = numbered_index(k, nb, *pos < 0 ? 0 : *pos);
    if (dir < 0)
        j--;
    for (; j >= 0 && j < n; j += dir) {
        if (!ft_atomic_load_relaxed(&ep[j].xkey))
            continue;   /* deleted */
        int64_t seq = nb->base + j;
        if (j < nb->nseqs) {
            seq = nb->seqs[j];
            nb->hint = j;   /* under the dict's lock, as all of k */
        }
        *pos = (ssize_t)(dir > 0 ? seq + 1 : seq);
        return &ep[j];
    }
    return NULL;
}

/* One step from *pos in direction dir (+1 or -1), locked: the live entry
 * found, or NULL at the end (*pos unchanged). Without a numbering the
 * position is the index: a plain array walk, as small as it can be. */
static dict_entry *step_locked(ft_dict_object *d, ssize_t *pos, int dir)
{
    ft_dict_keys *k = ft_atomic_load_relaxed(&d->xkeys);
    if (!k)
        return NULL;
    if (k->numbered)
        return step_numbered(k, pos, dir);
    dict_entry *ep = dk_entries(k);
    ssize_t j = *pos < 0 ? 0 : *pos < k->nentries ? *pos : k->nentries;
    if (dir < 0)
        j--;
    for (; j >= 0 && j < k->nentries; j += dir) {
        if (!ft_atomic_load_relaxed(&ep[j].xkey))
            continue;   /* deleted */
        *pos = dir > 0 ? j + 1 : j;
        return &ep[j];
    }
    return NULL;
}

int ft_dict_next(ft_object *o, ssize_t *pos, ft_object **key_borrow,
                 ft_object **value_borrow)
{
    if (!check_dict(o, "ft_dict_next"))
        return -1;
    if (!pos)
        return ft_err_set(FT_ERR_VALUE, "ft_dict_next: NULL position");
    int found;
    FT_BEGIN_CRITICAL_SECTION_OBJ(o)
    dict_entry *e = step_locked(as_dict(o), pos, 1);
    found = e != NULL;
    if (key_borrow)
        *key_borrow = e ? ft_atomic_load_relaxed(&e->xkey) : NULL;
    if (value_borrow)
        *value_borrow = e ? ft_atomic_load_relaxed(&e->xvalue) : NULL;
    FT_END_CRITICAL_SECTION()
    return found;
}

/* ---- Creation and destruction ------------------------------------------ */

ft_object *ft_dict_new(void)
{
    ft_dict_object *d =
        (ft_dict_object *)_ft_object_unpark(FT_FREELIST_DICT, &ft_dict_type);
    if (!d && !(d = (ft_dict_object *)_ft_object_alloc(&ft_dict_type, sizeof *d)))
        return NULL;
    ft_atomic_store_relaxed(&d->xused, 0);
    ft_atomic_store_relaxed(&d->xkeys, NULL);
    ft_atomic_store_relaxed(&d->xversion, 0);   /* a parked dict's was set */
    return &d->ob_base;
}

/* Releases every key and value of a table detached from its dict. */
static void keys_release(ft_dict_keys *k)
{
    dict_entry *ep = dk_entries(k);
    for (ssize_t i = 0; i < k->nentries; i++) {
        ft_xdecref(ft_atomic_load_relaxed(&ep[i].xkey));
        ft_xdecref(ft_atomic_load_relaxed(&ep[i].xvalue));
    }
}

static void dict_dealloc(ft_object *o)
{
    ft_dict_keys *k = ft_atomic_load_relaxed(&as_dict(o)->xkeys);
    if (k) {
        keys_release(k);
        ft_free(k);   /* the dict is dead: nobody can read its table */
    }
    if (!_ft_object_park(o, FT_FREELIST_DICT))
        _ft_object_free(o);
}

static int dict_traverse(ft_object *o, ft_visitproc visit, void *arg)
{
    ft_dict_keys *k = ft_atomic_load_relaxed(&as_dict(o)->xkeys);
    dict_entry *ep = k ? dk_entries(k) : NULL;
    for (ssize_t i = 0; k && i < k->nentries; i++) {
        ft_object *key = ft_atomic_load_relaxed(&ep[i].xkey);
        if (!key)
            continue;
        int rc = visit(key, arg);
        if (!rc)
            rc = visit(ft_atomic_load_relaxed(&ep[i].xvalue), arg);
        if (rc)
            return rc;
    }
    return 0;
}

/* Empties the dict (the collector breaking a cycle): detach the table
 * under the lock, release its contents outside it. */
static int dict_clear(ft_object *o)
{
    ft_dict_keys *k;
    FT_BEGIN_CRITICAL_SECTION_OBJ(o)
    k = ft_atomic_load_relaxed(&as_dict(o)->xkeys);
    version_begin(as_dict(o));
    ft_atomic_store_relaxed(&as_dict(o)->xused, 0);
    ft_atomic_store_release(&as_dict(o)->xkeys, NULL);
    bump_version(as_dict(o));
    FT_END_CRITICAL_SECTION()
    if (k) {
        keys_release(k);
        _ft_qsbr_free(k);   /* the dict lives on: readers may hold k */
    }
    return 0;
}

static ssize_t dict_len(ft_object *o)
{
    /* relaxed: len() is a snapshot; nothing else is read through it. */
    return ft_atomic_load_relaxed(&as_dict(o)->xused);
}

static size_t dict_sizeof(ft_object *o)
{
    size_t n = sizeof(ft_dict_object);
    FT_BEGIN_CRITICAL_SECTION_OBJ(o)
    ft_dict_keys *k = ft_atomic_load_relaxed(&as_dict(o)->xkeys);
    if (k)
        n += keys_bytes(k);
    FT_END_CRITICAL_SECTION()
    return n;
}

ft_type ft_dict_type = {
    .ob_base = FT_OBJECT_HEAD_INIT(&ft_type_type),
    .tp_name = "dict", .tp_basicsize = sizeof(ft_dict_object),
    .tp_flags = FT_TPFLAGS_GC,
    .tp_dealloc = dict_dealloc, .tp_traverse = dict_traverse,
    .tp_clear = dict_clear, .tp_sizeof = dict_sizeof, .tp_len = dict_len,
    /* no tp_hash: dicts are unhashable */
};

/* ---- Python's dict operations (ftpy) -------------------------------------
 * Each follows the contract above: the work is done in one critical
 * section on the dict; keys and values that leave it are released (or
 * handed to the caller) after the section; a replaced table goes to
 * _ft_qsbr_free. The iteration functions return new references, so an
 * iterator survives any mutation of the dict between two calls (a Python
 * iterator checks the size itself to raise "dictionary changed size
 * during iteration"). */

int ft_dict_clear(ft_object *o)
{
    if (!check_dict(o, "ft_dict_clear"))
        return -1;
    return dict_clear(o);
}

int ft_dict_pop(ft_object *o, ft_object *key, ft_object **out)
{
    if (check_out(out, "ft_dict_pop") < 0)
        return -1;
    *out = NULL;
    ft_object *dkey = NULL, *value = NULL;
    int rc = delete_entry(o, key, "ft_dict_pop", &dkey, &value);
    if (rc == DKIX_ERROR)
        return -1;
    if (rc == DKIX_EMPTY)
        return 0;
    ft_decref(dkey);
    *out = value;   /* the dict's reference, now the caller's */
    return 1;
}

/* The index slot that holds entry number ix on hash's probe sequence
 * (found by number: no key comparison runs). */
static size_t slot_of_entry(ft_dict_keys *k, int64_t hash, ssize_t ix)
{
    probe p = probe_start(k, hash);
    while (get_index(k, p.i) != ix)
        probe_next(&p);
    return p.i;
}

/* Removes the last live entry; 1 with its key and value (the dict's
 * references) in *key and *value, 0 when empty. A table whose entries
 * are mostly deleted is compacted, so that repeated popitem stays
 * amortised O(1) (CPython reuses the entry slot instead; ours are never
 * reused, see the lock-free contract). */
static int popitem_locked(ft_dict_object *d, ft_object **key,
                          ft_object **value, ft_dict_keys **old)
{
    ft_dict_keys *k = ft_atomic_load_relaxed(&d->xkeys);
    if (!k || ft_atomic_load_relaxed(&d->xused) == 0)
        return 0;
    dict_entry *ep = dk_entries(k);
    ssize_t ix = k->nentries - 1;
    while (!ft_atomic_load_relaxed(&ep[ix].xkey))
        ix--;
    version_begin(d);
    set_index(k, slot_of_entry(k, ep[ix].hash, ix), DKIX_DUMMY);
    *key = ft_atomic_load_relaxed(&ep[ix].xkey);
    *value = ft_atomic_load_relaxed(&ep[ix].xvalue);
    ft_atomic_store_release(&ep[ix].xkey, NULL);
    ft_atomic_store_release(&ep[ix].xvalue, NULL);
    ssize_t used = ft_atomic_load_relaxed(&d->xused) - 1;
    ft_atomic_store_relaxed(&d->xused, used);
    bump_version(d);
    if (k->nentries > 16 && k->nentries - used > 2 * used &&
        dict_resize(d, old) < 0)
        ft_err_clear();   /* best effort: a failure keeps k, still valid */
    return 1;
}

int ft_dict_popitem(ft_object *o, ft_object **key, ft_object **value)
{
    if (check_out(key, "ft_dict_popitem") < 0 ||
        check_out(value, "ft_dict_popitem") < 0)
        return -1;
    *key = *value = NULL;
    if (!check_dict(o, "ft_dict_popitem"))
        return -1;
    ft_dict_keys *old = NULL;
    int rc;
    FT_BEGIN_CRITICAL_SECTION_OBJ(o)
    rc = popitem_locked(as_dict(o), key, value, &old);
    FT_END_CRITICAL_SECTION()
    _ft_qsbr_free(old);
    return rc;
}

int ft_dict_setdefault(ft_object *o, ft_object *key, ft_object *dflt,
                       ft_object **out)
{
    if (check_out(out, "ft_dict_setdefault") < 0)
        return -1;
    *out = NULL;
    if (!check_dict(o, "ft_dict_setdefault") ||
        !check_key(key, "ft_dict_setdefault") ||
        !check_key(dflt, "ft_dict_setdefault"))
        return -1;
    int64_t hash = ft_hash(key);
    if (hash == -1)
        return -1;
    ft_object *drop1 = NULL, *drop2 = NULL, *v;
    ft_dict_keys *old = NULL;
    ssize_t ix = DKIX_EMPTY;
    int rc = 0;
    ft_incref(key);
    ft_incref(dflt);
    _ft_object_mark_stored(o, dflt);   /* the key: by dict_insert */
    FT_BEGIN_CRITICAL_SECTION_OBJ(o)
    v = dict_lookup_ref(as_dict(o), key, hash, &ix);
    if (ix == DKIX_EMPTY) {
        rc = dict_insert(as_dict(o), key, hash, dflt, &drop1, &drop2, &old);
        if (rc == 0) {
            v = ft_newref(dflt);
            rc = 1;
        }
    } else if (ix == DKIX_ERROR) {
        rc = -1;
    }
    FT_END_CRITICAL_SECTION()
    if (rc != 1) {   /* found, or failed: the dict took nothing */
        ft_decref(key);
        ft_decref(dflt);
    }
    _ft_qsbr_free(old);
    ft_xdecref(drop1);
    ft_xdecref(drop2);
    *out = v;
    return rc;
}

ft_object *ft_dict_copy(ft_object *o)
{
    if (!check_dict(o, "ft_dict_copy"))
        return NULL;
    ft_object *r = ft_dict_new();
    if (!r)
        return NULL;
    int rc = 0;
    FT_BEGIN_CRITICAL_SECTION_OBJ(o)
    ft_dict_keys *k = ft_atomic_load_relaxed(&as_dict(o)->xkeys);
    ssize_t used = ft_atomic_load_relaxed(&as_dict(o)->xused);
    ft_dict_keys *nk = used ? keys_new(log2_for(used * 3 / 2 + 1), -1) : NULL;
    if (used && !nk)
        rc = -1;
    dict_entry *ep = k ? dk_entries(k) : NULL;
    for (ssize_t i = 0; nk && i < k->nentries; i++) {
        ft_object *key = ft_atomic_load_relaxed(&ep[i].xkey);
        if (key)   /* already shared: stored in o; numbered afresh */
            keys_append(nk, ep[i].hash, ft_newref(key),
                        ft_newref(ft_atomic_load_relaxed(&ep[i].xvalue)));
    }
    /* r is not published yet: relaxed stores are enough */
    ft_atomic_store_relaxed(&as_dict(r)->xkeys, nk);
    ft_atomic_store_relaxed(&as_dict(r)->xused, nk ? used : 0);
    FT_END_CRITICAL_SECTION()
    if (rc < 0) {
        ft_decref(r);
        return NULL;
    }
    return r;
}

/* One step of iteration from *pos in direction dir, with new references. */
static int next_ref_locked(ft_dict_object *d, ssize_t *pos, int dir,
                           ft_object **key, ft_object **value)
{
    dict_entry *e = step_locked(d, pos, dir);
    if (!e)
        return 0;
    if (key)
        *key = ft_newref(ft_atomic_load_relaxed(&e->xkey));
    if (value)
        *value = ft_newref(ft_atomic_load_relaxed(&e->xvalue));
    return 1;
}

static int dict_iter_ref(ft_object *o, ssize_t *pos, int dir,
                         ft_object **key, ft_object **value, const char *what)
{
    if (key)
        *key = NULL;
    if (value)
        *value = NULL;
    if (!check_dict(o, what))
        return -1;
    if (!pos)
        return ft_err_set(FT_ERR_VALUE, "%s: NULL position", what);
    int found;
    FT_BEGIN_CRITICAL_SECTION_OBJ(o)
    found = next_ref_locked(as_dict(o), pos, dir, key, value);
    FT_END_CRITICAL_SECTION()
    return found;
}

int ft_dict_next_ref(ft_object *o, ssize_t *pos, ft_object **key,
                     ft_object **value)
{
    return dict_iter_ref(o, pos, 1, key, value, "ft_dict_next_ref");
}

int ft_dict_prev_ref(ft_object *o, ssize_t *pos, ft_object **key,
                     ft_object **value)
{
    return dict_iter_ref(o, pos, -1, key, value, "ft_dict_prev_ref");
}
