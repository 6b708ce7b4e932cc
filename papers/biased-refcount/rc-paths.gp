# rc-paths.gp — (c): the path each RC operation took in nogil, per workload
# and thread count. Data: OUT/rc-paths.dat "workload/threads owner% non-owner% immortal%".
set terminal pngcairo size 1100,540 font "sans,11" noenhanced
set output OUT.'/rc-paths.png'
set title "nogil: RC operations by path (FT_RC_STATS build)"
set ylabel "% of all incref/decref calls"
set xlabel "workload / threads"
set style data histograms
set style histogram rowstacked
set style fill solid 0.8 border -1
set boxwidth 0.8
set yrange [0:100]
set grid ytics
set xtics rotate by -35
set key outside right
plot OUT.'/rc-paths.dat' using 2:xtic(1) title "owner (non-atomic)", \
     '' using 3 title "non-owner (atomic)", \
     '' using 4 title "immortal (skipped)"
