# scaling.gp — per-thread throughput at N threads / at 1 thread, per
# (operation, variant) and flavor, from OUT/scaling.dat.
N = system("cat '".OUT."/threads.txt'")
set terminal pngcairo size 1100,560 font "sans,11"
set output OUT."/scaling.png"
set title "Shared-object contention: per-thread throughput at ".N." threads relative to 1 thread\n(1.0 = perfect scaling; every thread does the same work)"
set ylabel "throughput ratio, N threads / 1 thread (per thread)"
set xlabel "operation and whose object the threads use"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set yrange [0:*]
set grid ytics
set key top right
set xtics rotate by -30 left
set arrow from graph 0, first 1 to graph 1, first 1 nohead dt 2 lc rgb "black"
plot OUT."/scaling.dat" using 2:xtic(1) title "gil" lc rgb "#999999", \
     '' using 3 title "nogil (biased RC)" lc rgb "#1f77b4", \
     '' using 4 title "nogil-atomic" lc rgb "#ff7f0e"
