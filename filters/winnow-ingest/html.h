/*
 * html: the text of a web page, one block a line, as the filters after
 * winnow-ingest expect it (a line is a paragraph).
 *
 * One pass, no backtracking: every byte is looked at a bounded number of
 * times, whatever the markup, so broken or hostile pages cost what clean
 * ones do.  The page is read as a browser's tokenizer reads it, in the
 * parts that matter for text: comments, <!...> and <?...> are dropped;
 * a tag ends at the first '>' outside a quoted attribute value; a '<'
 * that starts no tag is text; a tag cut off by the end of the page is
 * dropped.
 *
 * - script, style, noscript, template, svg, math, iframe, object, select
 *   and textarea are dropped with everything up to their end tag (their
 *   nesting is not followed: the first end tag of the same name ends
 *   them);
 * - block elements (p, div, h1-h6, li, br, tr, article, section, header,
 *   footer, nav, blockquote, figcaption, title, ...) end the line, at
 *   their start and at their end; a table cell (td, th) is a space;
 *   other tags are removed;
 * - white space (space, tab, line ends, form feed) runs become one space
 *   inside a line; lines are trimmed and never empty; inside pre, a line
 *   end stays a line end;
 * - character references (&amp; &nbsp; &#8217;) are left as they are, for
 *   normalize to decode once (decoding them here would turn "&lt;b&gt;"
 *   into a tag normalize removes, and "&amp;amp;" into "&amp;" it decodes
 *   again);
 * - the page's own address: <link rel="canonical" href=...>, else <meta
 *   property="og:url" content=...> (or name="og:url"), the first of each,
 *   trimmed, with &amp; decoded.
 *
 * The title, being a block in the head, is the first line.
 */
#ifndef WINNOW_HTML_H
#define WINNOW_HTML_H

#include <stddef.h>

#include "buf.h"

/*
 * Append the text of the page p[0..n) (valid UTF-8) to text, and its
 * address to url (nothing when the page gives none).  The text is valid
 * UTF-8, without a line end at either end.
 */
void html_text(const char *p, size_t n, struct buf *text, struct buf *url);

#endif
