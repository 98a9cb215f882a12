/* kiosk.h - the staff PIN that guards leaving a kiosk (README, "Running a
 * kiosk").
 *
 * The PIN is checked against kiosk.staff_pin_hash (yescrypt, made by
 * `cpsreg hash-pin`).  Wrong tries in a row make the next try wait, longer
 * each time, so that a walk-up customer cannot guess the PIN at the
 * screen.  The count lives in the engine: one engine serves one terminal. */
#ifndef CPSREG_KIOSK_H
#define CPSREG_KIOSK_H

#include "cpsreg/engine.h"
#include "cpsreg/err.h"

/* Wrong PINs in a row that cost no wait; then 2, 4, 8, ... seconds. */
#define CPS_PIN_FREE_TRIES 2
/* The longest wait, in seconds. */
#define CPS_PIN_MAX_DELAY 300

/* 1 when kiosk.staff_pin_hash is set: the kiosk can be left with the PIN. */
int cps_kiosk_pin_configured(const struct cps_engine *e);

/* Checks a staff PIN.  CPS_OK when it matches; CPS_ERR_AUTH for a wrong
 * PIN; CPS_ERR_BUSY, saying how many seconds to wait, while the delay after
 * a wrong try runs (the PIN is then not even compared); CPS_ERR_STATE when
 * no PIN hash is configured.  *wait_out (may be NULL) gets the seconds the
 * next try must wait (0: none).  The PIN is never copied or kept. */
enum cps_err cps_kiosk_pin_check(struct cps_engine *e, const char *pin, long *wait_out,
				 struct cps_error *err);

#endif
