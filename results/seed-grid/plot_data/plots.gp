# Drawn by notmnist_grid; redraw with: cd <out> && gnuplot plot_data/plots.gp
set encoding utf8
set key outside right top
set grid
set xlabel 'epoch'
set xtics 2
set offsets 0.5, 0.5, 0, 0
set style fill transparent solid 0.15 noborder
set terminal pngcairo size 1280,720 noenhanced font ',10'
set output 'val_accuracy.png.partial'
set title 'Validation accuracy per epoch (mean ± std over seeds)'
set ylabel 'validation accuracy'
plot 'plot_data/GRU_1l_50h.dat' using 1:($2-$3):($2+$3) with filledcurves lc rgb '#1f77b4' dt 1 notitle, \
     'plot_data/GRU_1l_50h.dat' using 1:2 with linespoints lc rgb '#1f77b4' dt 1 pt 7 ps 0.4 title 'GRU_1l_50h', \
     'plot_data/GRU_1l_128h.dat' using 1:($2-$3):($2+$3) with filledcurves lc rgb '#ff7f0e' dt 1 notitle, \
     'plot_data/GRU_1l_128h.dat' using 1:2 with linespoints lc rgb '#ff7f0e' dt 1 pt 7 ps 0.4 title 'GRU_1l_128h', \
     'plot_data/GRU_1l_256h.dat' using 1:($2-$3):($2+$3) with filledcurves lc rgb '#2ca02c' dt 1 notitle, \
     'plot_data/GRU_1l_256h.dat' using 1:2 with linespoints lc rgb '#2ca02c' dt 1 pt 7 ps 0.4 title 'GRU_1l_256h', \
     'plot_data/GRU_2l_50h.dat' using 1:($2-$3):($2+$3) with filledcurves lc rgb '#d62728' dt 1 notitle, \
     'plot_data/GRU_2l_50h.dat' using 1:2 with linespoints lc rgb '#d62728' dt 1 pt 7 ps 0.4 title 'GRU_2l_50h', \
     'plot_data/GRU_2l_128h.dat' using 1:($2-$3):($2+$3) with filledcurves lc rgb '#9467bd' dt 1 notitle, \
     'plot_data/GRU_2l_128h.dat' using 1:2 with linespoints lc rgb '#9467bd' dt 1 pt 7 ps 0.4 title 'GRU_2l_128h', \
     'plot_data/GRU_2l_256h.dat' using 1:($2-$3):($2+$3) with filledcurves lc rgb '#8c564b' dt 1 notitle, \
     'plot_data/GRU_2l_256h.dat' using 1:2 with linespoints lc rgb '#8c564b' dt 1 pt 7 ps 0.4 title 'GRU_2l_256h', \
     'plot_data/GRU_3l_50h.dat' using 1:($2-$3):($2+$3) with filledcurves lc rgb '#e377c2' dt 1 notitle, \
     'plot_data/GRU_3l_50h.dat' using 1:2 with linespoints lc rgb '#e377c2' dt 1 pt 7 ps 0.4 title 'GRU_3l_50h', \
     'plot_data/GRU_3l_128h.dat' using 1:($2-$3):($2+$3) with filledcurves lc rgb '#7f7f7f' dt 1 notitle, \
     'plot_data/GRU_3l_128h.dat' using 1:2 with linespoints lc rgb '#7f7f7f' dt 1 pt 7 ps 0.4 title 'GRU_3l_128h', \
     'plot_data/GRU_3l_256h.dat' using 1:($2-$3):($2+$3) with filledcurves lc rgb '#17becf' dt 1 notitle, \
     'plot_data/GRU_3l_256h.dat' using 1:2 with linespoints lc rgb '#17becf' dt 1 pt 7 ps 0.4 title 'GRU_3l_256h', \
     'plot_data/MGU_1l_50h.dat' using 1:($2-$3):($2+$3) with filledcurves lc rgb '#1f77b4' dt 2 notitle, \
     'plot_data/MGU_1l_50h.dat' using 1:2 with linespoints lc rgb '#1f77b4' dt 2 pt 7 ps 0.4 title 'MGU_1l_50h', \
     'plot_data/MGU_1l_128h.dat' using 1:($2-$3):($2+$3) with filledcurves lc rgb '#ff7f0e' dt 2 notitle, \
     'plot_data/MGU_1l_128h.dat' using 1:2 with linespoints lc rgb '#ff7f0e' dt 2 pt 7 ps 0.4 title 'MGU_1l_128h', \
     'plot_data/MGU_1l_256h.dat' using 1:($2-$3):($2+$3) with filledcurves lc rgb '#2ca02c' dt 2 notitle, \
     'plot_data/MGU_1l_256h.dat' using 1:2 with linespoints lc rgb '#2ca02c' dt 2 pt 7 ps 0.4 title 'MGU_1l_256h', \
     'plot_data/MGU_2l_50h.dat' using 1:($2-$3):($2+$3) with filledcurves lc rgb '#d62728' dt 2 notitle, \
     'plot_data/MGU_2l_50h.dat' using 1:2 with linespoints lc rgb '#d62728' dt 2 pt 7 ps 0.4 title 'MGU_2l_50h', \
     'plot_data/MGU_2l_128h.dat' using 1:($2-$3):($2+$3) with filledcurves lc rgb '#9467bd' dt 2 notitle, \
     'plot_data/MGU_2l_128h.dat' using 1:2 with linespoints lc rgb '#9467bd' dt 2 pt 7 ps 0.4 title 'MGU_2l_128h', \
     'plot_data/MGU_2l_256h.dat' using 1:($2-$3):($2+$3) with filledcurves lc rgb '#8c564b' dt 2 notitle, \
     'plot_data/MGU_2l_256h.dat' using 1:2 with linespoints lc rgb '#8c564b' dt 2 pt 7 ps 0.4 title 'MGU_2l_256h', \
     'plot_data/MGU_3l_50h.dat' using 1:($2-$3):($2+$3) with filledcurves lc rgb '#e377c2' dt 2 notitle, \
     'plot_data/MGU_3l_50h.dat' using 1:2 with linespoints lc rgb '#e377c2' dt 2 pt 7 ps 0.4 title 'MGU_3l_50h', \
     'plot_data/MGU_3l_128h.dat' using 1:($2-$3):($2+$3) with filledcurves lc rgb '#7f7f7f' dt 2 notitle, \
     'plot_data/MGU_3l_128h.dat' using 1:2 with linespoints lc rgb '#7f7f7f' dt 2 pt 7 ps 0.4 title 'MGU_3l_128h', \
     'plot_data/MGU_3l_256h.dat' using 1:($2-$3):($2+$3) with filledcurves lc rgb '#17becf' dt 2 notitle, \
     'plot_data/MGU_3l_256h.dat' using 1:2 with linespoints lc rgb '#17becf' dt 2 pt 7 ps 0.4 title 'MGU_3l_256h'
unset output
set terminal pngcairo size 1280,720 noenhanced font ',10'
set output 'val_loss.png.partial'
set title 'Validation loss per epoch (mean ± std over seeds)'
set ylabel 'validation loss'
plot 'plot_data/GRU_1l_50h.dat' using 1:($4-$5):($4+$5) with filledcurves lc rgb '#1f77b4' dt 1 notitle, \
     'plot_data/GRU_1l_50h.dat' using 1:4 with linespoints lc rgb '#1f77b4' dt 1 pt 7 ps 0.4 title 'GRU_1l_50h', \
     'plot_data/GRU_1l_128h.dat' using 1:($4-$5):($4+$5) with filledcurves lc rgb '#ff7f0e' dt 1 notitle, \
     'plot_data/GRU_1l_128h.dat' using 1:4 with linespoints lc rgb '#ff7f0e' dt 1 pt 7 ps 0.4 title 'GRU_1l_128h', \
     'plot_data/GRU_1l_256h.dat' using 1:($4-$5):($4+$5) with filledcurves lc rgb '#2ca02c' dt 1 notitle, \
     'plot_data/GRU_1l_256h.dat' using 1:4 with linespoints lc rgb '#2ca02c' dt 1 pt 7 ps 0.4 title 'GRU_1l_256h', \
     'plot_data/GRU_2l_50h.dat' using 1:($4-$5):($4+$5) with filledcurves lc rgb '#d62728' dt 1 notitle, \
     'plot_data/GRU_2l_50h.dat' using 1:4 with linespoints lc rgb '#d62728' dt 1 pt 7 ps 0.4 title 'GRU_2l_50h', \
     'plot_data/GRU_2l_128h.dat' using 1:($4-$5):($4+$5) with filledcurves lc rgb '#9467bd' dt 1 notitle, \
     'plot_data/GRU_2l_128h.dat' using 1:4 with linespoints lc rgb '#9467bd' dt 1 pt 7 ps 0.4 title 'GRU_2l_128h', \
     'plot_data/GRU_2l_256h.dat' using 1:($4-$5):($4+$5) with filledcurves lc rgb '#8c564b' dt 1 notitle, \
     'plot_data/GRU_2l_256h.dat' using 1:4 with linespoints lc rgb '#8c564b' dt 1 pt 7 ps 0.4 title 'GRU_2l_256h', \
     'plot_data/GRU_3l_50h.dat' using 1:($4-$5):($4+$5) with filledcurves lc rgb '#e377c2' dt 1 notitle, \
     'plot_data/GRU_3l_50h.dat' using 1:4 with linespoints lc rgb '#e377c2' dt 1 pt 7 ps 0.4 title 'GRU_3l_50h', \
     'plot_data/GRU_3l_128h.dat' using 1:($4-$5):($4+$5) with filledcurves lc rgb '#7f7f7f' dt 1 notitle, \
     'plot_data/GRU_3l_128h.dat' using 1:4 with linespoints lc rgb '#7f7f7f' dt 1 pt 7 ps 0.4 title 'GRU_3l_128h', \
     'plot_data/GRU_3l_256h.dat' using 1:($4-$5):($4+$5) with filledcurves lc rgb '#17becf' dt 1 notitle, \
     'plot_data/GRU_3l_256h.dat' using 1:4 with linespoints lc rgb '#17becf' dt 1 pt 7 ps 0.4 title 'GRU_3l_256h', \
     'plot_data/MGU_1l_50h.dat' using 1:($4-$5):($4+$5) with filledcurves lc rgb '#1f77b4' dt 2 notitle, \
     'plot_data/MGU_1l_50h.dat' using 1:4 with linespoints lc rgb '#1f77b4' dt 2 pt 7 ps 0.4 title 'MGU_1l_50h', \
     'plot_data/MGU_1l_128h.dat' using 1:($4-$5):($4+$5) with filledcurves lc rgb '#ff7f0e' dt 2 notitle, \
     'plot_data/MGU_1l_128h.dat' using 1:4 with linespoints lc rgb '#ff7f0e' dt 2 pt 7 ps 0.4 title 'MGU_1l_128h', \
     'plot_data/MGU_1l_256h.dat' using 1:($4-$5):($4+$5) with filledcurves lc rgb '#2ca02c' dt 2 notitle, \
     'plot_data/MGU_1l_256h.dat' using 1:4 with linespoints lc rgb '#2ca02c' dt 2 pt 7 ps 0.4 title 'MGU_1l_256h', \
     'plot_data/MGU_2l_50h.dat' using 1:($4-$5):($4+$5) with filledcurves lc rgb '#d62728' dt 2 notitle, \
     'plot_data/MGU_2l_50h.dat' using 1:4 with linespoints lc rgb '#d62728' dt 2 pt 7 ps 0.4 title 'MGU_2l_50h', \
     'plot_data/MGU_2l_128h.dat' using 1:($4-$5):($4+$5) with filledcurves lc rgb '#9467bd' dt 2 notitle, \
     'plot_data/MGU_2l_128h.dat' using 1:4 with linespoints lc rgb '#9467bd' dt 2 pt 7 ps 0.4 title 'MGU_2l_128h', \
     'plot_data/MGU_2l_256h.dat' using 1:($4-$5):($4+$5) with filledcurves lc rgb '#8c564b' dt 2 notitle, \
     'plot_data/MGU_2l_256h.dat' using 1:4 with linespoints lc rgb '#8c564b' dt 2 pt 7 ps 0.4 title 'MGU_2l_256h', \
     'plot_data/MGU_3l_50h.dat' using 1:($4-$5):($4+$5) with filledcurves lc rgb '#e377c2' dt 2 notitle, \
     'plot_data/MGU_3l_50h.dat' using 1:4 with linespoints lc rgb '#e377c2' dt 2 pt 7 ps 0.4 title 'MGU_3l_50h', \
     'plot_data/MGU_3l_128h.dat' using 1:($4-$5):($4+$5) with filledcurves lc rgb '#7f7f7f' dt 2 notitle, \
     'plot_data/MGU_3l_128h.dat' using 1:4 with linespoints lc rgb '#7f7f7f' dt 2 pt 7 ps 0.4 title 'MGU_3l_128h', \
     'plot_data/MGU_3l_256h.dat' using 1:($4-$5):($4+$5) with filledcurves lc rgb '#17becf' dt 2 notitle, \
     'plot_data/MGU_3l_256h.dat' using 1:4 with linespoints lc rgb '#17becf' dt 2 pt 7 ps 0.4 title 'MGU_3l_256h'
unset output
set terminal svg size 1280,720 dynamic noenhanced font 'sans,10'
set output 'val_accuracy.svg.partial'
set title 'Validation accuracy per epoch (mean ± std over seeds)'
set ylabel 'validation accuracy'
plot 'plot_data/GRU_1l_50h.dat' using 1:($2-$3):($2+$3) with filledcurves lc rgb '#1f77b4' dt 1 notitle, \
     'plot_data/GRU_1l_50h.dat' using 1:2 with linespoints lc rgb '#1f77b4' dt 1 pt 7 ps 0.4 title 'GRU_1l_50h', \
     'plot_data/GRU_1l_128h.dat' using 1:($2-$3):($2+$3) with filledcurves lc rgb '#ff7f0e' dt 1 notitle, \
     'plot_data/GRU_1l_128h.dat' using 1:2 with linespoints lc rgb '#ff7f0e' dt 1 pt 7 ps 0.4 title 'GRU_1l_128h', \
     'plot_data/GRU_1l_256h.dat' using 1:($2-$3):($2+$3) with filledcurves lc rgb '#2ca02c' dt 1 notitle, \
     'plot_data/GRU_1l_256h.dat' using 1:2 with linespoints lc rgb '#2ca02c' dt 1 pt 7 ps 0.4 title 'GRU_1l_256h', \
     'plot_data/GRU_2l_50h.dat' using 1:($2-$3):($2+$3) with filledcurves lc rgb '#d62728' dt 1 notitle, \
     'plot_data/GRU_2l_50h.dat' using 1:2 with linespoints lc rgb '#d62728' dt 1 pt 7 ps 0.4 title 'GRU_2l_50h', \
     'plot_data/GRU_2l_128h.dat' using 1:($2-$3):($2+$3) with filledcurves lc rgb '#9467bd' dt 1 notitle, \
     'plot_data/GRU_2l_128h.dat' using 1:2 with linespoints lc rgb '#9467bd' dt 1 pt 7 ps 0.4 title 'GRU_2l_128h', \
     'plot_data/GRU_2l_256h.dat' using 1:($2-$3):($2+$3) with filledcurves lc rgb '#8c564b' dt 1 notitle, \
     'plot_data/GRU_2l_256h.dat' using 1:2 with linespoints lc rgb '#8c564b' dt 1 pt 7 ps 0.4 title 'GRU_2l_256h', \
     'plot_data/GRU_3l_50h.dat' using 1:($2-$3):($2+$3) with filledcurves lc rgb '#e377c2' dt 1 notitle, \
     'plot_data/GRU_3l_50h.dat' using 1:2 with linespoints lc rgb '#e377c2' dt 1 pt 7 ps 0.4 title 'GRU_3l_50h', \
     'plot_data/GRU_3l_128h.dat' using 1:($2-$3):($2+$3) with filledcurves lc rgb '#7f7f7f' dt 1 notitle, \
     'plot_data/GRU_3l_128h.dat' using 1:2 with linespoints lc rgb '#7f7f7f' dt 1 pt 7 ps 0.4 title 'GRU_3l_128h', \
     'plot_data/GRU_3l_256h.dat' using 1:($2-$3):($2+$3) with filledcurves lc rgb '#17becf' dt 1 notitle, \
     'plot_data/GRU_3l_256h.dat' using 1:2 with linespoints lc rgb '#17becf' dt 1 pt 7 ps 0.4 title 'GRU_3l_256h', \
     'plot_data/MGU_1l_50h.dat' using 1:($2-$3):($2+$3) with filledcurves lc rgb '#1f77b4' dt 2 notitle, \
     'plot_data/MGU_1l_50h.dat' using 1:2 with linespoints lc rgb '#1f77b4' dt 2 pt 7 ps 0.4 title 'MGU_1l_50h', \
     'plot_data/MGU_1l_128h.dat' using 1:($2-$3):($2+$3) with filledcurves lc rgb '#ff7f0e' dt 2 notitle, \
     'plot_data/MGU_1l_128h.dat' using 1:2 with linespoints lc rgb '#ff7f0e' dt 2 pt 7 ps 0.4 title 'MGU_1l_128h', \
     'plot_data/MGU_1l_256h.dat' using 1:($2-$3):($2+$3) with filledcurves lc rgb '#2ca02c' dt 2 notitle, \
     'plot_data/MGU_1l_256h.dat' using 1:2 with linespoints lc rgb '#2ca02c' dt 2 pt 7 ps 0.4 title 'MGU_1l_256h', \
     'plot_data/MGU_2l_50h.dat' using 1:($2-$3):($2+$3) with filledcurves lc rgb '#d62728' dt 2 notitle, \
     'plot_data/MGU_2l_50h.dat' using 1:2 with linespoints lc rgb '#d62728' dt 2 pt 7 ps 0.4 title 'MGU_2l_50h', \
     'plot_data/MGU_2l_128h.dat' using 1:($2-$3):($2+$3) with filledcurves lc rgb '#9467bd' dt 2 notitle, \
     'plot_data/MGU_2l_128h.dat' using 1:2 with linespoints lc rgb '#9467bd' dt 2 pt 7 ps 0.4 title 'MGU_2l_128h', \
     'plot_data/MGU_2l_256h.dat' using 1:($2-$3):($2+$3) with filledcurves lc rgb '#8c564b' dt 2 notitle, \
     'plot_data/MGU_2l_256h.dat' using 1:2 with linespoints lc rgb '#8c564b' dt 2 pt 7 ps 0.4 title 'MGU_2l_256h', \
     'plot_data/MGU_3l_50h.dat' using 1:($2-$3):($2+$3) with filledcurves lc rgb '#e377c2' dt 2 notitle, \
     'plot_data/MGU_3l_50h.dat' using 1:2 with linespoints lc rgb '#e377c2' dt 2 pt 7 ps 0.4 title 'MGU_3l_50h', \
     'plot_data/MGU_3l_128h.dat' using 1:($2-$3):($2+$3) with filledcurves lc rgb '#7f7f7f' dt 2 notitle, \
     'plot_data/MGU_3l_128h.dat' using 1:2 with linespoints lc rgb '#7f7f7f' dt 2 pt 7 ps 0.4 title 'MGU_3l_128h', \
     'plot_data/MGU_3l_256h.dat' using 1:($2-$3):($2+$3) with filledcurves lc rgb '#17becf' dt 2 notitle, \
     'plot_data/MGU_3l_256h.dat' using 1:2 with linespoints lc rgb '#17becf' dt 2 pt 7 ps 0.4 title 'MGU_3l_256h'
unset output
set terminal svg size 1280,720 dynamic noenhanced font 'sans,10'
set output 'val_loss.svg.partial'
set title 'Validation loss per epoch (mean ± std over seeds)'
set ylabel 'validation loss'
plot 'plot_data/GRU_1l_50h.dat' using 1:($4-$5):($4+$5) with filledcurves lc rgb '#1f77b4' dt 1 notitle, \
     'plot_data/GRU_1l_50h.dat' using 1:4 with linespoints lc rgb '#1f77b4' dt 1 pt 7 ps 0.4 title 'GRU_1l_50h', \
     'plot_data/GRU_1l_128h.dat' using 1:($4-$5):($4+$5) with filledcurves lc rgb '#ff7f0e' dt 1 notitle, \
     'plot_data/GRU_1l_128h.dat' using 1:4 with linespoints lc rgb '#ff7f0e' dt 1 pt 7 ps 0.4 title 'GRU_1l_128h', \
     'plot_data/GRU_1l_256h.dat' using 1:($4-$5):($4+$5) with filledcurves lc rgb '#2ca02c' dt 1 notitle, \
     'plot_data/GRU_1l_256h.dat' using 1:4 with linespoints lc rgb '#2ca02c' dt 1 pt 7 ps 0.4 title 'GRU_1l_256h', \
     'plot_data/GRU_2l_50h.dat' using 1:($4-$5):($4+$5) with filledcurves lc rgb '#d62728' dt 1 notitle, \
     'plot_data/GRU_2l_50h.dat' using 1:4 with linespoints lc rgb '#d62728' dt 1 pt 7 ps 0.4 title 'GRU_2l_50h', \
     'plot_data/GRU_2l_128h.dat' using 1:($4-$5):($4+$5) with filledcurves lc rgb '#9467bd' dt 1 notitle, \
     'plot_data/GRU_2l_128h.dat' using 1:4 with linespoints lc rgb '#9467bd' dt 1 pt 7 ps 0.4 title 'GRU_2l_128h', \
     'plot_data/GRU_2l_256h.dat' using 1:($4-$5):($4+$5) with filledcurves lc rgb '#8c564b' dt 1 notitle, \
     'plot_data/GRU_2l_256h.dat' using 1:4 with linespoints lc rgb '#8c564b' dt 1 pt 7 ps 0.4 title 'GRU_2l_256h', \
     'plot_data/GRU_3l_50h.dat' using 1:($4-$5):($4+$5) with filledcurves lc rgb '#e377c2' dt 1 notitle, \
     'plot_data/GRU_3l_50h.dat' using 1:4 with linespoints lc rgb '#e377c2' dt 1 pt 7 ps 0.4 title 'GRU_3l_50h', \
     'plot_data/GRU_3l_128h.dat' using 1:($4-$5):($4+$5) with filledcurves lc rgb '#7f7f7f' dt 1 notitle, \
     'plot_data/GRU_3l_128h.dat' using 1:4 with linespoints lc rgb '#7f7f7f' dt 1 pt 7 ps 0.4 title 'GRU_3l_128h', \
     'plot_data/GRU_3l_256h.dat' using 1:($4-$5):($4+$5) with filledcurves lc rgb '#17becf' dt 1 notitle, \
     'plot_data/GRU_3l_256h.dat' using 1:4 with linespoints lc rgb '#17becf' dt 1 pt 7 ps 0.4 title 'GRU_3l_256h', \
     'plot_data/MGU_1l_50h.dat' using 1:($4-$5):($4+$5) with filledcurves lc rgb '#1f77b4' dt 2 notitle, \
     'plot_data/MGU_1l_50h.dat' using 1:4 with linespoints lc rgb '#1f77b4' dt 2 pt 7 ps 0.4 title 'MGU_1l_50h', \
     'plot_data/MGU_1l_128h.dat' using 1:($4-$5):($4+$5) with filledcurves lc rgb '#ff7f0e' dt 2 notitle, \
     'plot_data/MGU_1l_128h.dat' using 1:4 with linespoints lc rgb '#ff7f0e' dt 2 pt 7 ps 0.4 title 'MGU_1l_128h', \
     'plot_data/MGU_1l_256h.dat' using 1:($4-$5):($4+$5) with filledcurves lc rgb '#2ca02c' dt 2 notitle, \
     'plot_data/MGU_1l_256h.dat' using 1:4 with linespoints lc rgb '#2ca02c' dt 2 pt 7 ps 0.4 title 'MGU_1l_256h', \
     'plot_data/MGU_2l_50h.dat' using 1:($4-$5):($4+$5) with filledcurves lc rgb '#d62728' dt 2 notitle, \
     'plot_data/MGU_2l_50h.dat' using 1:4 with linespoints lc rgb '#d62728' dt 2 pt 7 ps 0.4 title 'MGU_2l_50h', \
     'plot_data/MGU_2l_128h.dat' using 1:($4-$5):($4+$5) with filledcurves lc rgb '#9467bd' dt 2 notitle, \
     'plot_data/MGU_2l_128h.dat' using 1:4 with linespoints lc rgb '#9467bd' dt 2 pt 7 ps 0.4 title 'MGU_2l_128h', \
     'plot_data/MGU_2l_256h.dat' using 1:($4-$5):($4+$5) with filledcurves lc rgb '#8c564b' dt 2 notitle, \
     'plot_data/MGU_2l_256h.dat' using 1:4 with linespoints lc rgb '#8c564b' dt 2 pt 7 ps 0.4 title 'MGU_2l_256h', \
     'plot_data/MGU_3l_50h.dat' using 1:($4-$5):($4+$5) with filledcurves lc rgb '#e377c2' dt 2 notitle, \
     'plot_data/MGU_3l_50h.dat' using 1:4 with linespoints lc rgb '#e377c2' dt 2 pt 7 ps 0.4 title 'MGU_3l_50h', \
     'plot_data/MGU_3l_128h.dat' using 1:($4-$5):($4+$5) with filledcurves lc rgb '#7f7f7f' dt 2 notitle, \
     'plot_data/MGU_3l_128h.dat' using 1:4 with linespoints lc rgb '#7f7f7f' dt 2 pt 7 ps 0.4 title 'MGU_3l_128h', \
     'plot_data/MGU_3l_256h.dat' using 1:($4-$5):($4+$5) with filledcurves lc rgb '#17becf' dt 2 notitle, \
     'plot_data/MGU_3l_256h.dat' using 1:4 with linespoints lc rgb '#17becf' dt 2 pt 7 ps 0.4 title 'MGU_3l_256h'
unset output
