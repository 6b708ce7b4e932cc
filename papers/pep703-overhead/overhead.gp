# overhead.gp — time relative to gil per workload and configuration, one
# thread. Data: OUT/overhead.dat "workload nogil atomic gil1 nolocks gcoff
# mimalloc nolocks+gcoff defer0" (ratios; the last row is the geomean).
set terminal pngcairo size 1200,560 font "sans,11" noenhanced
set output OUT.'/overhead.png'
set title "PEP 703 overhead in ftlab: time relative to the gil build, 1 thread (1.0 = gil)"
set ylabel "median time ÷ gil's (same environment)"
set xlabel "workload"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set yrange [0:*]
set grid ytics
set key outside right
set arrow from graph 0, first 1 to graph 1, first 1 nohead dt 2 lw 1.5
plot OUT.'/overhead.dat' using 2:xtic(1) title "nogil", \
     '' using 3 title "nogil-atomic", \
     '' using 4 title "nogil FT_GIL=1", \
     '' using 5 title "no object locks", \
     '' using 6 title "GC off (both)", \
     '' using 7 title "mimalloc (both)", \
     '' using 8 title "no locks + GC off", \
     '' using 9 title "nogil, 3.11 GC trigger"
