/* fuzz_fields.c - the checks of what a customer types into the application
 * form: the e-mail and phone checks of ident.h and every field of
 * cps_application_check_field (the postcode, names, country, language,
 * yes/no answers, document type), on one input.
 *
 * Properties: OK or INVALID only; a normalised value fits its buffer and
 * checking it again gives itself (what was saved is accepted when loaded). */
#include <stdlib.h>
#include <string.h>

#include "cpsreg/account.h"
#include "cpsreg/ident.h"
#include "fuzz.h"

static void email(const char *s)
{
	char norm[CPS_EMAIL_MAX], again[CPS_EMAIL_MAX];
	struct cps_error err = { 0 };
	enum cps_err rc = cps_ident_email(s, norm, sizeof(norm), &err);

	FZ_ASSERT(rc == CPS_OK || rc == CPS_ERR_INVALID);
	if (rc != CPS_OK)
		return;
	FZ_ASSERT(strlen(norm) < CPS_EMAIL_MAX);
	FZ_ASSERT(cps_ident_email(norm, again, sizeof(again), &err) == CPS_OK);
	FZ_ASSERT(strcmp(norm, again) == 0);
}

static void phone(const char *s)
{
	char norm[CPS_PHONE_MAX], again[CPS_PHONE_MAX];
	struct cps_error err = { 0 };
	enum cps_err rc = cps_ident_phone(s, norm, sizeof(norm), &err);

	FZ_ASSERT(rc == CPS_OK || rc == CPS_ERR_INVALID);
	if (rc != CPS_OK)
		return;
	FZ_ASSERT(strlen(norm) < CPS_PHONE_MAX);
	FZ_ASSERT(cps_ident_phone(norm, again, sizeof(again), &err) == CPS_OK);
	FZ_ASSERT(strcmp(norm, again) == 0);
}

static void field(struct cps_engine *e, const struct cps_application *app,
		  enum cps_app_field f, const char *s)
{
	char norm[CPS_APP_NAME_SIZE], again[CPS_APP_NAME_SIZE];
	struct cps_error err = { 0 };
	enum cps_err rc = cps_application_check_field(e, app, f, s, norm, sizeof(norm), &err);

	FZ_ASSERT(rc == CPS_OK || rc == CPS_ERR_INVALID);
	FZ_ASSERT(memchr(err.msg, '\0', sizeof(err.msg)) != NULL);
	if (rc != CPS_OK)
		return;
	FZ_ASSERT(memchr(norm, '\0', sizeof(norm)) != NULL);
	FZ_ASSERT(cps_application_check_field(e, app, f, norm, again, sizeof(again), &err) == CPS_OK);
	FZ_ASSERT(strcmp(norm, again) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cps_engine *e = fz_engine();
	struct cps_application app;
	char *s;

	if (size > 8192)
		return 0;
	s = fz_cstr(data, size);
	email(s);
	phone(s);
	memset(&app, 0, sizeof(app));
	app.vat_registered = CPS_VAT_UNANSWERED;
	for (int f = 0; f < CPS_FIELD_COUNT; f++)
		field(e, NULL, (enum cps_app_field)f, s);
	/* with a context: the VAT number and document depend on it */
	memcpy(app.country, "DK", 3);
	app.vat_registered = CPS_VAT_YES;
	field(e, &app, CPS_FIELD_VAT_NUMBER, s);
	field(e, &app, CPS_FIELD_DOCUMENT, s);
	app.vat_registered = CPS_VAT_NO;
	field(e, &app, CPS_FIELD_DOCUMENT, s);
	free(s);
	return 0;
}
