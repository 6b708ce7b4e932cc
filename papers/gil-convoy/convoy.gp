# papers/gil-convoy/convoy.gp — request rate vs switch interval, one line
# per (flavor, CPU threads beside the server), one chart per client delay.
# Data: OUT/series-d<delay>-<flavor>-cpu<n>.dat ("interval_us rate").
set terminal pngcairo size 900,600 font ",11"
set logscale xy
set xlabel "GIL switch interval (µs, log scale)"
set ylabel "echo requests per second (log scale)"
set key outside right top
set grid
set format x "10^{%T}"
set format y "10^{%T}"
set xrange [5:200000]
do for [d in "0 200"] {
    files = system("ls " . OUT . "/series-d" . d . "-*.dat 2>/dev/null")
    set output OUT . "/convoy-d" . d . ".png"
    set title (d eq "0" ? "Convoy effect: echo server beside CPU-bound threads, client back to back" \
                        : "Convoy effect: echo server beside CPU-bound threads, client waits " . d . " µs")
    plot for [f in files] f using 1:2 with linespoints lw 2 pt 7 \
             title system("basename " . f . " .dat | sed 's/series-d[0-9]*-//; s/-cpu/, CPU threads: /'"), \
         1e6 / x with lines dt 2 lc rgb "gray40" title "1/interval", \
         1e6 / (2 * x) with lines dt 3 lc rgb "gray60" title "1/(2 × interval)"
}
