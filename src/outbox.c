/* outbox.c - the outbox and outgoing messages (see src/outbox.h and
 * include/cpsreg/message.h). */
#include <stdlib.h>
#include <string.h>

#include "cpsreg/i18n.h"
#include "cpsreg/secret.h"
#include "audit.h"
#include "jsonw.h"
#include "outbox.h"
#include "store_outbox.h"

/* What stands in a message's body where its code was. */
static const char *removed(void)
{
	return _("[code removed]");
}

void cps_json_set(json_t *o, const char *key, json_t *v, int *ok)
{
	if (!v || json_object_set_new(o, key, v) != 0)
		*ok = 0;
}

void cps_json_append(json_t *a, json_t *v, int *ok)
{
	if (!v || json_array_append_new(a, v) != 0)
		*ok = 0;
}

json_t *cps_json_done(json_t *o, int ok)
{
	if (ok)
		return o;
	json_decref(o);
	return NULL;
}

enum cps_err cps_outbox_add(struct cps_engine *e, const char *kind,
			    long long account_id, json_t *payload,
			    struct cps_error *err)
{
	char *data = NULL;

	if (payload) {
		/* the same flags as the row's, so the data reads as if dumped
		 * within it */
		data = json_dumps(payload, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
		json_decref(payload);
		if (!data)
			return cps_error_set(err, CPS_ERR_NOMEM, "%s", _("out of memory"));
	}
	enum cps_err rc = cps_outbox_add_text(e, kind, account_id, data,
					      data ? strlen(data) : 0, err);
	free(data);
	return rc;
}

enum cps_err cps_outbox_add_text(struct cps_engine *e, const char *kind,
				 long long account_id, const char *data,
				 size_t data_len, struct cps_error *err)
{
	char key[CPS_TOKEN_SIZE];
	struct cps_jw w;
	time_t now = cps_engine_now(e);
	enum cps_err rc = cps_token_new(key, sizeof(key), err);

	if (rc != CPS_OK)
		return rc;
	/* the keys in sorted order, as JSON_SORT_KEYS puts them */
	cps_jw_init(&w);
	cps_jw_lit(&w, "{");
	if (account_id > 0) {
		cps_jw_lit(&w, "\"account_id\":");
		cps_jw_int(&w, account_id);
		cps_jw_lit(&w, ",");
	}
	cps_jw_lit(&w, "\"at\":");
	cps_jw_int(&w, (long long)now);
	if (data) {
		cps_jw_lit(&w, ",\"data\":");
		cps_jw_raw(&w, data, data_len);
	}
	cps_jw_lit(&w, ",\"idempotency_key\":");
	cps_jw_str(&w, key);
	cps_jw_lit(&w, ",\"kind\":");
	cps_jw_str(&w, kind);
	cps_jw_lit(&w, "}");
	if (!cps_jw_ok(&w)) {
		cps_jw_free(&w);
		return cps_error_set(err, CPS_ERR_NOMEM, "%s",
				     _("out of memory (the change for the remote could not be written)"));
	}
	rc = cps_store_outbox_insert(e->store, key, kind, account_id, w.buf, now, err);
	cps_jw_free(&w);
	return rc;
}

enum cps_err cps_message_queue(struct cps_engine *e, long long account_id,
			       const char *kind, const char *recipient,
			       const char *subject, const char *body,
			       struct cps_error *err)
{
	return cps_message_queue_code(e, account_id, kind, recipient, subject, body,
				      NULL, 0, err);
}

enum cps_err cps_message_queue_code(struct cps_engine *e, long long account_id,
				    const char *kind, const char *recipient,
				    const char *subject, const char *body,
				    const char *code, time_t code_expires,
				    struct cps_error *err)
{
	long long id;
	enum cps_err rc = cps_store_message_insert(e->store, account_id, kind, recipient,
						   subject, body, code, code_expires,
						   cps_engine_now(e), &id, err);
	if (rc != CPS_OK)
		return rc;
	/* "shop": the shop sends it itself (mail.sendmail), so the remote
	 * only records it; "remote": the remote is to deliver it */
	int by_shop = e->cfg->mail_sendmail && *e->cfg->mail_sendmail;
	json_t *p = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s}", "message_id", (json_int_t)id,
			      "kind", kind, "recipient", recipient, "subject", subject,
			      "body", body, "delivery", by_shop ? "shop" : "remote");
	if (!p)
		return cps_error_set(err, CPS_ERR_NOMEM, "%s", _("out of memory"));
	return cps_outbox_add(e, "message", account_id, p, err);
}

enum cps_err cps_message_codes_used(struct cps_engine *e, long long account_id,
				    struct cps_error *err)
{
	return cps_store_message_wipe(e->store, CPS_WIPE_ACCOUNT, account_id, "used",
				      removed(), cps_engine_now(e), NULL, err);
}

enum cps_err cps_messages_pending(struct cps_engine *e, const char *email,
				  int (*fn)(const struct cps_message *m, void *arg),
				  void *arg, struct cps_error *err)
{
	/* an expired code no longer waits for anyone: it goes first (README,
	 * rules 3.3) */
	enum cps_err rc = cps_store_begin(e->store, err);

	if (rc != CPS_OK)
		return rc;
	rc = cps_store_message_wipe(e->store, CPS_WIPE_EXPIRED, 0, "expired", removed(),
				    cps_engine_now(e), NULL, err);
	if (rc == CPS_OK)
		rc = cps_store_commit(e->store, err);
	else
		cps_store_rollback(e->store);
	if (rc != CPS_OK)
		return rc;
	return cps_store_messages_pending(e->store, email, fn, arg, err);
}

enum cps_err cps_message_handed_over(struct cps_engine *e, long long id,
				     const char *staff_name, struct cps_error *err)
{
	long long account_id = 0;
	enum cps_err rc;

	if (!staff_name || !*staff_name)
		return cps_error_set(err, CPS_ERR_INVALID, "%s",
				     _("Please enter the name of the staff member."));
	rc = cps_store_begin(e->store, err);
	if (rc != CPS_OK)
		return rc;
	rc = cps_store_message_account(e->store, id, &account_id, err);
	if (rc == CPS_OK)
		rc = cps_store_message_delivered(e->store, id, "staff", cps_engine_now(e), err);
	if (rc == CPS_OK)
		rc = cps_store_message_wipe(e->store, CPS_WIPE_MESSAGE, id, "staff", removed(),
					    cps_engine_now(e), NULL, err);
	if (rc == CPS_OK)
		rc = cps_audit_add(e, staff_name, "handed_over", account_id, id, err);
	if (rc == CPS_OK)
		return cps_store_commit(e->store, err);
	cps_store_rollback(e->store);
	return rc;
}

enum cps_err cps_message_mark_delivered(struct cps_engine *e, long long id,
					const char *via, struct cps_error *err)
{
	enum cps_err rc = cps_store_message_delivered(e->store, id, via, cps_engine_now(e), err);

	if (rc == CPS_OK)
		rc = cps_store_message_wipe(e->store, CPS_WIPE_MESSAGE, id, via, removed(),
					    cps_engine_now(e), NULL, err);
	return rc;
}

enum cps_err cps_message_delivered(struct cps_engine *e, long long id,
				   const char *via, struct cps_error *err)
{
	enum cps_err rc = cps_store_begin(e->store, err);

	if (rc != CPS_OK)
		return rc;
	rc = cps_message_mark_delivered(e, id, via, err);
	if (rc == CPS_OK)
		rc = cps_store_commit(e->store, err);
	else
		cps_store_rollback(e->store);
	return rc;
}

enum cps_err cps_outbox_pending(struct cps_engine *e, long long *count,
				struct cps_error *err)
{
	return cps_store_outbox_pending(e->store, count, err);
}

enum cps_err cps_messages_sent(struct cps_engine *e,
			       int (*fn)(const struct cps_message *m, void *arg),
			       void *arg, struct cps_error *err)
{
	return cps_store_messages_sent(e->store, fn, arg, err);
}

/* The message to resend, copied out of the store's row. */
struct resend {
	long long account_id;
	int delivered, has_code;
	char *kind, *recipient, *subject, *body;
};

static int take(const struct cps_message *m, int delivered, void *arg)
{
	struct resend *r = arg;

	r->account_id = m->account_id;
	r->delivered = delivered;
	r->has_code = strcmp(m->kind, "password_set") == 0 || strcmp(m->kind, "password_reset") == 0;
	r->kind = strdup(m->kind);
	r->recipient = strdup(m->recipient);
	r->subject = strdup(m->subject);
	r->body = strdup(m->body);
	return 0;
}

enum cps_err cps_message_resend(struct cps_engine *e, long long id,
				const char *staff_name, struct cps_error *err)
{
	struct resend r = { 0 };
	enum cps_err rc;

	if (!staff_name || !*staff_name)
		return cps_error_set(err, CPS_ERR_INVALID, "%s",
				     _("Please enter the name of the staff member."));
	rc = cps_store_begin(e->store, err);
	if (rc != CPS_OK)
		return rc;
	rc = cps_store_message_get(e->store, id, take, &r, err);
	if (rc == CPS_OK && (!r.kind || !r.recipient || !r.subject || !r.body))
		rc = cps_error_set(err, CPS_ERR_NOMEM, "%s", _("out of memory"));
	else if (rc == CPS_OK && !r.delivered)
		rc = cps_error_set(err, CPS_ERR_STATE, _("Message %lld still waits to be handed over; it needs no resending."), id);
	else if (rc == CPS_OK && r.has_code)
		/* its code was wiped when it was handed over (and a code is
		 * for one use): a new code is the answer */
		rc = cps_error_set(err, CPS_ERR_STATE, "%s",
				   _("A password code is not sent twice: give the customer a new password code instead."));
	if (rc == CPS_OK)
		rc = cps_message_queue(e, r.account_id, r.kind, r.recipient, r.subject, r.body, err);
	if (rc == CPS_OK)
		rc = cps_audit_add(e, staff_name, "resend", r.account_id, id, err);
	if (rc == CPS_OK)
		rc = cps_store_commit(e->store, err);
	else
		cps_store_rollback(e->store);
	free(r.kind);
	free(r.recipient);
	free(r.subject);
	free(r.body);
	return rc;
}
