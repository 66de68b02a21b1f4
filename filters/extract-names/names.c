/*
 * names: mentions grouped into names (see names.h).
 */
#include "compat.h"

#include <stdlib.h>
#include <string.h>

#include "fmap.h"
#include "json.h"
#include "msg.h"
#include "names.h"
#include "tagger.h"
#include "tok.h"

struct mention {
	size_t first, last;	/* tokens */
	size_t text, len;	/* in m->texts, blanks squeezed */
	uint64_t hash;		/* of the text */
	uint64_t folded;	/* of the text in lower case */
	int type;
	uint32_t name;		/* the name it belongs to */
	uint32_t next;		/* the name's next mention, or NO_MORE */
};

#define NO_MORE UINT32_MAX
#define TABLE_ROWS 3	/* rows of a table whose first names vote on their type */
#define PLACE_ROW_WORDS 2	/* the longest org a table of places makes a place */
#define BRACKETED_NAMES 3	/* names before a place in brackets that vote on theirs */
#define BRACKETED_PLACE_WORDS 3	/* the longest place in brackets after a name */
#define LIST_NAMES 3	/* names of a list that vote on their type */
#define COUNTRY_WORDS 3	/* the longest country after a town and a comma */

struct name {
	int type;		/* the type most of its mentions have */
	uint32_t votes[TG_NTYPES];
	size_t longest;		/* the mention whose text is the name's */
	uint32_t count;
	uint32_t head, tail;	/* its mentions, in order */
	int before_place;	/* a mention is followed by a place in brackets */
	int term;		/* a mention is the acronym of a term (spells_term) */
};

struct nm {
	const struct lx *lx;
	int title;		/* the gazetteer class of titles, or -1 */
	int orgword;		/* of words that end org names, or -1 */
	int first_name;		/* of first names, or -1 */
	int country;		/* of countries, or -1 */
	int region;		/* of regions, or -1 */
	uint32_t places;	/* the gazetteer classes of places */
	uint32_t listed;	/* of places, orgs, people and nationalities */
	uint32_t name_parts;	/* of first names and surnames */
	uint32_t not_place;	/* of orgs, parts of people's names, org words */
	uint64_t possessive;	/* the h_form of "'s" */
	uint64_t by;		/* of "By" */
	struct mention *mention;
	size_t nmention, capmention;
	struct name *name;
	size_t nname, capname;
	struct buf texts, fold;
	struct fmap by_text, by_surname, by_initials, seen;
	struct fmap types;	/* a mention's folded text to the bits of its types */
	struct fmap heads;	/* h_key of a word to the type it gives a name */
};

/*
 * Words that make a name the tagger called an org a place or misc: the
 * last word of a place (a station, a street, a stadium) or of an event or
 * an award, the first word of a mountain, a pass or a lake.  In CoNLL's
 * training text the names of two words or more so ending or starting
 * have that type 203 times in 205 (Cup 77 times misc).  A hospital, a
 * museum, a church or a centre is a place there too, as a building (24
 * times in 25, once a person's name: Hospital, Museum, Church, Centre,
 * Mountains), though an org by other guidelines; words that end orgs
 * in CoNLL's text too (Airport, Park, Palace, Court, League, Conference)
 * are not here.
 */
static const char *const place_last[] = {
	"Arena", "Avenue", "Bridge", "Centre", "Church", "Garden", "Gate", "Hospital",
	"Mountains", "Museum", "Road", "Square", "Stadium", "Station", "Street"
};
static const char *const misc_last[] = {
	"Award", "Awards", "Championship", "Championships", "Classic", "Cup", "Festival",
	"Finals", "Marathon", "Olympics", "Open", "Prize", "Rally", "Series", "Trophy"
};
static const char *const place_first[] = { "Cape", "Col", "Lake", "Mount", "Plateau" };

/*
 * Words that end the name of a place on a coast or in the country, and
 * rarely a person's: a name the tagger called a person that ends in one
 * and does not start with a listed first name is a place ("Marram Head",
 * "Ferry Lane", not "John Head", "Barry Lane").  Hill, Wood, Marsh, Park,
 * Green and Street, surnames as often as places (Damon Hill, Picabo
 * Street), are not here.  An org so ending is a place too, but in a
 * document of results, where clubs play (Tampa Bay).
 */
static const char *const geo_last[] = {
	"Avenue", "Bay", "Beach", "Canyon", "Cove", "Creek", "Estuary", "Falls", "Firth",
	"Harbor", "Harbour", "Head", "Heights", "Island", "Islands", "Isle", "Lane", "Loch",
	"Ness", "Peninsula", "Point", "Reef", "Road", "Sands", "Sound", "Square", "Strait",
	"Valley"
};
#define GEO_LAST 0x61c8864680b583ebu	/* mixed into a key of geo_last */

/* Words of sport reports: a document with none of them plays no game,
 * so a listed place there is no club. */
static const char *const sport_words[] = {
	"beat", "champion", "champions", "championship", "club", "coach", "cup", "division",
	"game", "games", "goal", "goals", "halftime", "innings", "league", "match", "matches",
	"olympic", "played", "race", "scorer", "scorers", "season", "seeded", "standings",
	"team", "teams", "tournament", "wicket", "wickets"
};
#define SPORT_WORD 0x9e6c63d0676a9a99u	/* mixed into a key of sport_words */

#define FIRST_WORD 0x2d358dccaa6c78a5u	/* mixed into a first word's key */

static void
add_heads(struct fmap *heads, const char *const *words, size_t n, uint64_t mix, int type)
{
	size_t i;

	for (i = 0; i < n; i++)
		*fm_put(heads, nd_hash(words[i], strlen(words[i])) ^ mix, 0) = (uint32_t)type;
}

/* The bits of the gazetteer classes names[0..n) the lexicon has. */
static uint32_t
class_bits(const struct lx *lx, const char *const *names, size_t n)
{
	uint32_t bits = 0;
	size_t i;

	for (i = 0; i < n; i++)
		if (lx_class(lx, names[i]) >= 0)
			bits |= 1u << lx_class(lx, names[i]);
	return bits;
}

struct nm *
nm_new(const struct lx *lx)
{
	static const char *const place_classes[] = { "country", "region", "city", "place" };
	static const char *const other_classes[] = { "org", "name", "nationality" };
	static const char *const part_classes[] = { "first", "last" };
	static const char *const not_place_classes[] = { "org", "first", "last", "name", "orgword" };
	struct nm *m = xcalloc(1, sizeof *m);

	m->lx = lx;
	m->title = lx_class(lx, "title");
	m->orgword = lx_class(lx, "orgword");
	m->first_name = lx_class(lx, "first");
	m->country = lx_class(lx, "country");
	m->region = lx_class(lx, "region");
	m->places = class_bits(lx, place_classes, sizeof place_classes / sizeof place_classes[0]);
	m->listed = m->places |
	    class_bits(lx, other_classes, sizeof other_classes / sizeof other_classes[0]);
	m->name_parts = class_bits(lx, part_classes, sizeof part_classes / sizeof part_classes[0]);
	m->not_place = class_bits(lx, not_place_classes,
	    sizeof not_place_classes / sizeof not_place_classes[0]);
	m->possessive = nd_hash("'s", 2);
	m->by = nd_hash("By", 2);
	buf_init(&m->texts);
	buf_init(&m->fold);
	fm_init(&m->by_text);
	fm_init(&m->by_surname);
	fm_init(&m->by_initials);
	fm_init(&m->seen);
	fm_init(&m->types);
	fm_init(&m->heads);
	add_heads(&m->heads, place_last, sizeof place_last / sizeof place_last[0], 0, TG_PLACE);
	add_heads(&m->heads, misc_last, sizeof misc_last / sizeof misc_last[0], 0, TG_MISC);
	add_heads(&m->heads, place_first, sizeof place_first / sizeof place_first[0], FIRST_WORD,
	    TG_PLACE);
	add_heads(&m->heads, geo_last, sizeof geo_last / sizeof geo_last[0], GEO_LAST, TG_PLACE);
	add_heads(&m->heads, sport_words, sizeof sport_words / sizeof sport_words[0], SPORT_WORD,
	    TG_ORG);
	return m;
}

void
nm_free(struct nm *m)
{
	if (m == NULL)
		return;
	free(m->mention);
	free(m->name);
	buf_release(&m->texts);
	buf_release(&m->fold);
	fm_release(&m->by_text);
	fm_release(&m->by_surname);
	fm_release(&m->by_initials);
	fm_release(&m->seen);
	fm_release(&m->types);
	fm_release(&m->heads);
	free(m);
}

/* The text of tokens [first, last] with every run of blanks one space. */
static void
add_mention(struct nm *m, const struct nd_doc *d, size_t first, size_t last, int type)
{
	struct mention *x;
	size_t i;
	int blank = 0;

	if (m->nmention == m->capmention) {
		m->capmention = m->capmention ? 2 * m->capmention : 64;
		m->mention = xrealloc(m->mention, m->capmention * sizeof *m->mention);
	}
	x = &m->mention[m->nmention++];
	x->first = first;
	x->last = last;
	x->type = type;
	x->text = m->texts.len;
	for (i = d->tok[first].start; i < d->tok[last].end; i++) {
		char c = d->text[i];

		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			blank = 1;
			continue;
		}
		if (blank)
			buf_addc(&m->texts, ' ');
		blank = 0;
		buf_addc(&m->texts, c);
	}
	x->len = m->texts.len - x->text;
	x->hash = nd_hash(m->texts.data + x->text, x->len);
	buf_reset(&m->fold);
	nd_lower(m->texts.data + x->text, x->len, &m->fold);
	x->folded = nd_hash(m->fold.data, m->fold.len);
}

/* A title before a name, but not a capital and a full stop: "M." is
 * Monsieur in French news and an initial in English, where a scorecard's
 * "M. Butcher" is the batsman's name. */
static int
is_title(const struct nm *m, const struct nd_doc *d, const struct nd_tok *t)
{
	return m->title >= 0 && (lx_phrase(m->lx, lx_seq(0, t->h_key)) >> m->title & 1) &&
	    !(t->end - t->start == 2 && d->text[t->start + 1] == '.');
}

/*
 * Is the mention of tokens [first, last], in the record's title (a first
 * sentence in capitals or title case), a name?  A title capitalises every
 * word ("Spy Agency Asks MPs For More Money"), so the tagger's word alone
 * is not enough there: the same words must stand in the rest of the
 * record (in any case), or the gazetteer must list them (a person by a
 * first name or a surname).  An article names again what its title names.
 */
static int
title_name(const struct nm *m, const struct nd_doc *d, size_t first, size_t last, int type,
    size_t title_end)
{
	size_t i, k, len = last - first + 1;
	uint64_t seq = 0;

	for (k = first; k <= last; k++)
		seq = lx_seq(seq, d->tok[k].h_key);
	if (lx_phrase(m->lx, seq) & m->listed)
		return 1;
	if (type == TG_PERSON && first < last &&
	    ((lx_phrase(m->lx, lx_seq(0, d->tok[first].h_key)) |
	    lx_phrase(m->lx, lx_seq(0, d->tok[last].h_key))) & m->name_parts))
		return 1;
	for (i = title_end; i + len <= d->n; i++) {
		for (k = 0; k < len && d->tok[i + k].h_lower == d->tok[first + k].h_lower; k++)
			;
		if (k == len)
			return 1;
	}
	return 0;
}

/* Where the record's title ends: the token after its first sentence when
 * that is a headline and more follows, else 0 (a record that is a title
 * alone has nothing to confirm its names by). */
static size_t
title_end(const struct nd_doc *d)
{
	size_t i;

	if (d->n == 0 || !d->tok[0].headline)
		return 0;
	for (i = 1; i < d->n && !d->tok[i].sent_first; i++)
		;
	return i < d->n ? i : 0;
}

/* Add the mention of tokens [first, last], unless it is in the title
 * (before token title) and not a name (title_name). */
static void
add_confirmed(struct nm *m, const struct nd_doc *d, size_t first, size_t last, int type,
    size_t title)
{
	if (last < title && !title_name(m, d, first, last, type, title))
		return;
	add_mention(m, d, first, last, type);
}

/* Are tokens [first, last] a place the gazetteer lists? */
static int
listed_place_phrase(const struct nm *m, const struct nd_doc *d, size_t first, size_t last)
{
	uint64_t seq = 0;
	size_t i;

	for (i = first; i <= last; i++)
		seq = lx_seq(seq, d->tok[i].h_key);
	return (lx_phrase(m->lx, seq) & m->places) != 0;
}

/*
 * Add the mention of tokens [first, last], cut at a possessive the tagger
 * took into it after a place the gazetteer lists: "Kenya’s National
 * Intelligence Service" is the place Kenya and the org after it.  After
 * any other words the possessive is the name's own ("Queen's Park",
 * "Boatmen's Bancshares Inc.", "Fishermen’s Association of Western
 * Norway").
 */
static void
add_split(struct nm *m, const struct nd_doc *d, size_t first, size_t last, int type,
    size_t title)
{
	size_t k;

	for (k = first + 1; k <= last && d->tok[k].h_form != m->possessive; k++)
		;
	if (k > last) {
		add_confirmed(m, d, first, last, type, title);
		return;
	}
	if (!listed_place_phrase(m, d, first, k - 1)) {
		add_confirmed(m, d, first, last, type, title);
		return;
	}
	add_confirmed(m, d, first, k - 1, TG_PLACE, title);
	if (k < last)
		add_split(m, d, k + 1, last, type, title);
}

/* The last token of the mention tagged from token i on. */
static size_t
mention_end(const struct nd_doc *d, size_t i)
{
	while (TG_PART(d->tok[i].tag) != TG_L && TG_PART(d->tok[i].tag) != TG_U)
		i++;
	return i;
}

/*
 * Does the org ending at token last own the org after its possessive, as
 * one name ("Queen 's Park", "Moody 's Investors Service", "Boatmen 's
 * Bancshares Inc.")?  The tagger often leaves the "'s" out; in CoNLL's
 * training and development text a "'s" after an org is inside the name
 * 46 times, between two names 3.  A company written with its suffix is a
 * name of its own ("AMR Corp 's American Airlines").
 */
static int
owner_of_next(const struct nm *m, const struct nd_doc *d, size_t last)
{
	int tag;

	if (last + 2 >= d->n || d->tok[last + 1].h_form != m->possessive)
		return 0;
	tag = d->tok[last + 2].tag;
	if (tag == TG_O || TG_TYPE(tag) != TG_ORG ||
	    (TG_PART(tag) != TG_B && TG_PART(tag) != TG_U))
		return 0;
	return m->orgword < 0 ||
	    !(lx_phrase(m->lx, lx_seq(0, d->tok[last].h_key)) >> m->orgword & 1);
}

/* Is token t written as one of words[0..n)? */
static int
written_as(const struct nd_doc *d, const struct nd_tok *t, const char *const *words, size_t n)
{
	size_t i, len = t->end - t->start;

	for (i = 0; i < n; i++)
		if (strlen(words[i]) == len && memcmp(words[i], d->text + t->start, len) == 0)
			return 1;
	return 0;
}

/*
 * Is t a party's member or its adjective ("Republican", "Democrats")?
 * After a listed place ("the California Republican said", "a
 * Pennsylvania Democrat") it makes no org: in CoNLL's training and
 * development text such a pair is a place and a misc all 5 times, and
 * the tagger took 3 of the folds' for orgs.  A party's name goes on
 * ("Kurdistan Democratic Party").
 */
static int
is_party_member(const struct nd_doc *d, const struct nd_tok *t)
{
	static const char *const words[] = {
		"Democrat", "Democratic", "Democrats", "Republican", "Republicans"
	};

	return written_as(d, t, words, sizeof words / sizeof words[0]);
}

/* Is token t the word "and", which joins names into one or a list? */
static int
is_and(const struct nd_doc *d, const struct nd_tok *t)
{
	static const char *const and[] = { "and" };

	return written_as(d, t, and, 1);
}

/*
 * Is t a month's name, which the tagger takes into the name after it
 * ("the August National Association of Purchasing Management index",
 * "Sept Brent"), or a working day's short name in capitals, a table's
 * column of dates ("MON Gencor")?  No org, place or misc of CoNLL's
 * training text starts with one but Jan (a person's name), and May (May
 * Department Stores) and Mar (Mar del Plata) start names elsewhere, as
 * SUN does in capitals (SUN MICROSYSTEMS).
 */
static int
is_date_word(const struct nd_doc *d, const struct nd_tok *t)
{
	static const char *const months[] = {
		"January", "February", "March", "April", "June", "July", "August", "September",
		"October", "November", "December", "Feb", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec",
		"Feb.", "Aug.", "Sep.", "Sept.", "Oct.", "Nov.", "Dec.", "MON", "TUE", "WED", "THU",
		"FRI"
	};

	return written_as(d, t, months, sizeof months / sizeof months[0]);
}

/* Is t a day of the week, which is no name alone ("on Mondays and
 * Wednesdays"), though a club's name may end in one (Sheffield
 * Wednesday)? */
static int
is_weekday(const struct nd_doc *d, const struct nd_tok *t)
{
	static const char *const days[] = {
		"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
		"Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays", "Sundays"
	};

	return written_as(d, t, days, sizeof days / sizeof days[0]);
}

/* Is t the label of a contact line's number ("Newsroom +31 20 504 5000 ,
 * Fax +31 20 504 5040"), no name alone?  In CoNLL's training and
 * development text "Fax" is no name all 8 times; the tagger took 3 of
 * the folds' for an org. */
static int
is_contact_word(const struct nd_doc *d, const struct nd_tok *t)
{
	static const char *const words[] = {
		"E-mail", "Email", "FAX", "Fax", "Phone", "TEL", "Tel", "Telephone", "Telex"
	};

	return written_as(d, t, words, sizeof words / sizeof words[0]);
}

/*
 * Is t a company's legal suffix ("Corp", "Inc", "Ltd", "AG")?  After one,
 * "and" and a capital start a second company ("Dacom Corp and Dacom
 * International"): in CoNLL's training and development text such an
 * "and" is between two names 12 times in 13 ("First Alliance Corporation
 * and Subsidiaries" the one name).
 */
static int
is_company_suffix(const struct nd_doc *d, const struct nd_tok *t)
{
	static const char *const words[] = {
		"AG", "Bhd", "Co", "Co.", "Corp", "Corp.", "Corporation", "GmbH", "Inc", "Inc.", "LLC",
		"Limited", "Ltd", "Ltd.", "N.V.", "NV", "PLC", "Plc", "S.A.", "SA", "SpA", "plc"
	};

	return written_as(d, t, words, sizeof words / sizeof words[0]);
}

/*
 * How many tokens from i say that the name after them is a storm's
 * ("Hurricane Edouard", "Tropical Storm Fay")?  A storm's name is an
 * event's, a misc, without them, as CoNLL has it; the tagger, which met
 * few, takes most for people.
 */
static size_t
storm_words(const struct nd_doc *d, size_t i)
{
	static const char *const words[] = { "Cyclone", "Hurricane", "Storm", "Typhoon" };
	static const char *const tropical[] = { "Tropical" };
	size_t n = i + 1 < d->n && written_as(d, &d->tok[i], tropical, 1) ? 1 : 0;

	return written_as(d, &d->tok[i + n], words, sizeof words / sizeof words[0]) ? n + 1 : 0;
}

/*
 * Is t a capitalised word joined by a hyphen to a lower-case one
 * ("Boston-based Reagan Communications")?  Such a word is a misc of its
 * own, as CoNLL types it; in its training text it goes on into the name
 * after it once in a hundred.  So are the words before it in one name
 * ("South Korea-based", "Northern Ireland-born"): in CoNLL's training
 * and development text every such word after a capitalised one is the
 * end of a misc (a person's "Sun-ho" or "Yuan-dong" aside).
 */
static int
is_compound_adjective(const struct nd_doc *d, const struct nd_tok *t)
{
	const char *p = d->text + t->start, *q = d->text + t->end;

	if (t->end - t->start < 3 || !t->cased)
		return 0;
	while (q > p && q[-1] >= 'a' && q[-1] <= 'z')
		q--;
	return q > p + 1 && q < d->text + t->end && q[-1] == '-';
}

static int
is_char(const struct nd_doc *d, size_t i, char c)
{
	return i < d->n && d->tok[i].end - d->tok[i].start == 1 && d->text[d->tok[i].start] == c;
}

/*
 * Is the mention of tokens [first, last] the place a story was filed
 * from: in capitals, opening a sentence, before a comma and a region that
 * ends the sentence, or a dateline's date ("RICHMOND , Va .", "LEEDS ,
 * England 1996-08-26")?  In CoNLL's training and development text 202
 * such names are places, 3 not (two of them a club's town); the tagger
 * took 6 of the folds' and testa's for orgs or people.  A dateline with
 * no region ("UNITED NATIONS 1996-08-28") is left to the tagger.
 */
static int
filed_from(const struct nd_doc *d, size_t first, size_t last)
{
	size_t k;

	if (!d->tok[first].sent_first || !is_char(d, last + 1, ','))
		return 0;
	for (k = first; k <= last; k++)
		if (d->tok[k].shape != TOK_SHAPE_UPPER)
			return 0;
	if (d->tok[first].line == ND_LINE_DATELINE)
		return 1;
	/* A headline in title case is shown in capitals ("Acme , Bolt
	 * Settle Suit"). */
	if (d->tok[first].headline)
		return 0;
	for (k = last + 2; k < d->n && !d->tok[k].sent_first && d->tok[k].cased; k++)
		;
	if (k == last + 2)
		return 0;
	if (k < d->n && !d->tok[k].sent_first && is_char(d, k, '.'))
		k++;
	return k == d->n || d->tok[k].sent_first;
}

/*
 * Is the name ending at token last followed by a comma and a country or
 * region the gazetteer lists, which ends the sentence or the clause
 * ("over Lockerbie , Scotland .", "Turner , Arkansas , a small town")?
 * It is a town there: in CoNLL's training and development text all 31
 * names so written are places; the tagger took testa's "Lockerbie ,
 * Scotland" for an org twice.  A country followed by its possessive
 * ("Gazprom , Russia 's biggest company", a name of any type) or by
 * more names (a list: "Chad , Kenya , Niger") says nothing.
 */
static int
before_country(const struct nm *m, const struct nd_doc *d, size_t last)
{
	uint32_t bits = (m->country < 0 ? 0 : 1u << m->country) |
	    (m->region < 0 ? 0 : 1u << m->region);
	uint64_t seq = 0;
	size_t k;

	if (bits == 0 || !is_char(d, last + 1, ','))
		return 0;
	for (k = last + 2; k < d->n && k <= last + 1 + COUNTRY_WORDS && !d->tok[k].sent_first;
	    k++) {
		seq = lx_seq(seq, d->tok[k].h_key);
		if ((lx_phrase(m->lx, seq) & bits) &&
		    (k + 1 == d->n || d->tok[k + 1].sent_first || is_char(d, k + 1, '.') ||
		    (is_char(d, k + 1, ',') && k + 2 < d->n && !d->tok[k + 2].cased)))
			return 1;
	}
	return 0;
}

/* Is token i the "In" or "At" that opens a sentence? */
static int
opens_with_venue_word(const struct nd_doc *d, size_t i)
{
	static const char *const words[] = { "At", "In" };

	return d->tok[i].sent_first && written_as(d, &d->tok[i], words, 2);
}

/*
 * Is the mention of tokens [first, last] the venue a line of results
 * opens with, after "In" or "At" and before a colon, maybe with its town
 * in brackets ("In Bistrita : Gloria Bistrita ( Romania ) 2 ...", "At
 * Headingley ( Leeds ) : Yorkshire 290")?  In CoNLL's training and
 * development text such a venue is a place 55 times in 56 (once a misc);
 * the tagger took the folds' "In Bistrita" and "In Chorzow", "In" and
 * all, for orgs.
 */
static int
is_venue(const struct nd_doc *d, size_t first, size_t last)
{
	size_t k = last + 1;

	if (!(first < last && opens_with_venue_word(d, first)) &&
	    !(first > 0 && opens_with_venue_word(d, first - 1)))
		return 0;
	if (is_char(d, k, '(')) {
		while (k < d->n && !d->tok[k].sent_first && !is_char(d, k, ')'))
			k++;
		k++;
	}
	return k < d->n && !d->tok[k].sent_first && is_char(d, k, ':');
}

static void
find_mentions(struct nm *m, const struct nd_doc *d)
{
	size_t i, k, last, title = title_end(d);

	buf_reset(&m->texts);
	m->nmention = 0;
	for (i = 0; i < d->n; i = last + 1) {
		int tag = d->tok[i].tag, type;

		last = i;
		if (tag == TG_O)
			continue;
		type = TG_TYPE(tag);
		last = mention_end(d, i);
		while (type == TG_ORG && owner_of_next(m, d, last))
			last = mention_end(d, last + 2);
		/* A byline's "By" and a person's titles are not the name. */
		if (i < last && (d->tok[i].h_form == m->by || d->tok[i].h_key == m->by))
			i++;
		while (type == TG_PERSON && i < last && is_title(m, d, &d->tok[i]))
			i++;
		if (type != TG_PERSON && i < last && is_date_word(d, &d->tok[i]))
			i++;
		if (i == last && (is_weekday(d, &d->tok[i]) || is_contact_word(d, &d->tok[i])))
			continue;
		if ((type == TG_ORG || type == TG_PERSON) &&
		    (filed_from(d, i, last) || before_country(m, d, last)))
			type = TG_PLACE;
		if ((type == TG_ORG || type == TG_PERSON) && is_venue(d, i, last)) {
			i += opens_with_venue_word(d, i);
			type = TG_PLACE;
		}
		if ((i > 0 && storm_words(d, i - 1) == 1) || (i > 1 && storm_words(d, i - 2) == 2))
			type = TG_MISC;
		if ((k = storm_words(d, i)) > 0 && i + k <= last) {
			type = TG_MISC;
			i += k;
		}
		if (i < last && is_compound_adjective(d, &d->tok[i])) {
			add_confirmed(m, d, i, i, TG_MISC, title);
			i++;
		}
		/* Inside an org or a place, such a word ends a misc of its
		 * own: "South Korea-based LG Electronics", "United
		 * Nations-sponsored" alone. */
		if (type == TG_ORG || type == TG_PLACE)
			for (k = i + 1; k <= last; k++)
				if (is_compound_adjective(d, &d->tok[k])) {
					add_confirmed(m, d, i, k, TG_MISC, title);
					i = k + 1;
				}
		/* A place and a party's member: "California Republican". */
		if (type == TG_ORG && i < last && is_party_member(d, &d->tok[last]) &&
		    listed_place_phrase(m, d, i, last - 1)) {
			add_confirmed(m, d, i, last - 1, TG_PLACE, title);
			add_confirmed(m, d, last, last, TG_MISC, title);
			continue;
		}
		/* Two companies the tagger took for one: "X Corp and Y". */
		if (type == TG_ORG)
			for (k = i + 1; k < last; k++)
				if (is_and(d, &d->tok[k]) && d->tok[k + 1].cased &&
				    is_company_suffix(d, &d->tok[k - 1])) {
					add_split(m, d, i, k - 1, type, title);
					i = k + 1;
				}
		if (i <= last)
			add_split(m, d, i, last, type, title);
	}
}

static int has_sport(const struct nm *m, const struct nd_doc *d);
static int only_a_place(const struct nm *m, const struct nd_tok *t);

/* Is mention x a place, or one word the gazetteer lists only as a place
 * (which group() makes a place where no sport is played)? */
static int
is_placeish(const struct nm *m, const struct nd_doc *d, const struct mention *x)
{
	return x->type == TG_PLACE || (x->first == x->last && only_a_place(m, &d->tok[x->first]));
}

/* Does mention x begin a row of a table: the first name of a line of
 * results, after nothing but a rank ("1.") or a bracket? */
static int
begins_row(const struct nd_doc *d, const struct mention *x)
{
	size_t i = x->first;

	if (d->tok[i].line != ND_LINE_SCORES)
		return 0;
	while (i > 0 && !d->tok[i].sent_first) {
		i--;
		if (d->tok[i].cased)
			return 0;
	}
	return 1;
}

/*
 * The names that begin the rows of one table are of one kind: a table of
 * players, of clubs, of cities.  The tagger judges each row on its own
 * and may take a player whose surname is a town for a club; in a run of
 * TABLE_ROWS rows or more (lines of results with no other line between),
 * the type most of the rows' first names have, when more than half have
 * it, is every one's.  Half the rows people is a table of people: the
 * tagger takes a player for a club far more often than a club for a
 * player (in the tables of the CV folds, 25 people of 358 and 5 clubs of
 * 1,306), so an even split is a table of people half mistaken, as a
 * Pakistani batting order was, seven to seven.
 *
 * A table whose rows begin with places, more than half of them (counting
 * a word the gazetteer lists only as a place, which group() makes one
 * where no sport is played), is a table of places where the record
 * speaks of no sport: airports' freight, stock markets' closes.  Its
 * rows' orgs of a word or two are places too: the tagger took
 * "Duessseldorf", "Koeln", "Nuremberg" and "NEW YORK" for orgs in the
 * folds' tables.  A longer org is a contact line's ("Air Cargo Newsroom
 * Tel+44 ..."), and in sport a table of cities is one of clubs.
 */
static void
vote_rows(struct nm *m, const struct nd_doc *d)
{
	size_t i, k, start = 0, rows = 0, end = 0, places = 0;
	uint32_t count[TG_NTYPES];
	int sport = -1;	/* has_sport, when a table asks */

	for (i = 0; i <= m->nmention; i++) {
		const struct mention *x = i < m->nmention ? &m->mention[i] : NULL;
		int type;

		if (x != NULL && !begins_row(d, x))
			continue;
		if (x != NULL && rows > 0) {
			for (k = end + 1; k < x->first && d->tok[k].line == ND_LINE_SCORES; k++)
				;
			if (k == x->first) {
				count[x->type]++;
				places += is_placeish(m, d, x);
				rows++;
				end = x->last;
				continue;
			}
		}
		if (rows >= TABLE_ROWS)
			for (type = TG_PERSON; type <= TG_ORG; type++)
				if (2 * count[type] > rows ||
				    (type == TG_PERSON && 2 * count[type] == rows))
					for (k = start; k < i; k++)
						if (begins_row(d, &m->mention[k]) &&
						    m->mention[k].type <= TG_ORG)
							m->mention[k].type = type;
		if (rows >= TABLE_ROWS && 2 * places > rows && count[TG_ORG] > 0 &&
		    (sport < 0 ? (sport = has_sport(m, d)) : sport) == 0)
			for (k = start; k < i; k++)
				if (begins_row(d, &m->mention[k]) && m->mention[k].type == TG_ORG &&
				    m->mention[k].last - m->mention[k].first < PLACE_ROW_WORDS)
					m->mention[k].type = TG_PLACE;
		if (x == NULL)
			break;
		memset(count, 0, sizeof count);
		count[x->type]++;
		places = is_placeish(m, d, x);
		rows = 1;
		start = i;
		end = x->last;
	}
}

/* The hash of the initials of the capitalised words of a mention ("FAA"
 * for "Federal Aviation Administration"), or 0 when under two. */
static uint64_t
initials(const struct nd_doc *d, const struct mention *x)
{
	char s[16];
	size_t i, n = 0;

	for (i = x->first; i <= x->last && n < sizeof s; i++)
		if (d->tok[i].cased)
			s[n++] = d->text[d->tok[i].start];
	return n >= 2 && i > x->last ? nd_hash(s, n) : 0;
}

static int listed_place(const struct nm *m, const struct nd_tok *t);

/* Is token i a comma, or the "and" that ends a list? */
static int
is_list_joint(const struct nd_doc *d, size_t i)
{
	return is_char(d, i, ',') || is_and(d, &d->tok[i]);
}

/*
 * The names of a list (LIST_NAMES or more in one sentence, each after the
 * one before but for a comma or "and") are of one kind: a team's players
 * ("Given , Breen , Staunton , Irwin , McAteer"), a league's clubs, where
 * the tagger judges each surname alone and took three of eleven players
 * for clubs.  When two in three of the people and orgs of such a list
 * have one of the two types, the rest take it; places keep theirs (a
 * list of countries and their clubs is no list of one kind).
 */
static void
vote_lists(struct nm *m, const struct nd_doc *d)
{
	size_t i, k, start = 0;
	uint32_t count[TG_NTYPES] = { 0 };

	for (i = 0; i <= m->nmention; i++) {
		const struct mention *x = i < m->nmention ? &m->mention[i] : NULL;
		const struct mention *prev = i > start ? &m->mention[i - 1] : NULL;
		uint32_t all;
		int type;

		if (x != NULL && prev != NULL && x->first == prev->last + 2 &&
		    !d->tok[x->first].sent_first && is_list_joint(d, prev->last + 1)) {
			count[x->type]++;
			continue;
		}
		all = count[TG_PERSON] + count[TG_ORG];
		if (i - start >= LIST_NAMES)
			for (type = TG_PERSON; type <= TG_ORG; type++)
				if (3 * count[type] >= 2 * all)
					for (k = start; k < i; k++)
						if (m->mention[k].type <= TG_ORG)
							m->mention[k].type = type;
		if (x == NULL)
			break;
		memset(count, 0, sizeof count);
		count[x->type]++;
		start = i;
	}
}

/* The hash of the acronym in brackets at token i ("(NIS)"), or 0.  It
 * defines the name before it, also when its letters are not the name's
 * initials: "Federal Public Ministry (MPF)" gives the Portuguese ones.
 * A country's code ("Acme Corp (USA)") and a letter are no acronym. */
static uint64_t
bracketed_acronym(const struct nm *m, const struct nd_doc *d, size_t i)
{
	const struct nd_tok *t;
	size_t len;

	if (!is_char(d, i, '(') || !is_char(d, i + 2, ')'))
		return 0;
	t = &d->tok[i + 1];
	len = t->end - t->start;
	if (t->shape != TOK_SHAPE_UPPER || len < 2 || len > 8 || listed_place(m, t))
		return 0;
	return nd_hash(d->text + t->start, len);
}

static int
is_acronym(const struct nd_doc *d, const struct mention *x)
{
	return x->first == x->last && d->tok[x->first].shape == TOK_SHAPE_UPPER &&
	    x->len <= 8;
}

/* Is t a word a term's acronym skips ("economic and monetary union")? */
static int
is_joining_word(const struct nd_doc *d, const struct nd_tok *t)
{
	static const char *const words[] = { "and", "for", "of", "on", "the", "to" };

	return written_as(d, t, words, sizeof words / sizeof words[0]);
}

/*
 * Is mention x an acronym in brackets that spells the lower-case words
 * before them: "economic and monetary union ( EMU )", "hard red winter (
 * HRW )", "cash reserve ratio ( CRR )"?  It names a term, not an
 * organisation, whose words a text capitalises; in CoNLL's training and
 * development text such an acronym is an org once in 12 (7 no name, 4
 * misc).
 */
static int
spells_term(const struct nd_doc *d, const struct mention *x)
{
	const struct nd_tok *t = &d->tok[x->first];
	size_t i = t->end - t->start, k = x->first - 1;

	if (!is_acronym(d, x) || x->first < 2 || !is_char(d, k, '(') || !is_char(d, x->last + 1, ')'))
		return 0;
	while (i > 0 && k > 0) {
		const struct nd_tok *w = &d->tok[--k];
		char c = d->text[w->start];

		if (w->shape != TOK_SHAPE_LOWER)
			return 0;
		if (c == d->text[t->start + i - 1] - 'A' + 'a')
			i--;
		else if (!is_joining_word(d, w))
			return 0;
	}
	return i == 0;
}

static uint32_t
name_for(struct nm *m, uint64_t key, int type, size_t mention)
{
	uint32_t *slot = fm_put(&m->by_text, key, (uint32_t)m->nname);

	if (*slot == m->nname) {
		struct name *n;

		if (m->nname == m->capname) {
			m->capname = m->capname ? 2 * m->capname : 64;
			m->name = xrealloc(m->name, m->capname * sizeof *m->name);
		}
		n = &m->name[m->nname++];
		memset(n->votes, 0, sizeof n->votes);
		n->type = type;
		n->longest = mention;
		n->count = 0;
		n->head = n->tail = NO_MORE;
		n->before_place = 0;
		n->term = 0;
	}
	return *slot;
}

/* Is t a place the gazetteer lists?  "Washington" alone stays the city
 * in a text that names George Washington; a surname the tagger took for a
 * place ("met Merkel") joins the person. */
static int
listed_place(const struct nm *m, const struct nd_tok *t)
{
	return (lx_phrase(m->lx, lx_seq(0, t->h_key)) & m->places) != 0;
}

static int
in_capitals(const struct nd_tok *t)
{
	return t->headline || t->shape == TOK_SHAPE_UPPER;
}

/*
 * The key of the name a mention starts or joins: its text in lower case,
 * save for a place named by the dateline, where the story was filed from.
 * A club or a paper of the same name ("NICE" over "Nice beat Lyon") is
 * another referent, so a dateline's place is a name of its own unless the
 * text has already made that name a place, and later mentions of it as a
 * place join it.  So is a place in a record of sport with results whose
 * text the tagger also calls an org outside the title: a city and its
 * club ("In Seattle , ..." and "Boston 5 Seattle 3"): of the 147 texts
 * to which the tagger gave both types in a document of the folds of
 * CoNLL's training text (any document), the gold has 125 as both.
 */
#define FILED_FROM 0x6b1f3ea4d9c25817u

static uint64_t
name_key(const struct nm *m, const struct nd_doc *d, const struct mention *x, int scores,
    int *sport)
{
	const uint32_t *v;

	if (x->type != TG_PLACE)
		return x->folded;
	if (d->tok[x->first].line != ND_LINE_DATELINE) {
		if (fm_find(&m->by_text, x->folded ^ FILED_FROM))
			return x->folded ^ FILED_FROM;
		/* m->types: the types of the text's mentions outside the title */
		if (!scores || (v = fm_find(&m->types, x->folded)) == NULL ||
		    (*v & (1u << TG_ORG | 1u << TG_PLACE)) != (1u << TG_ORG | 1u << TG_PLACE))
			return x->folded;
		if (*sport < 0)
			*sport = has_sport(m, d);
		return *sport ? x->folded ^ FILED_FROM : x->folded;
	}
	v = fm_find(&m->by_text, x->folded);
	return v != NULL && m->name[*v].type == TG_PLACE ? x->folded : x->folded ^ FILED_FROM;
}

/* Is t a place the gazetteer lists, and no org, person's name or word of
 * orgs' names? */
static int
only_a_place(const struct nm *m, const struct nd_tok *t)
{
	uint32_t c = lx_phrase(m->lx, lx_seq(0, t->h_key));

	return (c & m->places) && !(c & m->not_place);
}

/*
 * Is mention x a name the gazetteer lists as a country and as nothing
 * else but a region ("Mauritius", "United Arab Emirates", "England"; not
 * "Monaco", a city too, or "Jordan", a first name)?  A country is a place
 * in CoNLL's guidelines also where it names a national team ("Seychelles
 * 1 Mauritius 1"): in CoNLL's training and development text 3,807 names
 * are such, all places.  A region alone is not enough: cricket's counties
 * are clubs.
 */
static int
only_a_country(const struct nm *m, const struct nd_doc *d, const struct mention *x)
{
	uint64_t seq = 0;
	uint32_t c, region = m->region < 0 ? 0 : 1u << m->region;
	size_t k;

	if (m->country < 0)
		return 0;
	for (k = x->first; k <= x->last; k++)
		seq = lx_seq(seq, d->tok[k].h_key);
	c = lx_phrase(m->lx, seq);
	return (c >> m->country & 1) && (c & ~(1u << m->country | region)) == 0;
}

/* Does the document speak of sport? */
static int
has_sport(const struct nm *m, const struct nd_doc *d)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (fm_find(&m->heads, d->tok[i].h_lower ^ SPORT_WORD) != NULL)
			return 1;
	return 0;
}

/* Does the document hold a line of results (figures, a table row)? */
static int
has_scores(const struct nd_doc *d)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (d->tok[i].line == ND_LINE_SCORES)
			return 1;
	return 0;
}

/*
 * The type of a name of type type whose longest mention is x.  For an
 * org: a place when the gazetteer lists it as a country alone
 * (only_a_country); a person when it is one word the gazetteer lists as
 * a first name and a surname and as nothing else (in CoNLL's training
 * and development text 122 such names are people's, none an org's: the
 * tagger took "Noel" and "Vicente" for orgs in the folds); a place or
 * misc when its head word says so (place_last, misc_last, place_first);
 * a place when its last word is a place's (geo_last) in a document
 * without results, or when it is one word the gazetteer lists only as a
 * place in a document without sport: where no club plays.  For a person:
 * a place when its last word is a place's and its first no first name.
 */
static int
head_type(const struct nm *m, const struct nd_doc *d, const struct mention *x, int type,
    int scores, int *sport)
{
	const uint32_t *v;

	if (type == TG_ORG && only_a_country(m, d, x))
		return TG_PLACE;
	if (type == TG_ORG && x->first == x->last && m->name_parts != 0 &&
	    lx_phrase(m->lx, lx_seq(0, d->tok[x->first].h_key)) == m->name_parts)
		return TG_PERSON;
	if (x->first == x->last) {
		if (type != TG_ORG || !only_a_place(m, &d->tok[x->first]))
			return type;
		if (*sport < 0)
			*sport = has_sport(m, d);
		return *sport ? type : TG_PLACE;
	}
	if (type == TG_ORG &&
	    ((v = fm_find(&m->heads, d->tok[x->last].h_key)) != NULL ||
	    (v = fm_find(&m->heads, d->tok[x->first].h_key ^ FIRST_WORD)) != NULL))
		return (int)*v;
	if (type == TG_ORG && !scores &&
	    fm_find(&m->heads, d->tok[x->last].h_key ^ GEO_LAST) != NULL)
		return TG_PLACE;
	if (type == TG_PERSON && fm_find(&m->heads, d->tok[x->last].h_key ^ GEO_LAST) != NULL &&
	    (m->first_name < 0 ||
	    !(lx_phrase(m->lx, lx_seq(0, d->tok[x->first].h_key)) >> m->first_name & 1)))
		return TG_PLACE;
	return type;
}

/* Is there a place the gazetteer lists in brackets at token i: "(
 * Germany )", "( Czech Republic )"? */
static int
bracketed_place(const struct nm *m, const struct nd_doc *d, size_t i)
{
	uint64_t seq = 0;
	size_t k;

	if (!is_char(d, i, '('))
		return 0;
	for (k = i + 1; k < d->n && k <= i + BRACKETED_PLACE_WORDS && !is_char(d, k, ')'); k++)
		seq = lx_seq(seq, d->tok[k].h_key);
	return k > i + 1 && is_char(d, k, ')') && (lx_phrase(m->lx, seq) & m->places);
}

/*
 * The people or clubs of a text of results are named with their country
 * in brackets ("4. Sven Teutenberg ( Germany ) US Postal", "Brann (
 * Norway ) 2 Shelbourne ( Ireland ) 1"), all of one kind, riders or
 * players or clubs, where the tagger judges each name alone and took a
 * rider or two for a team.  When two in three of the names (persons or
 * orgs) so written, and BRACKETED_NAMES or more, have one of the two
 * types, the others take it; a text with both kinds in numbers (a cup's
 * results, clubs and their scorers, 11 people to 8 clubs in one) is left
 * as the tagger had it.
 */
static void
vote_bracketed(struct nm *m, const struct nd_doc *d)
{
	uint32_t count[TG_NTYPES] = { 0 }, all;
	size_t i;
	int type;

	for (i = 0; i < m->nmention; i++) {
		const struct mention *x = &m->mention[i];
		struct name *n = &m->name[x->name];

		if (n->type <= TG_ORG && !n->before_place && bracketed_place(m, d, x->last + 1)) {
			n->before_place = 1;
			count[n->type]++;
		}
	}
	all = count[TG_PERSON] + count[TG_ORG];
	if (all < BRACKETED_NAMES)
		return;
	for (type = TG_PERSON; type <= TG_ORG; type++)
		if (3 * count[type] >= 2 * all)
			for (i = 0; i < m->nname; i++)
				if (m->name[i].before_place)
					m->name[i].type = type;
}

/* Is token i an ordinal number: "45th", "1st", "22nd"? */
static int
is_ordinal(const struct nd_doc *d, size_t i)
{
	const char *p, *q;

	if (i >= d->n || d->tok[i].end - d->tok[i].start < 3)
		return 0;
	p = d->text + d->tok[i].start;
	q = d->text + d->tok[i].end - 2;
	while (p < q && *p >= '0' && *p <= '9')
		p++;
	return p == q && p > d->text + d->tok[i].start &&
	    (memcmp(q, "st", 2) == 0 || memcmp(q, "nd", 2) == 0 || memcmp(q, "rd", 2) == 0 ||
	    memcmp(q, "th", 2) == 0);
}

/* Is mention x a scorer's name, before the minute of the goal ("Dundee
 * 45th", "Lubarskij ( 50th minute )")?  In the CV folds' held-out
 * documents 186 of the 191 names so written are people's (one an org's);
 * the tagger took three of them for clubs and one for a place. */
static int
before_minute(const struct nd_doc *d, const struct mention *x)
{
	size_t i = x->last + 1;

	return is_ordinal(d, i + is_char(d, i, '('));
}

/* Group the mentions into names. */
static void
group(struct nm *m, const struct nd_doc *d)
{
	size_t i, title;
	int scores = has_scores(d), sport = -1;	/* has_sport, when a name asks */

	m->nname = 0;
	fm_clear(&m->types);	/* read only where there are results */
	for (i = 0, title = scores ? title_end(d) : SIZE_MAX; i < m->nmention; i++)
		if (m->mention[i].first >= title)
			*fm_put(&m->types, m->mention[i].folded, 0) |= 1u << m->mention[i].type;
	fm_clear(&m->by_text);
	fm_clear(&m->by_surname);
	fm_clear(&m->by_initials);
	for (i = 0; i < m->nmention; i++) {
		struct mention *x = &m->mention[i];
		uint64_t h;

		if (x->first == x->last)
			continue;
		if (x->type == TG_PERSON) {
			fm_put(&m->by_surname, d->tok[x->last].h_lower, (uint32_t)i);
			continue;
		}
		if ((h = bracketed_acronym(m, d, x->last + 1)) != 0)
			fm_put(&m->by_initials, h, (uint32_t)i);
		if ((h = initials(d, x)) != 0)
			fm_put(&m->by_initials, h, (uint32_t)i);
	}
	/* A name is made when its longest form is first met, so that the
	 * order of names is the order of their first mention, forms and
	 * aliases alike. */
	for (i = 0; i < m->nmention; i++) {
		struct mention *x = &m->mention[i];
		const struct mention *full = NULL;
		const uint32_t *v;
		struct name *n;
		int vote = x->type;

		/* A surname alone votes for the person whose full name it
		 * ends: the tagger, with one word to go by, takes a player's
		 * surname in a match report for a club's name ("Batistuta",
		 * "Chiluba"). */
		if (x->first == x->last && !listed_place(m, &d->tok[x->first]) &&
		    (v = fm_find(&m->by_surname, d->tok[x->first].h_lower)) != NULL) {
			full = &m->mention[*v];
			vote = TG_PERSON;
		} else if (is_acronym(d, x) && (v = fm_find(&m->by_initials, x->hash)) != NULL)
			full = &m->mention[*v];
		if (before_minute(d, x))
			vote = TG_PERSON;
		if (full != NULL && full < x)
			x->name = full->name;
		else if (full != NULL)
			x->name = name_for(m, name_key(m, d, full, scores, &sport), full->type,
			    (size_t)(full - m->mention));
		else
			x->name = name_for(m, name_key(m, d, x, scores, &sport), x->type, i);
		n = &m->name[x->name];
		n->count++;
		if (x->type == TG_ORG && spells_term(d, x))
			n->term = 1;
		/* The tagger may call one name a person here and a place there:
		 * the document's majority decides, the first mention a tie.  A
		 * mention in a headline or in capitals (a dateline's "OSLO")
		 * counts half: the tagger has less to go by there. */
		n->votes[vote] += in_capitals(&d->tok[x->first]) ? 1 : 2;
		if (n->votes[vote] > n->votes[n->type])
			n->type = vote;
		if (m->mention[n->longest].len < x->len)
			n->longest = i;
		x->next = NO_MORE;
		if (n->tail == NO_MORE)
			n->head = (uint32_t)i;
		else
			m->mention[n->tail].next = (uint32_t)i;
		n->tail = (uint32_t)i;
	}
	vote_bracketed(m, d);
	for (i = 0; i < m->nname; i++)
		m->name[i].type = head_type(m, d, &m->mention[m->name[i].longest], m->name[i].type,
		    scores, &sport);
}

static void
add_text(struct buf *out, const struct nm *m, const struct mention *x)
{
	json_escape(out, m->texts.data + x->text, x->len);
}

size_t
nm_json(struct nm *m, const struct nd_doc *d, const struct nm_opts *o, struct buf *out)
{
	size_t i, written = 0;
	uint32_t j;

	find_mentions(m, d);
	vote_rows(m, d);
	vote_lists(m, d);
	group(m, d);
	buf_addc(out, '[');
	for (i = 0; i < m->nname; i++) {
		const struct name *n = &m->name[i];
		const struct mention *longest = &m->mention[n->longest];
		int any = 0;

		/* An org that is a term's acronym is no name; a misc may be
		 * one (bovine spongiform encephalopathy ( BSE )). */
		if (!(o->types >> n->type & 1) || (n->term && n->type == TG_ORG))
			continue;
		if (written++)
			buf_adds(out, ", ");
		buf_adds(out, "{\"text\": ");
		add_text(out, m, longest);
		buf_adds(out, ", \"type\": \"");
		buf_adds(out, tg_type_name(n->type));
		buf_adds(out, "\", \"count\": ");
		buf_addu(out, n->count);
		buf_adds(out, ", \"aliases\": [");
		/* The texts of this name's mentions met so far, a set of its
		 * own: one set for the record, keyed by the name's number
		 * times a constant mixed into the text's hash, took "JJJJJJ"
		 * of one name for "JJJJJJJ" of the name before, since the
		 * hash holds the text's length times that same constant. */
		fm_clear(&m->seen);
		fm_put(&m->seen, longest->hash, 1);
		for (j = n->head; j != NO_MORE; j = m->mention[j].next) {
			const struct mention *x = &m->mention[j];
			uint32_t *seen = fm_put(&m->seen, x->hash, 0);

			if (*seen)
				continue;
			*seen = 1;
			if (any++)
				buf_adds(out, ", ");
			add_text(out, m, x);
		}
		buf_addc(out, ']');
		if (o->spans) {
			buf_adds(out, ", \"spans\": [");
			for (j = n->head; j != NO_MORE; j = m->mention[j].next) {
				const struct mention *x = &m->mention[j];

				buf_adds(out, j != n->head ? ", [" : "[");
				buf_addu(out, d->tok[x->first].start);
				buf_adds(out, ", ");
				buf_addu(out, d->tok[x->last].end);
				buf_addc(out, ']');
			}
			buf_addc(out, ']');
		}
		buf_addc(out, '}');
	}
	buf_addc(out, ']');
	return written;
}
