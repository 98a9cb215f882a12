/* curl_load.h - libcurl, opened at run time (src/curl_load.c).
 *
 * The program is not linked against libcurl: its dependency tree (TLS,
 * HTTP/2, SSH, LDAP, Kerberos, ...) cost most of every start-up and much
 * of the memory of a wizard that never syncs in its own process (README,
 * "Performance").  The sync opens the library with cps_curl_load() and
 * calls it through the table below.  A file that includes this header
 * instead of <curl/curl.h> keeps writing curl_easy_setopt(...) and the
 * other names used here; each one is a macro for the table's pointer.
 * A name not in the table is not defined by the macros, so it would
 * fail to link: add it to the table and to curl_load.c first. */
#ifndef CPSREG_CURL_LOAD_H
#define CPSREG_CURL_LOAD_H

#include <curl/curl.h>

#include "cpsreg/err.h"

struct cps_curl_api {
	CURLcode (*global_init)(long flags);
	void (*global_cleanup)(void);
	CURL *(*easy_init)(void);
	CURLcode (*easy_setopt)(CURL *h, CURLoption option, ...);
	CURLcode (*easy_perform)(CURL *h);
	CURLcode (*easy_getinfo)(CURL *h, CURLINFO info, ...);
	void (*easy_cleanup)(CURL *h);
	const char *(*easy_strerror)(CURLcode c);
	char *(*easy_escape)(CURL *h, const char *s, int len);
	void (*mem_free)(void *p);
	struct curl_slist *(*slist_append)(struct curl_slist *l, const char *s);
	void (*slist_free_all)(struct curl_slist *l);
};

/* Filled by cps_curl_load(); every pointer is NULL before. */
extern struct cps_curl_api cps_curl;

/* Opens libcurl and fills cps_curl, once per process (later calls only
 * say how the first ended).  CPS_ERR_MISSING when the library is not
 * installed or lacks a function cpsreg calls; the message says which
 * package to install. */
enum cps_err cps_curl_load(struct cps_error *err);

/* curl.h makes these two macros (its type checks, or a check of the
 * number of arguments) that call the functions by name: the table's
 * pointers take their place */
#undef curl_easy_setopt
#undef curl_easy_getinfo

#define curl_global_init cps_curl.global_init
#define curl_global_cleanup cps_curl.global_cleanup
#define curl_easy_init cps_curl.easy_init
#define curl_easy_setopt cps_curl.easy_setopt
#define curl_easy_perform cps_curl.easy_perform
#define curl_easy_getinfo cps_curl.easy_getinfo
#define curl_easy_cleanup cps_curl.easy_cleanup
#define curl_easy_strerror cps_curl.easy_strerror
#define curl_easy_escape cps_curl.easy_escape
#define curl_free cps_curl.mem_free
#define curl_slist_append cps_curl.slist_append
#define curl_slist_free_all cps_curl.slist_free_all

#endif
