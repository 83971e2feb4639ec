/* clv_pareto.c: placeholder until the Pareto/NBD math lands */
#include "clv_models.h"
#include <math.h>
double pnbd_ll(const double *par, double x, double tx, double T) { return NAN; }
double pnbd_ll_sum(const double *par, const ClvPatterns *d, double *grad) { return NAN; }
double pnbd_p_alive(const double *par, double x, double tx, double T) { return NAN; }
double pnbd_expected_purchases(const double *par, double t, double x, double tx, double T) { return NAN; }
double pnbd_expected_purchases_new(const double *par, double t) { return NAN; }
