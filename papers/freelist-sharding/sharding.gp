# sharding.gp — ns per block, single thread vs cross-thread, per allocator:
# left inside ftlab (ftbench-alloc-nogil, ft_malloc with each backend),
# right a plain C program with the allocator preloaded (ftbench-malloc-churn).
# Data: OUT/inftlab.dat: "group" obmalloc mimalloc glibc; OUT/preload.dat:
# a header line ("group" then one allocator per column), then "group" ns ...
set terminal pngcairo size 1300,560 font "sans,10" noenhanced
set output OUT.'/sharding.png'
set multiplot layout 1,2 title "Free-list sharding: single-thread churn vs cross-thread frees (median ns per malloc+free, log scale, lower is better)"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set boxwidth 0.9
set logscale y
set yrange [2:*]
set grid ytics
set key top left
set ylabel "ns per malloc+free (log)"
set xtics font ",9"

set title "(a) inside ftlab, nogil flavor: ft_malloc -> backend"
set xlabel "1T = one thread; 2T xfer = producer allocates, consumer frees; sizes mixed 1-512 B unless 64 B"
plot OUT.'/inftlab.dat' using 2:xtic(1) title "obmalloc (per-thread pools)", \
     '' using 3 title "mimalloc", \
     '' using 4 title "glibc malloc", \
     '' using ($0 - 0.27):2:(sprintf("%.0f", $2)) with labels offset 0,0.7 notitle, \
     '' using ($0):3:(sprintf("%.0f", $3)) with labels offset 0,0.7 notitle, \
     '' using ($0 + 0.27):4:(sprintf("%.0f", $4)) with labels offset 0,0.7 notitle

set title "(b) plain C program, allocator preloaded (LD_PRELOAD)"
set xlabel "churn = 1024 live blocks, random replacement; xfer = producer -> consumer pair"
# One bar per allocator column (3, or 5 with jemalloc and tcmalloc).
# (the numbers after the quoted group name on the first data line)
N = int(system("awk -F'\"' 'NR == 2 { print split($3, a, \" \") }' '".OUT."/preload.dat'"))
off(j) = (j - (N - 1) / 2.0) / (N + 1.0)
# The header line names the bars; every plot below skips it, so $0 of the
# first group is 0 in the label plots too.
set key autotitle columnheader
plot for [i=2:N+1] OUT.'/preload.dat' using i:xtic(1), \
     for [i=2:N+1] '' using ($0 + off(i - 2)):i:(sprintf("%.0f", column(i))) \
         with labels offset 0,0.7 font ",8" notitle
unset multiplot
