/* wizard.c - the wizard's table of pages for the kit: the welcome page
 * first, and the page that serves each step of the flow. */
#include "pages.h"

static const struct page *for_step(enum cps_step step)
{
	switch (step) {
	case CPS_STEP_ACCOUNT:    return &page_apply;
	case CPS_STEP_VALIDATION: return &page_validation;
	case CPS_STEP_PRODUCTS:   return &page_products;
	case CPS_STEP_MIGRATION:  return &page_migration;
	case CPS_STEP_POINTS:     return &page_points;
	case CPS_STEP_LEVEL:      return &page_level;
	case CPS_STEP_PAYMENT:    return &page_payment;
	default:                  return &page_welcome;
	}
}

const struct app_pages wizard_pages = {
	.home = &page_welcome,
	.for_step = for_step,
};
