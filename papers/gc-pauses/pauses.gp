# pauses.gp — GC pause percentiles (log scale) and peak RSS per
# configuration (flavor, first-generation threshold), from OUT/pauses.dat.
set terminal pngcairo size 1000,520 font "sans,11"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set grid ytics
set xtics rotate by -20 left
set xlabel "flavor and first-generation threshold"

set output OUT."/pauses.png"
set title "Cycle-collector pauses during churn beside a large cyclic heap"
set ylabel "pause (ms, log scale)"
set logscale y
set key top left
plot OUT."/pauses.dat" using 2:xtic(1) title "p50" lc rgb "#9ecae1", \
     '' using 3 title "p90" lc rgb "#6baed6", \
     '' using 4 title "p99" lc rgb "#3182bd", \
     '' using 5 title "max" lc rgb "#08519c"

set output OUT."/rss.png"
set title "Peak resident set size of the process"
set ylabel "peak RSS (MiB)"
unset logscale y
set yrange [0:*]
set key off
plot OUT."/pauses.dat" using 6:xtic(1) lc rgb "#31a354"
