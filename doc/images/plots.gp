# doc/images/plots.gp: the pictures of doc/images/ from the CSVs of queries.sql (run by
# doc/images/make; see doc/images/README.md).
#
#   gnuplot -e "csv='/folder/with/the/csvs'; out='/folder/for/the/pngs'" plots.gp
#
# One style for all three: pngcairo 900 x 560, DejaVu Sans, a title naming the data set,
# and under it, in grey, the query that made the numbers.

if (!exists("csv")) csv = "."
if (!exists("out")) out = "."

ink   = "#1f3b73"   # the data
model = "#d95f02"   # a model, a second reading
grey  = "#707070"   # notes

# The settings of every picture (after each reset): the title names the data set and what
# is shown (set title), the label under it (label 99, in grey) the query.
common = 'set terminal pngcairo size 900,560 font "DejaVu Sans,10" noenhanced; ' . \
         'set datafile separator ","; set datafile columnheaders; ' . \
         'set tics nomirror out scale 0.6; set border 3 lc rgb "#555555"; ' . \
         'set key noautotitle; set tmargin 4.5; ' . \
         'set title font ",13" offset 0,1.2; ' . \
         'set label 99 at screen 0.5, screen 0.9 center font ",9" tc rgb grey'
eval common

# 2357.4 -> "2,357" (below a million)
commas(x) = (n = int(x + 0.5), n >= 1000 ? sprintf("%d,%03d", n / 1000, n % 1000) : sprintf("%d", n))

#########################################################################################
# 1. Online Retail: monthly cohort retention heatmap (cohort_table.csv)
#########################################################################################
# cohort (YYYY-MM-DD) -> row 0 = first cohort (December 2010) at the top
# (by strptime: int("08") would be read as octal)
month_no(t) = tm_year(t) * 12 + tm_mon(t)
row(s) = month_no(strptime("%Y-%m-%d", s)) - first_month
month_name(s) = strftime("%b %Y", strptime("%Y-%m-%d", s))
is_complete(s) = (s eq "t")

f = csv . "/cohort_table.csv"
stats f using (month_no(strptime("%Y-%m-%d", strcol(1)))) name "MONTHS" nooutput
first_month = MONTHS_min
stats f using ($2 > 0 ? row(strcol(1)) : NaN) name "ROWS" nooutput     # cohorts with a month k >= 1
stats f using 2 name "K" nooutput
stats f using ($2 > 0 ? 100 * $5 : NaN) name "RATE" nooutput
stats f using ($2 == 0 && !is_complete(strcol(6)) ? $3 : NaN) name "LAST" nooutput
last_row = int(ROWS_max)
kmax = int(K_max)
cbmax = ceil(RATE_max / 5) * 5
dark(v) = (v > 0.55 * cbmax)

reset
eval common
set output out . "/cohort_heatmap.png"
set title "Online Retail: monthly cohort retention, % of the cohort ordering in month k"
set label 99 "cohort_table((SELECT cohort_agg(customer, invoiced_at, 'month', revenue, invoice_no) FROM lines)): retention_rate"
set border 0
set bmargin 5
set lmargin 20
set rmargin 11
set xrange [0.5:kmax + 0.5]
set yrange [last_row + 0.5:-0.5]      # the first cohort on top; a last one with month 0 only left out
set xtics 1, 1, kmax scale 0
set ytics scale 0
set xlabel "months since the cohort's first month (k)"
set ylabel "cohort (month of the first order), customers"
set cbrange [0:cbmax]
set cblabel "retention rate, %"
set cbtics 10 scale 0.5
set colorbox user origin graph 1.02, graph 0 size character 1.5, graph 1
set palette defined (0 "#f7fbff", 0.25 "#c6dbef", 0.5 "#6baed6", 0.75 "#2171b5", 1 "#08306b")
set style fill solid 1.0 noborder
set label 98 sprintf("Hatched: December 2011, observed to 2011-12-09 only (complete = false): a low value there is \"not yet\", not \"lost\".\nMonth 0 is 100 %% by definition and not drawn; the December 2011 cohort (%d customers) has only month 0.", int(LAST_max)) \
    at screen 0.02, screen 0.045 left font ",8.5" tc rgb grey
plot f using 2:(row(strcol(1))):(0.48):(0.48):($2 > 0 && is_complete(strcol(6)) ? 100 * $5 : NaN) \
         with boxxyerror fs solid 1.0 noborder lc palette, \
     f using ($2 > 0 && !is_complete(strcol(6)) ? $2 : NaN):(row(strcol(1))):(0.48):(0.48) \
         with boxxyerror fs solid 1.0 noborder lc rgb "#f0f0f0", \
     f using ($2 > 0 && !is_complete(strcol(6)) ? $2 : NaN):(row(strcol(1))):(0.48):(0.48) \
         with boxxyerror fs pattern 4 noborder lc rgb "#b0b0b0", \
     f using 2:(row(strcol(1))):($2 > 0 ? sprintf("%.0f", 100 * $5) : NaN) \
         :(!is_complete(strcol(6)) ? 0x707070 : dark(100 * $5) ? 0xffffff : 0x1a1a1a) \
         with labels font ",9.5" tc rgb variable, \
     f using (0):(row(strcol(1))):ytic(sprintf("%s  (%d)", month_name(strcol(1)), $3)) with points ps 0

#########################################################################################
# 2. Online Retail: the retention curve (retention_curve.csv)
#########################################################################################
f = csv . "/retention_curve.csv"
reset
eval common
set output out . "/retention_curve.png"
set title "Online Retail: monthly retention curve over the cohorts that completed each month"
set label 99 "retention_curve((SELECT cohort_agg(customer, invoiced_at, 'month', revenue, invoice_no) FROM lines))"
set grid ytics lc rgb "#e4e4e4" lt 1
set bmargin 7
stats f using 1 name "K" nooutput
set xrange [-0.4:K_max + 0.4]
set yrange [0:105]
set ytics 0, 10, 100 format "%g %%"
set xtics 1 scale 0.5
set xlabel "months since the cohort's first month (k); under each, the cohorts that completed it" offset 0,-1
set ylabel "share of the cohorts' customers ordering in month k"
set key noautotitle top right box lc rgb "#bbbbbb" reverse Left width 1 spacing 1.3
set style textbox opaque noborder margins 1,1
set label 98 "retention_rate: sum(active) / sum(cohort_size), weighted by cohort size; mean_rate: the plain mean of the cohorts' rates.\nLate months average only the oldest cohorts: month 11 is the December 2010 cohort alone (the first month of the data, so it holds\nthe shop's earlier customers too) and lands in November 2011, the busiest month: read the rise at the end with care." \
    at screen 0.02, screen 0.06 left font ",8.5" tc rgb grey
plot f using 1:(100 * $5):xtic(sprintf("%d\n(%d)", $1, $2)) with linespoints lw 2.5 pt 7 ps 1.1 lc rgb ink \
         title "retention_rate (weighted)", \
     f using 1:(100 * $6) with linespoints lw 1.5 dt 2 pt 6 ps 1.0 lc rgb model title "mean_rate", \
     f using ($1 + ($1 == 1 ? 0.22 : 0)):(100 * $5):(sprintf("%.1f", 100 * $5)) \
         with labels boxed offset 0,1.3 font ",9" tc rgb ink

#########################################################################################
# 3. CDNOW: BG/NBD, actual vs expected weekly repeat transactions (bgnbd_weekly.csv)
#########################################################################################
fm = csv . "/bgnbd_model.csv"
f = csv . "/bgnbd_weekly.csv"
reset
eval common
set output out . "/bgnbd_weekly.png"
stats fm using 1 name "R" nooutput
stats fm using 2 name "ALPHA" nooutput
stats fm using 3 name "A" nooutput
stats fm using 4 name "B" nooutput
stats fm using 6 name "N" nooutput
stats f using ($1 <= 39 ? $2 : 0) name "CA" nooutput
stats f using ($1 <= 39 ? $3 : 0) name "CE" nooutput
stats f using ($1 > 39 ? $2 : 0) name "HA" nooutput
stats f using ($1 > 39 ? $3 : 0) name "HE" nooutput
stats f using 2 name "Y" nooutput
set grid ytics lc rgb "#e4e4e4" lt 1
set title sprintf("CDNOW sample (%s customers): weekly repeat transactions, actual vs BG/NBD", commas(N_min)) offset 0,2.2
set label 99 sprintf("bgnbd_fit(frequency, recency / 7, t / 7) over rfm(ordered_on, amount, date '1997-09-30'): r %.3f, alpha %.3f, a %.3f, b %.3f\nweek w: sum over customers of expected_purchases(model, w - b) - expected_purchases(model, w - 1 - b), b = first purchase week", \
                     R_min, ALPHA_min, A_min, B_min) at screen 0.5, screen 0.905
set tmargin 5.5
set bmargin 5
set xrange [0:79]
set yrange [0:ceil(Y_max * 1.12 / 10) * 10]
set xtics (1, 13, 26, 39, 52, 65, 78) scale 0.5
set xlabel "week (week 1: 1-7 January 1997; week 78 ends 30 June 1998)"
set ylabel "repeat transactions in the week"
set key noautotitle top right box lc rgb "#bbbbbb" reverse Left width 1 spacing 1.3
set arrow 1 from 39.5, graph 0 to 39.5, graph 1 nohead dt 3 lw 1.5 lc rgb grey
set label 1 "end of calibration\n(1997-09-30, week 39)" at 40.2, graph 0.95 left font ",9" tc rgb grey
set label 2 sprintf("calibration, weeks 1-39:\nactual %s, expected %s", commas(CA_sum), commas(CE_sum)) at 20, graph 0.12 center font ",9" tc rgb grey
set label 3 sprintf("holdout, weeks 40-78:\nactual %s, expected %s", commas(HA_sum), commas(HE_sum)) at 59, graph 0.12 center font ",9" tc rgb grey
set label 98 "A repeat transaction is a purchase day after the customer's first (orders on one day count once, as the model counts them)." \
    at screen 0.02, screen 0.035 left font ",8.5" tc rgb grey
plot f using 1:2 with lines lw 2 lc rgb ink title "actual", \
     f using 1:3 with lines lw 2.5 dt 2 lc rgb model title "BG/NBD expected"
