/*
 * rules: the patterns of dedupe-boilerplate's rules files.  A rules file
 * is text, one rule a line, three fields separated by tabs:
 *
 *	NAME	ACTION	PATTERN
 *
 * NAME is made of letters, digits and '-' (it is written in --mark as
 * "rule:NAME"); ACTION is drop-line (a line the pattern matches goes),
 * cut-span (the first match is cut out of the line and the rest stays: a
 * caption glued onto the paragraph after it), drop-block (the line goes,
 * and so do the headline-like lines after it: the heading of a list of
 * related articles and its list) or keep (a line the pattern
 * matches is article text whatever the other detectors say: a byline, a
 * date line, which a site repeats).  drop-line and drop-block may end in
 * "+end": the line ends the article too (the heading of a list of related
 * stories, a comments note), and what follows it below a few body
 * paragraphs is the page's, up to where the article resumes.  PATTERN is
 * a PCRE2 pattern (UTF-8, Unicode classes), to the end of the line.
 * Blank lines and lines starting with '#' are comments.  A mistake is
 * fatal and named FILE:LINE:COLUMN.
 *
 * Matches run with a match limit, so a pattern that backtracks without
 * end on some line gives up on that line: the rule is skipped there,
 * counted, and reported once.
 */
#ifndef DEDUPE_RULES_H
#define DEDUPE_RULES_H

#include <stddef.h>
#include <stdint.h>

enum rl_action { RL_DROP_LINE, RL_CUT_SPAN, RL_DROP_BLOCK, RL_KEEP };

struct rl;

struct rl *rl_new(void);
void rl_free(struct rl *r);

/* Add the rules of a file; fatal on a mistake in it. */
void rl_load(struct rl *r, const char *path);

size_t rl_count(const struct rl *r);
const char *rl_name(const struct rl *r, size_t i);

/* Does a keep rule match line[0..n)?  It also asks the cache for what
 * rl_match will read of the line: best asked of each of a record's lines
 * before rl_match is. */
int rl_keeps(struct rl *r, const char *line, size_t n);

/*
 * The first drop-line, cut-span or drop-block rule (in file order) that
 * matches
 * line[0..n): its index, with
 * its action in *action and, for cut-span, the match in [*ms, *me).  -1
 * when none does.  A rule that gives up on the line is skipped and counted.
 */
int rl_match(struct rl *r, const char *line, size_t n, enum rl_action *action,
    size_t *ms, size_t *me);

/* Did rule i's action end in "+end"? */
int rl_ends(const struct rl *r, size_t i);

/* Matches that gave up. */
uint64_t rl_errors(const struct rl *r);

#endif
