/* staff.h - the staff console ("cpsreg staff"): its pages, one
 * ui/staff/page_*.c file each, on the same kit as the wizard (ui/kit). */
#ifndef CPSREG_STAFF_H
#define CPSREG_STAFF_H

#include "frame.h"

/* The console's table of pages for app_run() (console.c). */
extern const struct app_pages staff_pages;

extern const struct page staff_page_queue;     /* page_queue.c: applications waiting, oldest first */
extern const struct page staff_page_case;      /* page_case.c: one application in full, the decisions */
extern const struct page staff_page_messages;  /* page_messages.c: messages waiting, handed over */
extern const struct page staff_page_find;      /* page_find.c: find a customer */
extern const struct page staff_page_customer;  /* page_customer.c: old e-mail, codes, export, erase */
extern const struct page staff_page_document;  /* page_document.c: the proof document, written to a file */
extern const struct page staff_page_limits;    /* page_limits.c: waits after wrong tries, lifted */
extern const struct page staff_page_import;    /* page_import.c: catalog and old accounts, problems listed */
extern const struct page staff_page_who;       /* page_who.c: the name of who opened it at a kiosk */

/* The console opened at a kiosk with the staff PIN: it first asks the
 * name of who is there (page_who.c); ^Q or kiosk.idle_timeout without a
 * key go back to the kiosk; the actions are recorded as by "<name> at
 * <tty>".  app_run()'s answer. */
int staff_console_at_kiosk(struct cps_engine *e, const struct cps_config *cfg,
			   volatile sig_atomic_t *stop);

/* Who is at the console: the name every action is recorded with (the
 * user who ran sudo, else the Unix user; at a kiosk, the name given and
 * the screen). */
const char *staff_actor(void);
/* At a kiosk: the name given on page_who.c ("" before), and giving it. */
const char *staff_kiosk_name(void);
void staff_kiosk_set_name(const char *name);

/* A page of no one customer: its state (size bytes, app_page_state) and
 * nobody's steps in the strip.  0, or -1 when out of memory. */
int staff_page_enter(struct app *a, size_t size);

/* The rows of a list, one button each (ids first_id, first_id + 1, ...)
 * from row on, the line cut to the body's width; hint is translated. */
#define STAFF_LINE 256
void staff_list(struct app *a, int first_id, int row, const char (*lines)[STAFF_LINE],
		int n, const char *hint);

/* A time as the console shows it ("2026-05-14 09:30"). */
void staff_time(time_t t, char *out, size_t len);

#endif
