/* store_sqlite.h - SQLite, opened at run time (src/store_sqlite.c).
 *
 * The program is not linked against libsqlite3.  Debian builds it with
 * every internal function exported and bound at load (over 1,500 symbol
 * relocations), which made it the largest part of the time from exec to
 * the wizard's first page; the wizard draws that page before it opens the
 * database, so the library is opened with it (README, "Performance").
 * cps_store_open() calls cps_sqlite_load() first; the store's files include
 * this header instead of <sqlite3.h> and keep calling sqlite3_step and
 * the other names used here, each a macro for the table's pointer of the
 * same name.  A function not in CPS_SQLITE_FUNCS is not defined by the
 * macros, so the program would fail to link: add it to the list and to the
 * macros below. */
#ifndef CPSREG_STORE_SQLITE_H
#define CPSREG_STORE_SQLITE_H

#include <sqlite3.h>

#include "cpsreg/err.h"

/* every SQLite function the store calls */
#define CPS_SQLITE_FUNCS(X)                                                   \
	X(sqlite3_bind_blob64) X(sqlite3_bind_int) X(sqlite3_bind_int64)      \
	X(sqlite3_bind_null) X(sqlite3_bind_parameter_count)                  \
	X(sqlite3_bind_pointer) X(sqlite3_bind_text) X(sqlite3_busy_handler)  \
	X(sqlite3_changes) X(sqlite3_clear_bindings) X(sqlite3_close_v2)      \
	X(sqlite3_column_blob) X(sqlite3_column_bytes)                        \
	X(sqlite3_column_count) X(sqlite3_column_double)                      \
	X(sqlite3_column_int) X(sqlite3_column_int64) X(sqlite3_column_name)  \
	X(sqlite3_column_text) X(sqlite3_column_type) X(sqlite3_config)       \
	X(sqlite3_create_module) X(sqlite3_declare_vtab) X(sqlite3_errcode)   \
	X(sqlite3_errmsg) X(sqlite3_errstr) X(sqlite3_exec)                   \
	X(sqlite3_extended_errcode)                                           \
	X(sqlite3_finalize) X(sqlite3_free) X(sqlite3_get_autocommit)         \
	X(sqlite3_last_insert_rowid) X(sqlite3_malloc) X(sqlite3_open_v2)     \
	X(sqlite3_prepare_v2) X(sqlite3_prepare_v3) X(sqlite3_reset)          \
	X(sqlite3_result_int) X(sqlite3_result_int64) X(sqlite3_result_null)  \
	X(sqlite3_result_text)                                                \
	X(sqlite3_sql) X(sqlite3_step) X(sqlite3_system_errno)                \
	X(sqlite3_value_pointer) X(sqlite3_wal_autocheckpoint)                \
	X(sqlite3_wal_checkpoint_v2)

/* one pointer per function, of the type sqlite3.h declares for it */
#define CPS_SQLITE_MEMBER(name) __typeof__(name) *name;
struct cps_sqlite_api {
	CPS_SQLITE_FUNCS(CPS_SQLITE_MEMBER)
};
#undef CPS_SQLITE_MEMBER

/* Filled by cps_sqlite_load(); every pointer is NULL before. */
extern struct cps_sqlite_api cps_sqlite;

/* Opens libsqlite3 and fills cps_sqlite; once it has, later calls return
 * at once.  CPS_ERR_MISSING when the library is not installed or lacks a
 * function the store calls; the message says which package to install. */
enum cps_err cps_sqlite_load(struct cps_error *err);

/* Each name stands for the table's pointer of the same name (a macro is
 * not expanded again inside its own expansion).  store_sqlite.c itself
 * needs the plain names. */
#ifndef CPS_STORE_SQLITE_SELF
#define sqlite3_bind_blob64 cps_sqlite.sqlite3_bind_blob64
#define sqlite3_bind_int cps_sqlite.sqlite3_bind_int
#define sqlite3_bind_int64 cps_sqlite.sqlite3_bind_int64
#define sqlite3_bind_null cps_sqlite.sqlite3_bind_null
#define sqlite3_bind_parameter_count cps_sqlite.sqlite3_bind_parameter_count
#define sqlite3_bind_pointer cps_sqlite.sqlite3_bind_pointer
#define sqlite3_bind_text cps_sqlite.sqlite3_bind_text
#define sqlite3_busy_handler cps_sqlite.sqlite3_busy_handler
#define sqlite3_changes cps_sqlite.sqlite3_changes
#define sqlite3_clear_bindings cps_sqlite.sqlite3_clear_bindings
#define sqlite3_close_v2 cps_sqlite.sqlite3_close_v2
#define sqlite3_column_blob cps_sqlite.sqlite3_column_blob
#define sqlite3_column_bytes cps_sqlite.sqlite3_column_bytes
#define sqlite3_column_count cps_sqlite.sqlite3_column_count
#define sqlite3_column_double cps_sqlite.sqlite3_column_double
#define sqlite3_column_int cps_sqlite.sqlite3_column_int
#define sqlite3_column_int64 cps_sqlite.sqlite3_column_int64
#define sqlite3_column_name cps_sqlite.sqlite3_column_name
#define sqlite3_column_text cps_sqlite.sqlite3_column_text
#define sqlite3_column_type cps_sqlite.sqlite3_column_type
#define sqlite3_config cps_sqlite.sqlite3_config
#define sqlite3_create_module cps_sqlite.sqlite3_create_module
#define sqlite3_declare_vtab cps_sqlite.sqlite3_declare_vtab
#define sqlite3_errcode cps_sqlite.sqlite3_errcode
#define sqlite3_errmsg cps_sqlite.sqlite3_errmsg
#define sqlite3_errstr cps_sqlite.sqlite3_errstr
#define sqlite3_exec cps_sqlite.sqlite3_exec
#define sqlite3_extended_errcode cps_sqlite.sqlite3_extended_errcode
#define sqlite3_finalize cps_sqlite.sqlite3_finalize
#define sqlite3_free cps_sqlite.sqlite3_free
#define sqlite3_get_autocommit cps_sqlite.sqlite3_get_autocommit
#define sqlite3_last_insert_rowid cps_sqlite.sqlite3_last_insert_rowid
#define sqlite3_malloc cps_sqlite.sqlite3_malloc
#define sqlite3_open_v2 cps_sqlite.sqlite3_open_v2
#define sqlite3_prepare_v2 cps_sqlite.sqlite3_prepare_v2
#define sqlite3_prepare_v3 cps_sqlite.sqlite3_prepare_v3
#define sqlite3_reset cps_sqlite.sqlite3_reset
#define sqlite3_result_int cps_sqlite.sqlite3_result_int
#define sqlite3_result_int64 cps_sqlite.sqlite3_result_int64
#define sqlite3_result_null cps_sqlite.sqlite3_result_null
#define sqlite3_result_text cps_sqlite.sqlite3_result_text
#define sqlite3_sql cps_sqlite.sqlite3_sql
#define sqlite3_step cps_sqlite.sqlite3_step
#define sqlite3_system_errno cps_sqlite.sqlite3_system_errno
#define sqlite3_value_pointer cps_sqlite.sqlite3_value_pointer
#define sqlite3_wal_autocheckpoint cps_sqlite.sqlite3_wal_autocheckpoint
#define sqlite3_wal_checkpoint_v2 cps_sqlite.sqlite3_wal_checkpoint_v2
#endif

#endif
