# results.png from the data files bench/run.py writes: gnuplot -e "dir='D'; out='F'" bench/plot.gp
set terminal pngcairo size 1500,480 font "sans,10"
set output out
set multiplot layout 1,3
set grid ytics
set key top left
set style fill solid 0.8 border -1
set boxwidth 0.6
set format y "%g"

set title "1. Sequential calls on one client (GET)"
set ylabel "calls/s (log scale)"
set logscale y
set yrange [10:*]
set offsets 0.5, 0.5, 0, 0
set xtics rotate by -20
plot dir."/seq.dat" using 0:2:xtic(1) with boxes lc rgb "#3366aa" notitle, \
     "" using 0:2:(sprintf("%.0f", $2)) with labels offset 0,0.7 notitle

set title "2. Concurrent throughput (GET)"
set offsets 0, 0, 0, 0
set ylabel "calls/s"
unset logscale y
set yrange [0:*]
set xlabel "calls in flight"
set logscale x 2
set xtics norotate
set xrange [0.8:80]
set key bottom right
plot for [col=2:6] dir."/conc.dat" using 1:col with linespoints lw 2 pt 7 title columnheader(col)
unset logscale x
unset xlabel
set xrange [*:*]

set title "3. Bulk provisioning (create, token, delete)"
set offsets 0.5, 0.5, 0, 0
set ylabel "calls/s"
set xtics rotate by -20
plot dir."/bulk.dat" using 0:2:xtic(1) with boxes lc rgb "#aa6633" notitle, \
     "" using 0:2:(sprintf("%.0f", $2)) with labels offset 0,0.7 notitle
unset multiplot
