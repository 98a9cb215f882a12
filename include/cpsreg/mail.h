/* mail.h - delivering the waiting messages through a sendmail-compatible
 * command (mail.sendmail), when the shop sets one.
 *
 * Each message goes as one RFC 5322 message on the command's standard
 * input: From (mail.from, when set), To, Subject (MIME encoded-words when
 * it is not plain ASCII), Date, Message-ID, MIME-Version, a UTF-8 text
 * body in quoted-printable, and Content-Language (the customer's
 * language, in which the message was written).  The command is run
 * without a shell, split at spaces, and must take the recipient from the
 * To: header (sendmail -t).  A message is marked delivered ("sendmail")
 * only when the command read it all and exited with status 0; otherwise
 * it keeps waiting (cpsreg messages still lists it). */
#ifndef CPSREG_MAIL_H
#define CPSREG_MAIL_H

#include <time.h>

#include "cpsreg/engine.h"
#include "cpsreg/err.h"

/* Delivers every waiting message (oldest first) when mail.sendmail is set.
 * *sent and *failed get the counts.  CPS_OK when every message went;
 * CPS_ERR_IO when one failed (err says why; the rest were still tried);
 * CPS_ERR_INVALID when mail.sendmail is empty; CPS_ERR_BUSY, sending
 * nothing, while another process (another kiosk's sync) sends them, so
 * that no message is mailed twice. */
enum cps_err cps_mail_deliver(struct cps_engine *e, int *sent, int *failed,
			      struct cps_error *err);

/* The whole message as cps_mail_deliver() writes it (malloc'd, NULL when
 * out of memory).  from may be "" (no From: header; sendmail adds one);
 * lang "" leaves out Content-Language; message_id without the brackets. */
char *cps_mail_compose(const char *from, const char *to, const char *subject,
		       const char *body, const char *lang, time_t date,
		       const char *message_id);

#endif
