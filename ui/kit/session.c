/* session.c - the customer at the screen (see session.h). */
#define _DEFAULT_SOURCE 1 /* explicit_bzero */
#include <stdlib.h>
#include <string.h>

#include "session.h"

void session_init(struct session *s)
{
	memset(s, 0, sizeof(*s));
	s->goto_field = s->goto_screen = -1;
}

void session_forget_memo(struct session *s)
{
	if (s->memo)
		explicit_bzero(s->memo, s->memo_size);
	free(s->memo);
	s->memo = NULL;
	s->memo_size = 0;
}

void session_reset(struct session *s)
{
	session_forget_memo(s);
	explicit_bzero(s, sizeof(*s));
	session_init(s);
}

void *session_memo(struct session *s, size_t size)
{
	if (s->memo && s->memo_size != size)
		session_forget_memo(s);
	if (!s->memo) {
		s->memo = calloc(1, size);
		s->memo_size = s->memo ? size : 0;
	}
	return s->memo;
}
