/*
 * clv_sql.h
 *		The SQL side of the CLV models that the fits (clv_fit.c) and the
 *		predictions (clv_predict.c) share (clv_sql.c): argument checks and the
 *		model composite types.
 *
 * Stratum: SQL glue.  Includes the mathematics' interface (clv_models.h) for
 * its types, and the server's headers; never included by the mathematics.
 */
#ifndef RETENTION_CLV_SQL_H
#define RETENTION_CLV_SQL_H

#include "retention.h"
#include "clv_models.h"

#include "fmgr.h"

/* ERROR 22023 with a hint unless x, tx, T are one customer's rfm() columns */
extern void clv_check_customer(double x, double tx, double T);
extern void clv_check_frequency(double x);
extern void clv_check_finite(double v, const char *name);
/* ERROR 22023 with a hint unless 0 <= x <= tx <= n, tx = 0 when x = 0 (BG/BB) */
extern void clv_check_opportunities(int32 x, int32 tx, int32 n);

/*
 * The parameters of the model composite in argument argno, into
 * par[0 .. nparams - 1]: ERROR 22023 with a hint unless each is a positive
 * finite number.
 */
extern void clv_model_params(FunctionCallInfo fcinfo, int argno, ClvModel model, double *par);

/*
 * The model composite the function being called returns: the parameters,
 * then (when fit is not NULL) what the fit reports: log_likelihood,
 * customers, iterations, converged, at_bound, gradient_norm, patterns (or
 * periods), skipped, and the standard errors se_<parameter> (se may be NULL,
 * a NaN in it is a NULL field); NULLs where there is no fit.
 */
extern Datum clv_model_datum(FunctionCallInfo fcinfo, ClvModel model, const double *par,
							 const ClvFit *fit, const double *se, int64 customers,
							 int64 patterns, int64 skipped);

#endif							/* RETENTION_CLV_SQL_H */
