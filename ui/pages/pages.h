/* pages.h - every page of the wizard, one ui/pages/page_*.c file each. */
#ifndef CPSREG_UI_PAGES_H
#define CPSREG_UI_PAGES_H

#include "frame.h"

/* The wizard's table of pages for app_run() (wizard.c). */
extern const struct app_pages wizard_pages;

extern const struct page page_welcome;    /* page_welcome.c */
extern const struct page page_apply;      /* page_apply.c: the application, three screens */
extern const struct page page_review;     /* page_review.c: review before submit */
extern const struct page page_submitted;  /* page_submitted.c: the resume code, shown once */
extern const struct page page_resume;     /* page_resume.c: continue with a resume code */
extern const struct page page_validation; /* page_validation.c: pending, rejected, validated */
extern const struct page page_password;   /* page_password.c: set the password with the code */
extern const struct page page_login;      /* page_login.c */
extern const struct page page_products;   /* page_products.c: "My products" */
extern const struct page page_product;    /* page_product.c: add, view, edit a product */
extern const struct page page_migration;  /* page_migration.c: MIGRATE PRODUCTS */
extern const struct page page_points;     /* page_points.c */
extern const struct page page_level;      /* page_level.c */
extern const struct page page_payment;    /* page_payment.c: method, confirm, invoice */

#endif
