# per-op.gp — (a): one incref+decref pair per flavor and object kind.
# Data: OUT/per-op.dat "object gil nogil nogil-atomic" (ns per pair).
set terminal pngcairo size 900,520 font "sans,11" noenhanced
set output OUT.'/per-op.png'
set title "Cost of one incref+decref pair (ftbench-micro, median)"
set ylabel "ns per incref+decref pair"
set xlabel "object (nogil: owned = owner's non-atomic path, shared = non-owner's atomic path)"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set boxwidth 0.9
set yrange [0:*]
set grid ytics
set key top left
plot OUT.'/per-op.dat' using 2:xtic(1) title "gil", \
     '' using 3 title "nogil (biased)", \
     '' using 4 title "nogil-atomic", \
     '' using ($0 - 0.27):2:(sprintf("%.2f", $2)) with labels offset 0,0.7 notitle, \
     '' using ($0):3:(sprintf("%.2f", $3)) with labels offset 0,0.7 notitle, \
     '' using ($0 + 0.27):4:(sprintf("%.2f", $4)) with labels offset 0,0.7 notitle
