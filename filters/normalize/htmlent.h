/*
 * htmlent: the HTML5 named character references (&amp; &eacute; &rarr; ...).
 */
#ifndef WINNOW_HTMLENT_H
#define WINNOW_HTMLENT_H

#include <stddef.h>

/* The UTF-8 text of the reference named name[0..len) (without '&' and
 * ';'), a static string, or NULL when HTML5 has no such name. */
const char *htmlent_lookup(const char *name, size_t len);

#endif
