// shim.cc — registers micro.c's operations with Google Benchmark.
//
// Nothing here but the benchmark loop: the operations, the runtime and its
// objects live in micro.c, compiled as C against the flavor's headers.
// Every benchmark runs on the main thread, the one ftm_start attached to
// the runtime; Google Benchmark's ->Threads(n) would run code on threads
// ftlab does not know, so it is not used.
//
// Each call of a C function is FTM_BATCH operations: items_per_second and
// the `per_op` counter (seconds per operation) are per operation; the
// reported time is per batch.
#include <benchmark/benchmark.h>

#include <string>

#include "micro.h"

namespace {

ftm_ctx *ctx;

void per_op(benchmark::State &state)
{
    state.SetItemsProcessed(state.iterations() * FTM_BATCH);
    state.counters["per_op"] = benchmark::Counter(
        FTM_BATCH, benchmark::Counter::kIsIterationInvariantRate |
                       benchmark::Counter::kInvert);
}

template <void (*Fn)(ftm_ctx *)>
void bench(benchmark::State &state)
{
    for (auto _ : state)
        Fn(ctx);
    per_op(state);
}

void bench_malloc_free(benchmark::State &state)
{
    size_t size = static_cast<size_t>(state.range(0));
    for (auto _ : state)
        ftm_malloc_free(ctx, size);
    per_op(state);
}

}  // namespace

int main(int argc, char **argv)
{
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv))
        return 1;
    ctx = ftm_start();
    benchmark::AddCustomContext("ftlab_flavor", ftm_flavor());
    benchmark::AddCustomContext("ftlab_allocator", ftm_allocator());
    benchmark::AddCustomContext("ftlab_commit", ftm_commit());
    benchmark::AddCustomContext("ftlab_batch", std::to_string(FTM_BATCH));

    benchmark::RegisterBenchmark("refcount/owned", bench<ftm_incref_decref_owned>);
    benchmark::RegisterBenchmark("refcount/shared", bench<ftm_incref_decref_shared>);
    benchmark::RegisterBenchmark("refcount/immortal", bench<ftm_incref_decref_immortal>);
    benchmark::RegisterBenchmark("alloc/malloc_free", bench_malloc_free)
        ->Arg(16)->Arg(64)->Arg(256)->Arg(512);
    benchmark::RegisterBenchmark("object/int_new_free", bench<ftm_int_new_free>);
    benchmark::RegisterBenchmark("object/float_new_free", bench<ftm_float_new_free>);
    benchmark::RegisterBenchmark("checkpoint/nothing_requested", bench<ftm_checkpoint>);

    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    ftm_stop(ctx);
    return 0;
}
