#include "pages.h"
const struct page page_apply = { .name = "apply", .step = CPS_STEP_ACCOUNT, .title = "Apply" };
const struct page page_resume = { .name = "resume", .step = CPS_STEP_ACCOUNT, .title = "Resume" };
const struct page page_password = { .name = "password", .step = CPS_STEP_VALIDATION, .title = "Password" };
const struct page page_login = { .name = "login", .step = CPS_STEP_COUNT, .title = "Login" };
const struct page page_validation = { .name = "v", .step = CPS_STEP_VALIDATION, .title = "V" };
const struct page page_products = { .name = "p", .step = CPS_STEP_PRODUCTS, .title = "P" };
const struct page page_migration = { .name = "m", .step = CPS_STEP_MIGRATION, .title = "M" };
const struct page page_points = { .name = "pt", .step = CPS_STEP_POINTS, .title = "Pt" };
const struct page page_level = { .name = "l", .step = CPS_STEP_LEVEL, .title = "L" };
const struct page page_payment = { .name = "pay", .step = CPS_STEP_PAYMENT, .title = "Pay" };
