/* catalog.h - the Canon products a customer can pick in "My products".
 *
 * The catalog lives in the database.  cps_engine_open() fills it from
 * assets/catalog.csv when it is empty; staff bring in a newer file with
 * cps_catalog_import(), which is all or nothing: one bad line and nothing
 * changes.  A model that a newer file no longer lists is retired (kept for
 * the products already registered, no longer offered for new ones).
 *
 * The type-ahead search ignores case and accents ("EOS R5 Mârk" finds
 * "EOS R5 Mark II") and matches the start of the name or of any word in
 * it; it is cheap enough to run on every key press. */
#ifndef CPSREG_CATALOG_H
#define CPSREG_CATALOG_H

#include <stddef.h>

#include "cpsreg/engine.h"
#include "cpsreg/err.h"

#define CPS_MODEL_MAX 80                       /* characters */
#define CPS_MODEL_SIZE (CPS_MODEL_MAX * 4 + 1) /* bytes of UTF-8, NUL included */
#define CPS_PATTERN_SIZE 64                    /* serial_pattern, NUL included */

/* The oldest release year a catalog may hold (the first EOS camera). */
#define CPS_CATALOG_FIRST_YEAR 1987

/* How many problems an import lists before "... and N more". */
#define CPS_CATALOG_MAX_ERRORS 50

enum cps_category {
	CPS_CAT_BODY = 0,
	CPS_CAT_LENS,
	CPS_CAT_CINEMA,
	CPS_CAT_FLASH,
	CPS_CAT_PRINTER,
	CPS_CAT_OTHER
};
#define CPS_CAT_COUNT 6

struct cps_catalog_item {
	long long id;
	char model[CPS_MODEL_SIZE];
	enum cps_category category;
	int points;            /* what a complete registration earns now */
	int release_year;
	char serial_pattern[CPS_PATTERN_SIZE]; /* "" when unknown */
	int active;            /* 0: retired, only kept for old products */
};

/* The category's label for the screen, translated ("Lens"). */
const char *cps_catalog_category_name(enum cps_category cat);

/* The word used in catalog.csv and the database ("lens"), not translated. */
const char *cps_catalog_category_id(enum cps_category cat);

/* Reads a category word ("lens", any ASCII case); CPS_ERR_INVALID if it
 * is none of body, lens, cinema, flash, printer, other. */
enum cps_err cps_catalog_category_parse(const char *word,
					enum cps_category *out);

/* The serial_pattern language (see the header of assets/catalog.csv):
 * alternatives split by '|', each a run of tokens dN (N digits), aN (N
 * letters A-Z) or xN (N letters or digits), N from 1 to 20.  "" means
 * "no pattern known". */

/* 1 if pattern is valid ("" is); else 0 and, when why is not NULL, a
 * translated reason in why (len bytes). */
int cps_catalog_pattern_valid(const char *pattern, char *why, size_t len);

/* 1 if a cleaned serial (upper case, letters and digits) has the shape of
 * pattern, or pattern is ""; 0 if not. */
int cps_catalog_pattern_matches(const char *pattern, const char *serial);

/* Describes a valid pattern for a person ("12 or 10 digits", "4 letters,
 * then 5 digits"), translated.  Returns the length as snprintf does. */
size_t cps_catalog_pattern_describe(const char *pattern, char *out, size_t len);

/* What an import did, and what was wrong with the file. */
struct cps_catalog_report {
	int added;      /* models new to the catalog */
	int updated;    /* known models whose points, year, pattern, category
			 * or spelling changed, or that came back from retirement */
	int unchanged;
	int retired;    /* models the new file no longer lists */
	/* When the file is refused: every problem as "file:line: what is
	 * wrong", in line order; at most CPS_CATALOG_MAX_ERRORS of them and
	 * then one line "... and N more problems".  nproblems counts them
	 * all.  Free with cps_catalog_report_free(). */
	char **errors;
	size_t nerrors;
	size_t nproblems;
};

/* Imports a catalog file (the columns of assets/catalog.csv).  On success
 * every model of the file is in the catalog, with the file's points,
 * release year and serial pattern (products already complete keep the
 * points they earned), the models the file leaves out are retired, and the
 * meta key catalog_imported_at holds the time.  When any line is wrong it
 * returns CPS_ERR_INVALID, changes nothing, lists every problem in report
 * (may be NULL) and puts the first one and their number in err. */
enum cps_err cps_catalog_import(struct cps_engine *e, const char *path,
				struct cps_catalog_report *report,
				struct cps_error *err);

/* The same done by staff (the commands and the console): a successful
 * import leaves a line "import_catalog" in the audit log naming
 * staff_name and the Unix user, in the import's own transaction; a refused
 * file leaves none.  CPS_ERR_INVALID without a staff name. */
enum cps_err cps_catalog_import_as(struct cps_engine *e, const char *path,
				   const char *staff_name,
				   struct cps_catalog_report *report,
				   struct cps_error *err);

void cps_catalog_report_free(struct cps_catalog_report *r);

/* For cps_engine_open(): imports assets/catalog.csv when the catalog table
 * is empty; does nothing otherwise. */
enum cps_err cps_catalog_load_default(struct cps_engine *e,
				      struct cps_error *err);

/* Number of models in the catalog (active_only: the ones offered). */
enum cps_err cps_catalog_count(struct cps_engine *e, int active_only,
			       size_t *count, struct cps_error *err);

/* Type-ahead search over the active models.  Every word of the query must
 * be the start of a word of the model name (a word begins after a space,
 * a dash, a slash or any other sign), ignoring case and accents.  Names
 * the whole query starts are listed first; then names where a query word
 * is a whole word ("r5" puts "EOS R5 Mark II" before "EOS R50"); then
 * shorter names first.  At most max results go to results; *n says how
 * many.  An empty query (or only spaces) finds nothing, and so does one
 * longer than 255 bytes or of more than 16 words. */
enum cps_err cps_catalog_search(struct cps_engine *e, const char *query,
				struct cps_catalog_item *results, size_t max,
				size_t *n, struct cps_error *err);

/* One model by id (retired ones too): CPS_ERR_NOT_FOUND if none. */
enum cps_err cps_catalog_get(struct cps_engine *e, long long id,
			     struct cps_catalog_item *out,
			     struct cps_error *err);

/* One model by its exact name (ASCII case ignored), retired ones too. */
enum cps_err cps_catalog_get_model(struct cps_engine *e, const char *model,
				   struct cps_catalog_item *out,
				   struct cps_error *err);

/* The search form of a text: lower-case ASCII, accents removed (é -> e,
 * ø -> o, æ -> ae, å -> a, ß -> ss, ...), runs of spaces made one space,
 * no space at either end.  Other characters are kept as they are.
 * Writes at most len bytes including the NUL; returns the length the
 * whole result needs (as snprintf does). */
size_t cps_catalog_fold(const char *text, char *out, size_t len);

#endif
