/* text.c - measuring, cutting and wrapping text for the screen (see
 * text.h). */
#include <langinfo.h>
#include <string.h>
#include <wchar.h>

#include "sanitize.h"
#include "text.h"

int text_utf8(void)
{
	return strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
}

const char *text_ellipsis(void)
{
	return text_utf8() ? "\xe2\x80\xa6" : "...";
}

int text_char_width(const char *p, size_t *len)
{
	size_t bad, n;
	mbstate_t st;
	wchar_t wc;

	/* most of every text is printable ASCII: one column, one byte */
	if (*p >= 0x20 && *p < 0x7f) {
		*len = 1;
		return 1;
	}
	n = sanitize_utf8_len(p, &bad);
	if (n <= 1) {   /* ASCII, a control, or a bad sequence ('?') */
		*len = n ? 1 : bad;
		return 1;
	}
	memset(&st, 0, sizeof(st));
	if (mbrtowc(&wc, p, n, &st) != n) {
		/* not a UTF-8 locale: the terminal takes it byte by byte */
		*len = 1;
		return 1;
	}
	*len = n;
	int w = wcwidth(wc);
	return w < 0 ? 1 : w;
}

int text_width_n(const char *s, size_t n)
{
	int w = 0;
	size_t i = 0, len;

	while (i < n && s[i]) {
		w += text_char_width(s + i, &len);
		i += len;
	}
	return w;
}

int text_width(const char *s)
{
	return text_width_n(s, strlen(s));
}

/* Bytes of the longest start of s[0..n) within width columns; *cols gets
 * its columns. */
static size_t prefix(const char *s, size_t n, int width, int *cols)
{
	size_t i = 0, len;
	int w = 0;

	while (i < n && s[i]) {
		int cw = text_char_width(s + i, &len);
		if (w + cw > width || i + len > n)
			break;
		w += cw;
		i += len;
	}
	*cols = w;
	return i;
}

size_t text_fit(const char *s, int width)
{
	int cols;

	return prefix(s, strlen(s), width, &cols);
}

/* Copies n bytes of s and then tail into out, as much as len takes
 * without cutting a character of s. */
static char *join(const char *s, size_t n, const char *tail, char *out, size_t len)
{
	size_t tl = strlen(tail), k = 0, clen;

	if (!len)
		return out;
	while (k < n && k + tl + 1 < len) {
		text_char_width(s + k, &clen);
		if (k + clen > n || k + clen + tl + 1 > len)
			break;
		k += clen;
	}
	memcpy(out, s, k);
	if (k + tl + 1 <= len)
		memcpy(out + k, tail, tl + 1);
	else
		out[k] = '\0';
	return out;
}

char *text_cut_more(const char *s, size_t n, int width, char *out, size_t len)
{
	const char *ell = text_ellipsis();
	int ellw = text_width(ell), cols;

	if (width < ellw)   /* no room for the mark: what fits */
		return join(s, prefix(s, n, width, &cols), "", out, len);
	return join(s, prefix(s, n, width - ellw, &cols), ell, out, len);
}

char *text_cut(const char *s, int width, char *out, size_t len)
{
	size_t n = strlen(s);

	if (text_width_n(s, n) <= width)
		return join(s, n, "", out, len);
	return text_cut_more(s, n, width, out, len);
}

char *text_cell(const char *s, int width, int right_align, char *out, size_t len)
{
	char cut[1024];
	int pad;
	size_t o = 0;

	text_cut(s, width, cut, sizeof(cut));
	pad = width - text_width(cut);
	if (!len)
		return out;
	for (int i = 0; right_align && i < pad && o + 1 < len; i++)
		out[o++] = ' ';
	out[o] = '\0';
	join(cut, strlen(cut), "", out + o, len - o);
	o = strlen(out);
	for (int i = 0; !right_align && i < pad && o + 1 < len; i++)
		out[o++] = ' ';
	out[o] = '\0';
	return out;
}

static int gap(char c)
{
	return c == ' ' || c == '\t';
}

int text_wrap(const char *s, int width, struct text_line *lines, int max)
{
	const char *p = s;
	int count = 0;

	if (width < 1)
		width = 1;
	while (*p) {
		size_t i = 0, best = 0, clen;
		int w = 0, wbest = 0;

		/* w: the columns up to where the scan stopped; best: the break */
		while (p[i] && p[i] != '\n') {
			int cw = text_char_width(p + i, &clen);
			if (w + cw > width)
				break;
			w += cw;
			i += clen;
			if (gap(p[i]) || p[i] == '\0' || p[i] == '\n') {
				best = i;
				wbest = w;
			}
		}
		if (!p[i] || p[i] == '\n' || best == 0) {
			best = i;
			wbest = w;
		}
		if (best == 0 && *p != '\n') {
			/* a character wider than the line: it goes alone */
			wbest = text_char_width(p, &best);
		}
		if (count < max) {
			lines[count].off = (size_t)(p - s);
			lines[count].len = best;
			lines[count].cols = wbest;
		}
		count++;
		p += best;
		while (gap(*p))
			p++;
		if (*p == '\n')
			p++;
	}
	return count;
}
