# workloads.gp — (b): each workload's time relative to nogil, 1 thread.
# Data: OUT/workloads.dat "workload gil/nogil 1 nogil-atomic/nogil".
set terminal pngcairo size 1000,520 font "sans,11" noenhanced
set output OUT.'/workloads.png'
set title "Workload time relative to nogil (biased RC), 1 thread; higher = slower"
set ylabel "median time ÷ nogil's"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set boxwidth 0.9
set yrange [0:*]
set grid ytics
set xtics rotate by -30
set key outside top center horizontal
plot OUT.'/workloads.dat' using 2:xtic(1) title "gil", \
     '' using 3 title "nogil (biased)", \
     '' using 4 title "nogil-atomic"
