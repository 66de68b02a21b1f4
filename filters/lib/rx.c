#include "compat.h"

#include <stdio.h>
#include <stdlib.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "msg.h"
#include "rx.h"

struct rx {
	pcre2_code *code;
	pcre2_match_data *md;
};

const char *
rx_pcre2_version(void)
{
	static char v[64];

	pcre2_config(PCRE2_CONFIG_VERSION, v);
	return v;
}

struct rx *
rx_compile(const char *pattern, char *err, size_t errlen)
{
	struct rx *r;
	int code;
	PCRE2_SIZE off;
	pcre2_code *c = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
	    PCRE2_UTF | PCRE2_UCP, &code, &off, NULL);

	if (c == NULL) {
		PCRE2_UCHAR msg[160];

		pcre2_get_error_message(code, msg, sizeof msg);
		snprintf(err, errlen, "bad pattern at offset %zu: %s", (size_t)off, (char *)msg);
		return NULL;
	}
	/* JIT is an optimisation: without it (some hardened systems) we still match. */
	pcre2_jit_compile(c, PCRE2_JIT_COMPLETE);
	r = xmalloc(sizeof *r);
	r->code = c;
	r->md = pcre2_match_data_create_from_pattern(c, NULL);
	if (r->md == NULL)
		msg_fatal("out of memory");
	return r;
}

void
rx_free(struct rx *r)
{
	if (r == NULL)
		return;
	pcre2_match_data_free(r->md);
	pcre2_code_free(r->code);
	free(r);
}

int
rx_find(struct rx *r, const char *subject, size_t n, size_t start, size_t *mstart, size_t *mend)
{
	PCRE2_SIZE *ov;
	/* The caller guarantees valid UTF-8, so PCRE2 need not check it again. */
	int rc = pcre2_match(r->code, (PCRE2_SPTR)subject, n, start, PCRE2_NO_UTF_CHECK,
	    r->md, NULL);

	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	if (rc < 0)
		msg_fatal("pcre2 match failed (%d)", rc);
	ov = pcre2_get_ovector_pointer(r->md);
	*mstart = ov[0];
	*mend = ov[1];
	return 1;
}
