/* clv_pareto.c: stub, filled in by issue 5 */
#include "postgres.h"
