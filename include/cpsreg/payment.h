/* payment.h - joining CPS: the chosen level, the payment method, the
 * invoice and the membership (README, rules 7-8).
 *
 * cps_enroll() is the last step of the wizard.  It needs a validated
 * account with a password, an invitation and an open level (the rules of
 * level.h over the account's points and registered products), and no
 * membership yet.  In one transaction it then
 *   - issues the invoice (with a remote, requests it; see below): the next number, the level's name and fee from
 *     the config with its VAT (level.h, cps_fee_split), the currency, the method, today as the issue date and
 *     the due date rules.invoice_due_days calendar days later, and the
 *     payment reference ([payment] reference with {invoice} replaced);
 *   - queues the invoice e-mail (kind "invoice") to the account's address
 *     (with a remote, only once the remote's invoice arrives);
 *   - makes the membership, active at once, with a new membership number;
 *     the member number of the old CPS account the products were migrated
 *     from, if any, is kept as the old number, and the customer is told
 *     that the number has changed;
 *   - records an outbox row "enrollment" for the remote.
 * Any refusal changes nothing.
 *
 * With a remote (remote.url set) the invoice is the remote's: the row is
 * stored as requested (its number is the shop's request number, never
 * shown as the invoice's), no e-mail is composed, and the notes say that
 * the invoice comes within a few hours; the sync stores the remote's
 * invoice when it comes (invoice.h) and only then composes the e-mail.
 * The membership is usable at once either way.
 *
 * Card: the fee is not charged now but on the due date.  With a remote
 * the card is given on the remote's payment page, whose link comes with
 * its invoice; without one, staff say how.  cpsreg never asks for a card
 * number and stores nothing about a card.
 * Bank transfer: pay by the due date to the bank details of the config
 * with the payment reference; local bank charges may apply. */
#ifndef CPSREG_PAYMENT_H
#define CPSREG_PAYMENT_H

#include <stddef.h>
#include <time.h>

#include "cpsreg/config.h"
#include "cpsreg/engine.h"
#include "cpsreg/err.h"
#include "cpsreg/legacy.h"
#include "cpsreg/level.h"
#include "cpsreg/membership.h"
#include "cpsreg/workdays.h"

#define CPS_CURRENCY_SIZE 4             /* "EUR" */
#define CPS_OLD_NUMBER_SIZE (CPS_LEGACY_MEMBER_MAX + 1)
#define CPS_PAYMENT_NOTE_MAX 1024
#define CPS_REFERENCE_SIZE 256
#define CPS_PAYMENT_LINK_MAX 512        /* an https:// address of the remote's */
#define CPS_PAYMENT_LINK_SIZE (CPS_PAYMENT_LINK_MAX + 1)

/* Whose invoice a membership has. */
enum cps_invoice_state {
	CPS_INVOICE_LOCAL = 0,   /* issued by the shop (no remote) */
	CPS_INVOICE_REQUESTED,   /* asked of the remote, not there yet */
	CPS_INVOICE_RECEIVED     /* the remote's, as the sync stored it */
};

enum cps_payment_method {
	CPS_PAY_CARD = 0,
	CPS_PAY_BANK
};

/* "card", "bank" (stable, not translated); "" for anything else. */
const char *cps_payment_method_id(enum cps_payment_method method);
/* "Card", "Bank transfer", translated. */
const char *cps_payment_method_label(enum cps_payment_method method);
/* Reads "card" or "bank" (any ASCII case); CPS_ERR_INVALID otherwise. */
enum cps_err cps_payment_method_parse(const char *id,
				      enum cps_payment_method *out);

/* What cps_enroll() did, for the confirmation screen. */
struct cps_enrollment {
	char invoice_number[CPS_INVOICE_NUMBER_SIZE + 16]; /* room for a remote's own form */
	char level_id[CPS_LEVEL_ID_MAX];
	char level_name[CPS_LEVEL_NAME_MAX];
	long amount_cents;                    /* with VAT: what is to be paid */
	struct cps_fee fee;                   /* the same split into net and VAT */
	char currency[CPS_CURRENCY_SIZE];
	char amount_text[CPS_MONEY_SIZE];     /* "100.00 EUR" */
	char issued_on[CPS_YMD_SIZE];         /* YYYY-MM-DD, local date */
	char due_on[CPS_YMD_SIZE];
	enum cps_payment_method method;
	struct cps_bank_details bank;         /* bank transfer only; zero for card */
	char number[CPS_MEMBERSHIP_NUMBER_SIZE]; /* the new membership number */
	char old_number[CPS_OLD_NUMBER_SIZE]; /* the old CPS member number, "" if none */
	int number_changed;                   /* old_number is set */
	time_t active_from;                   /* now: the membership is active at once */
	int invoice_requested;                /* a remote makes the invoice: the number,
					       * amounts and dates above are only what
					       * was asked for, not an invoice to show */
	/* translated notes for the screen */
	char payment_note[CPS_PAYMENT_NOTE_MAX]; /* card: charged on the due date;
						  * bank: pay by the due date,
						  * local bank charges may apply */
	char active_note[256];                /* "Your CPS membership can be used now." */
	char number_note[512];                /* the number has changed; "" when no old one */
};

/* Joins CPS at level_id, paying by method (see the top of this file).
 * result (the caller's, may be uninitialised) is filled on CPS_OK and
 * zeroed otherwise.  Returns
 *   CPS_ERR_NOT_FOUND  no such account, or no such level (the message of
 *                      cps_level_can_choose)
 *   CPS_ERR_STATE      the account is not validated or has no password;
 *                      already a member (the message shows the
 *                      membership); not invited, or the level is not open
 *                      (the message of cps_level_can_choose)
 *   CPS_ERR_INVALID    an unknown method
 * and a store error otherwise. */
enum cps_err cps_enroll(struct cps_engine *e, long long account_id,
			const char *level_id, enum cps_payment_method method,
			struct cps_enrollment *result, struct cps_error *err);

/* A membership as stored, for the screen and the status. */
struct cps_membership {
	char number[CPS_MEMBERSHIP_NUMBER_SIZE];
	char old_number[CPS_OLD_NUMBER_SIZE];  /* "" when none */
	char level_id[CPS_LEVEL_ID_MAX];
	char level_name[CPS_LEVEL_NAME_MAX];
	char invoice_number[CPS_INVOICE_NUMBER_SIZE + 16]; /* room for a remote's own form */
	long amount_cents;
	char currency[CPS_CURRENCY_SIZE];
	char issued_on[CPS_YMD_SIZE];
	char due_on[CPS_YMD_SIZE];
	enum cps_payment_method method;
	char reference[CPS_REFERENCE_SIZE];    /* the payment reference, "" if none */
	time_t active_from;
	/* the invoice's amount split into net and VAT as it was charged,
	 * whatever rules.vat_percent says now */
	struct cps_fee fee;
	int fee_stored;  /* 0: an invoice from before the VAT was stored */
	enum cps_invoice_state invoice_state;
	/* a received invoice: the remote's card payment page ("" if none) and
	 * its bank details ("" where it gave none: the configured ones hold) */
	char payment_link[CPS_PAYMENT_LINK_SIZE];
	char bank_holder[128];
	char bank_iban[48];
	char bank_bic[12];
};

/* The account's membership; CPS_ERR_NOT_FOUND (with a message) when it
 * has none.  m->fee is the invoice's VAT as stored; for an invoice issued
 * before the VAT was stored, it is worked out at today's rate. */
enum cps_err cps_membership_get(struct cps_engine *e, long long account_id,
				struct cps_membership *m,
				struct cps_error *err);

/* The note for the screen and the invoice e-mail about paying: by card,
 * charged on the due date (the program never asks for a card number); by
 * bank transfer, by the due date with the reference, to the bank details
 * shown, or on the invoice when none are configured.  For a membership
 * whose invoice is the remote's, see cps_payment_note_remote(). */
void cps_payment_note(enum cps_payment_method method, const char *amount_text,
		      const char *due_on, const char *reference, int bank_configured,
		      char *out, size_t len);

/* The bank details of a membership's invoice: the invoice's own (the
 * remote's, when it gave an IBAN), else those of [payment] for its
 * number (cps_payment_bank_details). */
enum cps_err cps_membership_bank_details(const struct cps_config *cfg,
					 const struct cps_membership *m,
					 struct cps_bank_details *out,
					 struct cps_error *err);

/* The same note for a membership whose invoice is the remote's: while it
 * is requested, that it comes within a few hours (by e-mail, or from
 * staff) and, for card, that the link to give the card comes with it;
 * once received, by card the payment link and the due date, by bank
 * transfer as cps_payment_note(). */
void cps_payment_note_remote(const struct cps_membership *m, int bank_configured,
			     char *out, size_t len);

/* "Your CPS membership number has changed ..." when there was an old
 * number; "" otherwise. */
void cps_membership_number_note(const char *number, const char *old_number,
				char *out, size_t len);

#endif
