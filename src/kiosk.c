/* kiosk.c - the staff PIN that guards leaving a kiosk, with a growing wait
 * after wrong tries (see include/cpsreg/kiosk.h). */
#include <string.h>

#include "cpsreg/config.h"
#include "cpsreg/i18n.h"
#include "cpsreg/kiosk.h"
#include "cpsreg/secret.h"
#include "engine_private.h"

int cps_kiosk_pin_configured(const struct cps_engine *e)
{
	return e && e->cfg && e->cfg->kiosk_staff_pin_hash && e->cfg->kiosk_staff_pin_hash[0];
}

/* Seconds the try after failed wrong PINs in a row waits. */
static long pin_delay(int failed)
{
	long d = 1;

	if (failed < CPS_PIN_FREE_TRIES)
		return 0;
	for (int n = failed - CPS_PIN_FREE_TRIES; n >= 0 && d < CPS_PIN_MAX_DELAY; n--)
		d *= 2;
	return d > CPS_PIN_MAX_DELAY ? CPS_PIN_MAX_DELAY : d;
}

static long wait_left(const struct cps_engine *e, time_t now)
{
	long delay = pin_delay(e->pin_failed);

	if (delay > 0 && now < e->pin_failed_at + delay)
		return (long)(e->pin_failed_at + delay - now);
	return 0;
}

static enum cps_err wait_error(struct cps_error *err, long wait)
{
	return cps_error_set(err, CPS_ERR_BUSY,
			     dngettext(CPS_TEXTDOMAIN,
				       "Too many wrong PINs. Please wait %ld second and try again.",
				       "Too many wrong PINs. Please wait %ld seconds and try again.",
				       (unsigned long)wait),
			     wait);
}

enum cps_err cps_kiosk_pin_check(struct cps_engine *e, const char *pin, long *wait_out,
				 struct cps_error *err)
{
	time_t now = cps_engine_now(e);
	long wait = wait_left(e, now);

	if (wait_out)
		*wait_out = wait;
	if (!cps_kiosk_pin_configured(e))
		return cps_error_set(err, CPS_ERR_STATE, "%s",
				     _("No staff PIN is set (kiosk.staff_pin_hash), so the kiosk cannot be left from the screen."));
	if (wait > 0)
		return wait_error(err, wait);
	if (pin && pin[0] && cps_password_verify(pin, e->cfg->kiosk_staff_pin_hash)) {
		e->pin_failed = 0;
		e->pin_failed_at = 0;
		return CPS_OK;
	}
	if (e->pin_failed < 1000)
		e->pin_failed++;
	e->pin_failed_at = now;
	wait = wait_left(e, now);
	if (wait_out)
		*wait_out = wait;
	return cps_error_set(err, CPS_ERR_AUTH, "%s", _("That is not the staff PIN."));
}
