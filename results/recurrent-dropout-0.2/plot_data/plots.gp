# Drawn by notmnist_grid; redraw with: cd <out> && gnuplot plot_data/plots.gp
if (!exists('suffix')) suffix = ''
set encoding utf8

reset
set terminal pngcairo size 565,470 noenhanced font 'sans,11'
set output 'val_accuracy.png'.suffix
set multiplot layout 1,1 title "Validation accuracy per epoch: mean and band of ± 1 std over 3 seeds; diamond: the seed lab's final value ± std" font ',14' margins 0.150442,0.964602,0.117021,0.819149 spacing 0.106195,0.180851
set grid
set xrange [0.5:21.4]
set xtics 4
set yrange [0.930019:0.949228]
set style fill transparent solid 0.2 noborder
set title '3 layers, hidden 256' font ',12'
set xlabel 'epoch'
set ylabel 'validation accuracy'
set key bottom right box opaque samplen 2
unset label
plot NaN notitle, NaN with lines lw 2.5 lc rgb '#0072B2' title 'GRU', NaN with lines lw 2.5 lc rgb '#D55E00' title 'MGU', NaN with points pt 12 ps 1.6 lw 1.5 lc rgb '#333333' title 'seed lab', \
  'plot_data/GRU_3l_256h.dat' using 1:($2-$3):($2+$3) with filledcurves lc rgb '#0072B2' notitle, \
  'plot_data/GRU_3l_256h.dat' using 1:2 with lines lw 2.5 lc rgb '#0072B2' notitle, \
  'plot_data/configs.dat' every ::0::0 using (20.35):9:10 with yerrorbars pt 12 ps 1.6 lw 1.5 lc rgb '#0072B2' notitle, \
  'plot_data/MGU_3l_256h.dat' using 1:($2-$3):($2+$3) with filledcurves lc rgb '#D55E00' notitle, \
  'plot_data/MGU_3l_256h.dat' using 1:2 with lines lw 2.5 lc rgb '#D55E00' notitle, \
  'plot_data/configs.dat' every ::0::0 using (20.75):16:17 with yerrorbars pt 12 ps 1.6 lw 1.5 lc rgb '#D55E00' notitle
unset multiplot
unset output

reset
set terminal pngcairo size 565,470 noenhanced font 'sans,11'
set output 'val_loss.png'.suffix
set multiplot layout 1,1 title "Validation loss per epoch: mean and band of ± 1 std over 3 seeds" font ',14' margins 0.150442,0.964602,0.117021,0.819149 spacing 0.106195,0.180851
set grid
set xrange [0.5:20.5]
set xtics 4
set yrange [0.185518:0.267361]
set style fill transparent solid 0.2 noborder
set title '3 layers, hidden 256' font ',12'
set xlabel 'epoch'
set ylabel 'validation loss'
set key top right box opaque samplen 2
unset label
plot NaN notitle, NaN with lines lw 2.5 lc rgb '#0072B2' title 'GRU', NaN with lines lw 2.5 lc rgb '#D55E00' title 'MGU', \
  'plot_data/GRU_3l_256h.dat' using 1:($4-$5):($4+$5) with filledcurves lc rgb '#0072B2' notitle, \
  'plot_data/GRU_3l_256h.dat' using 1:4 with lines lw 2.5 lc rgb '#0072B2' notitle, \
  'plot_data/MGU_3l_256h.dat' using 1:($4-$5):($4+$5) with filledcurves lc rgb '#D55E00' notitle, \
  'plot_data/MGU_3l_256h.dat' using 1:4 with lines lw 2.5 lc rgb '#D55E00' notitle
unset multiplot
unset output

reset
set terminal pngcairo size 900,620 noenhanced font 'sans,11'
set output 'final_accuracy.png'.suffix
set title "Final validation accuracy (epoch 20): mean ± 1 std over 3 seeds\nopen circles: single seeds; diamonds: the seed lab ± std; above each pair: GRU − MGU" font ',13'
set ylabel 'final validation accuracy'
set yrange [0.932259:0.951058]
set grid ytics
set key outside right center vertical
set xrange [-0.6:0.6]
set xtics ('3x256' 0) nomirror
set xlabel 'layers x hidden'
plot NaN notitle, \
  'plot_data/configs.dat' using ($1-0.1):4:5 with yerrorbars pt 7 ps 1.3 lw 2 lc rgb '#0072B2' title 'GRU mean ± std', \
  'plot_data/seeds.dat' using ($2 == 0 ? $1-0.1 : NaN):3 with points pt 6 ps 0.9 lc rgb '#0072B2' notitle, \
  'plot_data/configs.dat' using ($1-0.3):9:10 with yerrorbars pt 12 ps 1.6 lw 1.5 lc rgb '#0072B2' title 'GRU seed lab', \
  'plot_data/configs.dat' using ($1+0.1):11:12 with yerrorbars pt 7 ps 1.3 lw 2 lc rgb '#D55E00' title 'MGU mean ± std', \
  'plot_data/seeds.dat' using ($2 == 1 ? $1+0.1 : NaN):3 with points pt 6 ps 0.9 lc rgb '#D55E00' notitle, \
  'plot_data/configs.dat' using ($1+0.3):16:17 with yerrorbars pt 12 ps 1.6 lw 1.5 lc rgb '#D55E00' title 'MGU seed lab', \
  'plot_data/configs.dat' using 1:(($4 == $4 && $11 == $11) ? 0.948465 : NaN):(sprintf('%+.4f', $4 - $11)) with labels offset 0,1.2 font ',11' notitle
unset output

reset
set terminal pngcairo size 900,620 noenhanced font 'sans,11'
set output 'speed.png'.suffix
set title "Seconds per epoch, training + validation (mean over the successful runs)\nabove each pair: MGU time / GRU time" font ',13'
set logscale y
set yrange [20.482:694.346]
set ylabel 'seconds per epoch (log scale)'
set grid ytics
set key top left
set style fill solid 0.85 noborder
set xrange [-0.6:0.6]
set xtics ('3x256' 0) nomirror
set xlabel 'layers x hidden'
plot NaN notitle, \
  'plot_data/configs.dat' using ($1-0.17):8:(($1-0.17)-0.15):(($1-0.17)+0.15):(20.482):8 with boxxyerror lc rgb '#0072B2' title 'GRU', \
  'plot_data/configs.dat' using ($1-0.17):8:(sprintf('%.2g', $8)) with labels offset 0,0.7 font ',9' notitle, \
  'plot_data/configs.dat' using ($1+0.17):15:(($1+0.17)-0.15):(($1+0.17)+0.15):(20.482):15 with boxxyerror lc rgb '#D55E00' title 'MGU', \
  'plot_data/configs.dat' using ($1+0.17):15:(sprintf('%.2g', $15)) with labels offset 0,0.7 font ',9' notitle, \
  'plot_data/configs.dat' using 1:(($8 == $8 && $15 == $15) ? ($8 > $15 ? $8 : $15) * 1.9 : NaN):(sprintf('×%.2f', $15 / $8)) with labels font ',12' notitle
unset output

reset
set terminal svg size 565,470 dynamic noenhanced font 'sans,11'
set output 'val_accuracy.svg'.suffix
set multiplot layout 1,1 title "Validation accuracy per epoch: mean and band of ± 1 std over 3 seeds; diamond: the seed lab's final value ± std" font ',14' margins 0.150442,0.964602,0.117021,0.819149 spacing 0.106195,0.180851
set grid
set xrange [0.5:21.4]
set xtics 4
set yrange [0.930019:0.949228]
set style fill transparent solid 0.2 noborder
set title '3 layers, hidden 256' font ',12'
set xlabel 'epoch'
set ylabel 'validation accuracy'
set key bottom right box opaque samplen 2
unset label
plot NaN notitle, NaN with lines lw 2.5 lc rgb '#0072B2' title 'GRU', NaN with lines lw 2.5 lc rgb '#D55E00' title 'MGU', NaN with points pt 12 ps 1.6 lw 1.5 lc rgb '#333333' title 'seed lab', \
  'plot_data/GRU_3l_256h.dat' using 1:($2-$3):($2+$3) with filledcurves lc rgb '#0072B2' notitle, \
  'plot_data/GRU_3l_256h.dat' using 1:2 with lines lw 2.5 lc rgb '#0072B2' notitle, \
  'plot_data/configs.dat' every ::0::0 using (20.35):9:10 with yerrorbars pt 12 ps 1.6 lw 1.5 lc rgb '#0072B2' notitle, \
  'plot_data/MGU_3l_256h.dat' using 1:($2-$3):($2+$3) with filledcurves lc rgb '#D55E00' notitle, \
  'plot_data/MGU_3l_256h.dat' using 1:2 with lines lw 2.5 lc rgb '#D55E00' notitle, \
  'plot_data/configs.dat' every ::0::0 using (20.75):16:17 with yerrorbars pt 12 ps 1.6 lw 1.5 lc rgb '#D55E00' notitle
unset multiplot
unset output

reset
set terminal svg size 565,470 dynamic noenhanced font 'sans,11'
set output 'val_loss.svg'.suffix
set multiplot layout 1,1 title "Validation loss per epoch: mean and band of ± 1 std over 3 seeds" font ',14' margins 0.150442,0.964602,0.117021,0.819149 spacing 0.106195,0.180851
set grid
set xrange [0.5:20.5]
set xtics 4
set yrange [0.185518:0.267361]
set style fill transparent solid 0.2 noborder
set title '3 layers, hidden 256' font ',12'
set xlabel 'epoch'
set ylabel 'validation loss'
set key top right box opaque samplen 2
unset label
plot NaN notitle, NaN with lines lw 2.5 lc rgb '#0072B2' title 'GRU', NaN with lines lw 2.5 lc rgb '#D55E00' title 'MGU', \
  'plot_data/GRU_3l_256h.dat' using 1:($4-$5):($4+$5) with filledcurves lc rgb '#0072B2' notitle, \
  'plot_data/GRU_3l_256h.dat' using 1:4 with lines lw 2.5 lc rgb '#0072B2' notitle, \
  'plot_data/MGU_3l_256h.dat' using 1:($4-$5):($4+$5) with filledcurves lc rgb '#D55E00' notitle, \
  'plot_data/MGU_3l_256h.dat' using 1:4 with lines lw 2.5 lc rgb '#D55E00' notitle
unset multiplot
unset output

reset
set terminal svg size 900,620 dynamic noenhanced font 'sans,11'
set output 'final_accuracy.svg'.suffix
set title "Final validation accuracy (epoch 20): mean ± 1 std over 3 seeds\nopen circles: single seeds; diamonds: the seed lab ± std; above each pair: GRU − MGU" font ',13'
set ylabel 'final validation accuracy'
set yrange [0.932259:0.951058]
set grid ytics
set key outside right center vertical
set xrange [-0.6:0.6]
set xtics ('3x256' 0) nomirror
set xlabel 'layers x hidden'
plot NaN notitle, \
  'plot_data/configs.dat' using ($1-0.1):4:5 with yerrorbars pt 7 ps 1.3 lw 2 lc rgb '#0072B2' title 'GRU mean ± std', \
  'plot_data/seeds.dat' using ($2 == 0 ? $1-0.1 : NaN):3 with points pt 6 ps 0.9 lc rgb '#0072B2' notitle, \
  'plot_data/configs.dat' using ($1-0.3):9:10 with yerrorbars pt 12 ps 1.6 lw 1.5 lc rgb '#0072B2' title 'GRU seed lab', \
  'plot_data/configs.dat' using ($1+0.1):11:12 with yerrorbars pt 7 ps 1.3 lw 2 lc rgb '#D55E00' title 'MGU mean ± std', \
  'plot_data/seeds.dat' using ($2 == 1 ? $1+0.1 : NaN):3 with points pt 6 ps 0.9 lc rgb '#D55E00' notitle, \
  'plot_data/configs.dat' using ($1+0.3):16:17 with yerrorbars pt 12 ps 1.6 lw 1.5 lc rgb '#D55E00' title 'MGU seed lab', \
  'plot_data/configs.dat' using 1:(($4 == $4 && $11 == $11) ? 0.948465 : NaN):(sprintf('%+.4f', $4 - $11)) with labels offset 0,1.2 font ',11' notitle
unset output

reset
set terminal svg size 900,620 dynamic noenhanced font 'sans,11'
set output 'speed.svg'.suffix
set title "Seconds per epoch, training + validation (mean over the successful runs)\nabove each pair: MGU time / GRU time" font ',13'
set logscale y
set yrange [20.482:694.346]
set ylabel 'seconds per epoch (log scale)'
set grid ytics
set key top left
set style fill solid 0.85 noborder
set xrange [-0.6:0.6]
set xtics ('3x256' 0) nomirror
set xlabel 'layers x hidden'
plot NaN notitle, \
  'plot_data/configs.dat' using ($1-0.17):8:(($1-0.17)-0.15):(($1-0.17)+0.15):(20.482):8 with boxxyerror lc rgb '#0072B2' title 'GRU', \
  'plot_data/configs.dat' using ($1-0.17):8:(sprintf('%.2g', $8)) with labels offset 0,0.7 font ',9' notitle, \
  'plot_data/configs.dat' using ($1+0.17):15:(($1+0.17)-0.15):(($1+0.17)+0.15):(20.482):15 with boxxyerror lc rgb '#D55E00' title 'MGU', \
  'plot_data/configs.dat' using ($1+0.17):15:(sprintf('%.2g', $15)) with labels offset 0,0.7 font ',9' notitle, \
  'plot_data/configs.dat' using 1:(($8 == $8 && $15 == $15) ? ($8 > $15 ? $8 : $15) * 1.9 : NaN):(sprintf('×%.2f', $15 / $8)) with labels font ',12' notitle
unset output
