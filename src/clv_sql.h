/*
 * clv_sql.h
 *		The SQL side of the CLV models: argument checks and the model
 *		composite types (clv_predict.c), shared with the fits (clv_fit.c).
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

/*
 * The model composite the function being called returns: nparams
 * parameters, then (when fit is not NULL) log_likelihood, customers,
 * iterations, converged, at_bound, gradient_norm, patterns and, for
 * gamma_gamma_model, skipped; NULLs where there is no fit.
 */
extern Datum clv_model_datum(FunctionCallInfo fcinfo, int nparams, const double *par,
							 const ClvFit *fit, int64 customers, int64 patterns, int64 skipped);

#endif							/* RETENTION_CLV_SQL_H */
