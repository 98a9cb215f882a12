/* session.h - the customer at the screen: what the pages hand on to each
 * other (who it is, the resume code, the chosen level, the product open,
 * where the application form should open, what the form held).
 *
 * Everything a customer leaves behind lives here or in the page's own
 * state (which the frame frees on every page change), so one call wipes it
 * all between customers: session_reset() on Done, on a new start and when
 * the kiosk closes an idle session. */
#ifndef CPSREG_UI_SESSION_H
#define CPSREG_UI_SESSION_H

#include <stddef.h>

struct session {
	long long account_id;     /* 0: nobody yet */
	char resume_code[32];     /* shown while the draft is being filled in */
	char chosen_level[32];    /* the level page's choice, for the payment page */
	long long product_id;     /* the product page's product; 0: a new one */
	/* Set by a page that sends the customer to the application form: the
	 * field to correct (its screen opens with the problems shown), or only
	 * the screen to open; -1: none.  The form takes them as it opens. */
	int goto_field;
	int goto_screen;
	/* What a page keeps for this customer beyond one visit (the form's text
	 * that the engine did not take, so it is not stored); owned here and
	 * wiped with the rest. */
	void *memo;
	size_t memo_size;
};

/* A session with nobody at the screen. */
void session_init(struct session *s);
/* Wipes every string and the memo (explicit_bzero) and starts over. */
void session_reset(struct session *s);
/* The memo of size bytes, zeroed when it is new, or NULL. */
void *session_memo(struct session *s, size_t size);
/* Wipes and frees the memo. */
void session_forget_memo(struct session *s);

#endif
