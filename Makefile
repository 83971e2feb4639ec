# PGXS build of the retention extension.
#   make                      build (PG_CONFIG=/path/to/pg_config to pick a server)
#   make install              install into that server
#   make installcheck         run the pg_regress suite (sql/, expected/)
#   make PG_CFLAGS='-Wall -Wextra -Werror ...'   CI builds: warnings are errors

EXTENSION  = retention
MODULE_big = retention
OBJS = \
	src/retention.o \
	src/flat_io.o \
	src/text_io.o \
	src/keytable.o \
	src/money.o \
	src/period.o \
	src/agg_args.o \
	src/agg_state.o \
	src/customer_state.o \
	src/customer_runs.o \
	src/state_spill.o \
	src/order_stats_state.o \
	src/order_stats_agg.o \
	src/order_stats_type.o \
	src/order_stats_runs.o \
	src/clv.o \
	src/cohort_state.o \
	src/cohort_flat.o \
	src/cohort_log.o \
	src/key_log.o \
	src/order_stats_log.o \
	src/rfm_agg_log.o \
	src/cohort_runs.o \
	src/cohort_agg.o \
	src/cohort_matrix.o \
	src/cohort_report.o \
	src/result_set.o \
	src/revenue_matrix.o \
	src/revenue_report.o \
	src/matrix_sum.o \
	src/revenue_sum.o \
	src/retention_sum.o \
	src/condition_retention.o \
	src/rfm_state.o \
	src/rfm_io.o \
	src/rfm_agg.o \
	src/rfm_holdout.o \
	src/rfm_agg_state.o \
	src/rfm_agg_read.o \
	src/rfm_agg_spill.o \
	src/rfm_table.o \
	src/rfm_agg_runs.o \
	src/clv_host.o \
	src/clv_math.o \
	src/bfgs.o \
	src/clv_bgnbd.o \
	src/clv_pareto.o \
	src/clv_sbg.o \
	src/clv_bgbb.o \
	src/clv_gamma_gamma.o \
	src/clv_counts.o \
	src/clv_estimate.o \
	src/clv_sql.o \
	src/clv_fit.o \
	src/clv_predict.o \
	src/clv_forecast.o \
	src/window_funnel.o \
	src/window_funnel_level.o \
	src/funnel_table.o \
	src/retention_agg.o \
	src/retention_state.o \
	src/retention_spill.o \
	src/retention_matrix.o

# The full install script of the default version is generated from retention.sql.in
# (tools/expand_sql) and committed; retention--1.0.sql and the upgrade scripts are
# written by hand.
EXT_VERSION := $(shell sed -n "s/^default_version = '\(.*\)'/\1/p" $(EXTENSION).control)
DATA = retention--$(EXT_VERSION).sql retention--1.0.sql $(wildcard retention--*--*.sql)
PGFILEDESC = "retention - cohort retention and order KPIs"

REGRESS = setup order_stats_basic order_stats_edge order_stats_types order_stats_io order_stats_parallel order_stats_clv order_stats_large order_stats_limits cohort_basic cohort_periods cohort_io cohort_parallel cohort_limits retention_conditions \
	$(REGRESS_RFM) $(REGRESS_CLV)
# the RFM summary (src/rfm_*.c)
REGRESS_RFM = rfm_basic rfm_errors rfm_io rfm_parallel
# the predictive CLV models (src/clv_*.c)
REGRESS_CLV = clv_models clv_weighted clv_limits
# float8 / float4 amounts (1.4); hostile input to every type input function; every
# aggregate's memory bound and cancel; the bugs fuzzing found
REGRESS += float_amounts hostile_input limits_all fuzz_regressions
# revenue retention (1.5)
REGRESS += revenue_basic
# sBG, BG/BB and standard errors (1.6)
REGRESS += clv_forecasts
# purchase-count distributions (1.6)
REGRESS += clv_counts
# calibration and holdout summaries (1.6)
REGRESS += rfm_holdout
# sums of final values over disjoint customer sets (1.7)
REGRESS += matrix_sums
# window_funnel (1.7)
REGRESS += window_funnel
# funnel_agg, funnel_table: how many actors reached each step (1.7)
REGRESS += funnel_table
# 1.7: the RFM summary of every customer in one pass (rfm_agg, rfm_table)
REGRESS += rfm_agg
# retention_agg (1.7)
REGRESS += retention_agg
# states over retention.max_state_memory spill to disk (issue 17)
REGRESS += spill
# partial cohort_agg and order_stats states log and sort their rows (issue 17)
REGRESS += partial_log
# revenue_agg and rfm_agg spill too (issue 17)
REGRESS += spill_more
# retention_agg spills to disk too (1.7)
REGRESS += spill_retention
REGRESS_OPTS = --inputdir=. --outputdir=.

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# every object depends on the headers (PGXS tracks no header dependencies)
$(OBJS): $(wildcard src/*.h)

all: retention--$(EXT_VERSION).sql
retention--$(EXT_VERSION).sql: retention.sql.in tools/expand_sql $(EXTENSION).control
	tools/expand_sql $< $(EXT_VERSION) > $@.tmp && mv $@.tmp $@
