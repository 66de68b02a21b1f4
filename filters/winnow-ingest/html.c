#include "compat.h"

#include <stdlib.h>
#include <string.h>

#include "html.h"

enum kind {
	K_BLOCK,	/* a line of its own */
	K_PRE,		/* a block whose line ends stay */
	K_CELL,		/* a space */
	K_DROP,		/* dropped up to its end tag */
	K_FOREIGN,	/* the same, unless it closes itself (<svg/>) */
	K_TITLE,	/* a block whose content is text, never tags */
	K_LINK, K_META	/* may give the page's address */
};

/* Sorted bytewise, for bsearch.  A name not here is removed alone. */
static const struct element {
	const char *name;
	enum kind kind;
} elements[] = {
	{ "address", K_BLOCK }, { "article", K_BLOCK }, { "aside", K_BLOCK },
	{ "blockquote", K_BLOCK }, { "body", K_BLOCK }, { "br", K_BLOCK },
	{ "caption", K_BLOCK }, { "center", K_BLOCK }, { "dd", K_BLOCK },
	{ "details", K_BLOCK }, { "dialog", K_BLOCK }, { "dir", K_BLOCK }, { "div", K_BLOCK },
	{ "dl", K_BLOCK }, { "dt", K_BLOCK }, { "fieldset", K_BLOCK },
	{ "figcaption", K_BLOCK }, { "figure", K_BLOCK }, { "footer", K_BLOCK },
	{ "form", K_BLOCK }, { "frame", K_BLOCK }, { "frameset", K_BLOCK },
	{ "h1", K_BLOCK }, { "h2", K_BLOCK }, { "h3", K_BLOCK }, { "h4", K_BLOCK },
	{ "h5", K_BLOCK }, { "h6", K_BLOCK }, { "head", K_BLOCK }, { "header", K_BLOCK },
	{ "hgroup", K_BLOCK }, { "hr", K_BLOCK }, { "html", K_BLOCK }, { "iframe", K_DROP },
	{ "legend", K_BLOCK }, { "li", K_BLOCK }, { "link", K_LINK }, { "main", K_BLOCK },
	{ "math", K_FOREIGN }, { "menu", K_BLOCK }, { "meta", K_META }, { "nav", K_BLOCK },
	{ "noscript", K_DROP }, { "object", K_DROP }, { "ol", K_BLOCK },
	{ "optgroup", K_BLOCK }, { "option", K_BLOCK }, { "p", K_BLOCK }, { "pre", K_PRE },
	{ "script", K_DROP }, { "section", K_BLOCK }, { "select", K_DROP },
	{ "style", K_DROP }, { "summary", K_BLOCK }, { "svg", K_FOREIGN },
	{ "table", K_BLOCK }, { "tbody", K_BLOCK }, { "td", K_CELL }, { "template", K_DROP },
	{ "textarea", K_DROP }, { "tfoot", K_BLOCK }, { "th", K_CELL }, { "thead", K_BLOCK },
	{ "title", K_TITLE }, { "tr", K_BLOCK }, { "ul", K_BLOCK }
};

/* Tag names longer than this are none of the above. */
#define NAME_MAX_LEN 15

struct span {
	const char *p;
	size_t n;
};

struct tag {
	char name[NAME_MAX_LEN + 1];	/* lower case; "" when longer */
	int end;		/* </name> */
	int self_closing;	/* <name/> */
	int cut;		/* the page ended inside it */
	/* Attributes of link and meta. */
	struct span rel, href, property, content;
};

/* The text being written: a space or a line end is owed until the next
 * word, so that lines are trimmed and never empty. */
struct out {
	struct buf *b;
	size_t start;	/* where this page's text begins in b */
	int space, line_end;
};

static int
is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static int
is_alpha(int c)
{
	return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

static int
lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/* Does p[0..n) equal the lower-case ASCII word w, case aside? */
static int
equals_word(const char *p, size_t n, const char *w)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (w[i] == '\0' || lower((unsigned char)p[i]) != w[i])
			return 0;
	return w[n] == '\0';
}

static void
put_text(struct out *o, const char *p, size_t n, int in_pre)
{
	size_t i = 0, j;

	while (i < n) {
		if (is_space((unsigned char)p[i])) {
			if (in_pre && p[i] == '\n')
				o->line_end = 1;
			else
				o->space = 1;
			i++;
			continue;
		}
		for (j = i; j < n && !is_space((unsigned char)p[j]); j++)
			;
		if (o->b->len > o->start && (o->line_end || o->space))
			buf_addc(o->b, o->line_end ? '\n' : ' ');
		o->line_end = o->space = 0;
		buf_add(o->b, p + i, j - i);
		i = j;
	}
}

static void
note_attribute(struct tag *t, const char *name, size_t n, struct span value)
{
	if (equals_word(name, n, "rel"))
		t->rel = value;
	else if (equals_word(name, n, "href"))
		t->href = value;
	else if (equals_word(name, n, "property") || (equals_word(name, n, "name") && !t->property.p))
		t->property = value;
	else if (equals_word(name, n, "content"))
		t->content = value;
}

/*
 * Read the tag at p[i] ('<' then a letter, or "</" then a letter) into t;
 * returns where the text after it starts (n when the page ends inside it).
 * Every step moves on by at least one byte.
 */
static size_t
read_tag(const char *p, size_t n, size_t i, struct tag *t)
{
	size_t k = 0, name;
	int attributes;

	memset(t, 0, sizeof *t);
	i++;
	if (p[i] == '/') {
		t->end = 1;
		i++;
	}
	for (; i < n && !is_space((unsigned char)p[i]) && p[i] != '/' && p[i] != '>'; i++, k++)
		if (k < NAME_MAX_LEN)
			t->name[k] = (char)lower((unsigned char)p[i]);
	if (k > NAME_MAX_LEN)
		t->name[0] = '\0';
	attributes = !t->end && (strcmp(t->name, "link") == 0 || strcmp(t->name, "meta") == 0);
	for (;;) {
		struct span value = { NULL, 0 };

		while (i < n && (is_space((unsigned char)p[i]) || p[i] == '/'))
			i++;
		if (i >= n) {
			t->cut = 1;
			return n;
		}
		if (p[i] == '>') {
			t->self_closing = p[i - 1] == '/';
			return i + 1;
		}
		/* An attribute's name may start with '=' (HTML's tokenizer). */
		name = i++;
		while (i < n && !is_space((unsigned char)p[i]) && p[i] != '/' && p[i] != '>' && p[i] != '=')
			i++;
		k = i - name;
		while (i < n && is_space((unsigned char)p[i]))
			i++;
		if (i < n && p[i] == '=') {
			for (i++; i < n && is_space((unsigned char)p[i]); i++)
				;
			if (i < n && (p[i] == '"' || p[i] == '\'')) {
				const char *q = memchr(p + i + 1, p[i], n - i - 1);

				if (q == NULL) {
					t->cut = 1;
					return n;
				}
				value.p = p + i + 1;
				value.n = (size_t)(q - value.p);
				i = (size_t)(q - p) + 1;
			} else {
				value.p = p + i;
				while (i < n && !is_space((unsigned char)p[i]) && p[i] != '>')
					i++;
				value.n = (size_t)(p + i - value.p);
			}
		}
		if (attributes && value.p)
			note_attribute(t, p + name, k, value);
	}
}

/* Where the end tag </name (any case, then a space, '/' or '>') starts
 * at or after i; n when there is none. */
static size_t
find_end_tag(const char *p, size_t n, size_t i, const char *name)
{
	size_t len = strlen(name);
	const char *q;

	while ((q = memchr(p + i, '<', n - i)) != NULL) {
		size_t j = (size_t)(q - p), after = j + 2 + len;

		if (after < n && p[j + 1] == '/' && equals_word(p + j + 2, len, name) &&
		    (is_space((unsigned char)p[after]) || p[after] == '/' || p[after] == '>'))
			return j;
		i = j + 1;
	}
	return n;
}

/* Where the string s (of two bytes or more) ends, at or after i; n when
 * it does not occur. */
static size_t
past(const char *p, size_t n, size_t i, const char *s)
{
	size_t len = strlen(s);
	const char *q;

	while ((q = memchr(p + i, s[0], n - i)) != NULL) {
		size_t j = (size_t)(q - p);

		if (n - j >= len && memcmp(q, s, len) == 0)
			return j + len;
		i = j + 1;
	}
	return n;
}

/* Does the whitespace-separated list rel hold the word w? */
static int
has_word(struct span rel, const char *w)
{
	size_t i = 0, j;

	while (i < rel.n) {
		for (; i < rel.n && is_space((unsigned char)rel.p[i]); i++)
			;
		for (j = i; j < rel.n && !is_space((unsigned char)rel.p[j]); j++)
			;
		if (j > i && equals_word(rel.p + i, j - i, w))
			return 1;
		i = j;
	}
	return 0;
}

/* The address as a value: trimmed, with &amp; (the one reference
 * addresses hold, between query parameters) decoded. */
static void
add_url(struct buf *url, struct span s)
{
	size_t i = 0;

	while (s.n > 0 && is_space((unsigned char)s.p[0]))
		s.p++, s.n--;
	while (s.n > 0 && is_space((unsigned char)s.p[s.n - 1]))
		s.n--;
	while (i < s.n) {
		buf_addc(url, s.p[i]);
		i += s.n - i >= 5 && memcmp(s.p + i, "&amp;", 5) == 0 ? 5 : 1;
	}
}

static int
by_name(const void *key, const void *e)
{
	return strcmp(key, ((const struct element *)e)->name);
}

void
html_text(const char *p, size_t n, struct buf *text, struct buf *url)
{
	struct out o = { text, text->len, 0, 0 };
	struct span canonical = { NULL, 0 }, og_url = { NULL, 0 };
	size_t i = 0, pre = 0;

	while (i < n) {
		const char *lt = memchr(p + i, '<', n - i);
		size_t j = lt ? (size_t)(lt - p) : n, end;
		const struct element *e;
		struct tag t;

		put_text(&o, p + i, j - i, pre > 0);
		if (j + 1 >= n) {
			if (j < n)	/* a '<' last of all */
				put_text(&o, "<", 1, 0);
			break;
		}
		if (n - j >= 4 && memcmp(p + j, "<!--", 4) == 0) {
			/* "<!-->" is a whole comment too. */
			i = past(p, n, j + 2, "-->");
			continue;
		}
		if (!is_alpha((unsigned char)p[j + 1]) &&
		    !(p[j + 1] == '/' && j + 2 < n && is_alpha((unsigned char)p[j + 2]))) {
			if (p[j + 1] == '!' || p[j + 1] == '?' || p[j + 1] == '/') {
				lt = memchr(p + j, '>', n - j);
				i = lt ? (size_t)(lt - p) + 1 : n;
			} else {
				put_text(&o, "<", 1, 0);
				i = j + 1;
			}
			continue;
		}
		i = read_tag(p, n, j, &t);
		if (t.cut)
			break;
		e = bsearch(t.name, elements, sizeof elements / sizeof elements[0], sizeof elements[0],
		    by_name);
		if (e == NULL)
			continue;
		switch (e->kind) {
		case K_BLOCK:
			o.line_end = 1;
			break;
		case K_PRE:
			o.line_end = 1;
			if (!t.end)
				pre++;
			else if (pre > 0)
				pre--;
			break;
		case K_CELL:
			o.space = 1;
			break;
		case K_FOREIGN:
			if (t.self_closing)
				break;
			/* FALLTHROUGH */
		case K_DROP:
			if (!t.end)
				i = find_end_tag(p, n, i, e->name);
			break;
		case K_TITLE:
			o.line_end = 1;
			if (!t.end) {
				end = find_end_tag(p, n, i, e->name);
				put_text(&o, p + i, end - i, 0);
				o.line_end = 1;
				i = end;
			}
			break;
		case K_LINK:
			if (!canonical.p && t.href.n > 0 && has_word(t.rel, "canonical"))
				canonical = t.href;
			break;
		case K_META:
			if (!og_url.p && t.content.n > 0 && equals_word(t.property.p, t.property.n, "og:url"))
				og_url = t.content;
			break;
		}
	}
	if (canonical.p || og_url.p)
		add_url(url, canonical.p ? canonical : og_url);
}
