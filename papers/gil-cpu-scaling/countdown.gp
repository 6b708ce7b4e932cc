# papers/gil-cpu-scaling/countdown.gp — seconds for a fixed countdown vs
# the threads it is split over, one line per build and switch interval.
# Data: OUT/series-<build>-i<interval>.dat, first line "# title", then
# "threads seconds".
set terminal pngcairo size 900,600 font ",11" noenhanced
set output OUT . "/countdown.png"
set title "Fixed total work (Beazley's countdown) split over N threads"
set xlabel "threads sharing the work"
set ylabel "seconds per run (median)"
set key outside right top
set grid
set yrange [0:*]
set xtics 1
set autoscale xfix
set offsets 0.3, 0.3, 0, 0
files = system("ls " . OUT . "/series-*.dat")
plot for [f in files] f using 1:2 with linespoints lw 2 pt 7 \
         title system("head -1 " . f . " | sed 's/^# //'")
