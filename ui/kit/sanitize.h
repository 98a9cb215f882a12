/* sanitize.h - text from the store or the remote made safe to show:
 * control characters and escape sequences never reach the terminal. */
#ifndef CPSREG_SANITIZE_H
#define CPSREG_SANITIZE_H

#include <stddef.h>

/* One line: every control character (and DEL, C1 controls and invalid
 * UTF-8) becomes '?'.  Returns buf. */
const char *sanitize_line(const char *in, char *buf, size_t len);
/* The same, but newlines and tabs are kept. */
const char *sanitize_text(const char *in, char *buf, size_t len);

#endif
