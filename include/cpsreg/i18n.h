/* i18n.h - translation macros shared by the engine and the UI.
 *
 * Every string a person reads goes through _() with an English msgid.
 * The UI calls setlocale() and bindtextdomain(); the engine only looks
 * strings up. */
#ifndef CPSREG_I18N_H
#define CPSREG_I18N_H

#include <libintl.h>

#define CPS_TEXTDOMAIN "cpsreg"
#define _(s) dgettext(CPS_TEXTDOMAIN, s)
#define N_(s) (s)

#endif
