#include "compat.h"

#include <stdio.h>
#include <stdlib.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "msg.h"
#include "rx.h"

/* The JIT stack a match may grow to: deep backtracking beyond it fails
 * that match (PCRE2_ERROR_JIT_STACKLIMIT), never the program. */
#define JIT_STACK_MAX (1u << 20)

struct rx {
	pcre2_code *code;
	pcre2_match_data *md;
	pcre2_match_context *mc;
	pcre2_jit_stack *stack;
	char err[120];
};

const char *
rx_pcre2_version(void)
{
	static char v[64];

	pcre2_config(PCRE2_CONFIG_VERSION, v);
	return v;
}

struct rx *
rx_compile(const char *pattern, char *err, size_t errlen, size_t *erroff)
{
	struct rx *r;
	int code;
	PCRE2_SIZE off;
	pcre2_code *c = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
	    PCRE2_UTF | PCRE2_UCP, &code, &off, NULL);

	if (c == NULL) {
		PCRE2_UCHAR msg[160];

		pcre2_get_error_message(code, msg, sizeof msg);
		snprintf(err, errlen, "%s", (char *)msg);
		if (erroff)
			*erroff = (size_t)off;
		return NULL;
	}
	r = xcalloc(1, sizeof *r);
	r->code = c;
	r->md = pcre2_match_data_create_from_pattern(c, NULL);
	r->mc = pcre2_match_context_create(NULL);
	if (r->md == NULL || r->mc == NULL)
		msg_fatal("out of memory");
	/* JIT is an optimisation: without it (some hardened systems) we still match. */
	if (pcre2_jit_compile(c, PCRE2_JIT_COMPLETE) == 0 &&
	    (r->stack = pcre2_jit_stack_create(32u << 10, JIT_STACK_MAX, NULL)) != NULL)
		pcre2_jit_stack_assign(r->mc, NULL, r->stack);
	return r;
}

void
rx_match_limit(struct rx *r, uint32_t limit)
{
	pcre2_set_match_limit(r->mc, limit);
}

const char *
rx_error(const struct rx *r)
{
	return r->err;
}

void
rx_free(struct rx *r)
{
	if (r == NULL)
		return;
	pcre2_match_data_free(r->md);
	pcre2_match_context_free(r->mc);
	pcre2_jit_stack_free(r->stack);
	pcre2_code_free(r->code);
	free(r);
}

int
rx_find(struct rx *r, const char *subject, size_t n, size_t start, size_t *mstart, size_t *mend)
{
	PCRE2_SIZE *ov;
	/* The caller guarantees valid UTF-8, so PCRE2 need not check it again. */
	int rc = pcre2_match(r->code, (PCRE2_SPTR)subject, n, start, PCRE2_NO_UTF_CHECK,
	    r->md, r->mc);

	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	if (rc == PCRE2_ERROR_NOMEMORY)
		msg_fatal("out of memory");
	if (rc < 0) {
		pcre2_get_error_message(rc, (PCRE2_UCHAR *)r->err, sizeof r->err);
		return -1;
	}
	ov = pcre2_get_ovector_pointer(r->md);
	*mstart = ov[0];
	*mend = ov[1];
	return 1;
}
