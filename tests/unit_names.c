/*
 * unit_names: C unit tests of extract-names' parts: how running text is
 * cut into tokens and sentences (doc.c), how tagged mentions become names
 * (names.c: aliases, acronyms, possessives, titles, types), the BILOU
 * rules (tagger.c) and the map (fmap.c), all without a trained model;
 * and, with one trained here on testdata/names-train, that tagging, which
 * remembers sums of features per word, tags as a plain decode does.
 *
 * As in unit_shared.c: a test returns NULL when it passed, else what went
 * wrong; main() prints "ok unit_names/NAME" or "FAIL unit_names/NAME:
 * why" for each and exits 1 if any failed.
 */
#include "compat.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "corpus.h"
#include "doc.h"
#include "fmap.h"
#include "lexicon.h"
#include "msg.h"
#include "names.h"
#include "tagger.h"
#include "train.h"
#include "expect.h"

static struct lx *lx;	/* a small gazetteer written by main() */

/* The tokens of text, as "a|b|c", with "/" before a sentence's first
 * token (after the first) and "^" before a token in a headline. */
static const char *
tokens(const char *text)
{
	static char out[2048];
	struct nd_doc d;
	size_t i, n = 0;

	nd_init(&d);
	nd_text(&d, text, strlen(text));
	out[0] = '\0';
	for (i = 0; i < d.n; i++)
		n += (size_t)snprintf(out + n, sizeof out - n, "%s%s%s%.*s",
		    i == 0 ? "" : d.tok[i].sent_first ? "/" : "|", d.tok[i].headline ? "^" : "", "",
		    (int)(d.tok[i].end - d.tok[i].start), text + d.tok[i].start);
	nd_release(&d);
	return out;
}

static const char *
test_possessives_and_abbreviations(void)
{
	EXPECT_STR(tokens("Norway’s Jonas Gahr Støre met U.S. officials."),
	    "Norway|’s|Jonas|Gahr|Støre|met|U.S.|officials|.");
	EXPECT_STR(tokens("Mr. Smith of Acme Inc. said so"), "Mr.|Smith|of|Acme|Inc.|said|so");
	EXPECT_STR(tokens("Jean-Pierre's e-mail"), "Jean-Pierre|'s|e-mail");
	EXPECT_STR(tokens("J. R. R. Tolkien"), "J.|R.|R.|Tolkien");
	/* A possessive written apart is still one token; a quoted letter
	 * is not one. */
	EXPECT_STR(tokens("Queen 's Park and Boatmen ’s"), "Queen|'s|Park|and|Boatmen|’s");
	EXPECT_STR(tokens("press 's' or 'sa"), "press|'|s|'|or|'|sa");
	/* Words joined by '&' are one token, as CoNLL writes them: the T of
	 * "AT&T." is no initial.  A spaced "&" stands alone. */
	EXPECT_STR(tokens("S&P and P & O called AT&T."), "S&P|and|P|&|O|called|AT&T|.");
	return NULL;
}

static const char *
test_sentences(void)
{
	EXPECT_STR(tokens("He left. Then she came! “Why?” she asked"),
	    "He|left|./Then|she|came|!/“|Why|?|”|she|asked");
	EXPECT_STR(tokens("the U.S. Army said. 2020 was\nnew line"),
	    "the|U.S.|Army|said|./2020|was/new|line");
	EXPECT_STR(tokens("prices rose 3.5 percent. it fell"), "prices|rose|3.5|percent|.|it|fell");
	return NULL;
}

static const char *
test_headlines(void)
{
	EXPECT_STR(tokens("SOCCER - JAPAN GET LUCKY WIN"), "^SOCCER|^-|^JAPAN|^GET|^LUCKY|^WIN");
	EXPECT_STR(tokens("Chancellor Defends Borrowing Rules As Watchdog Warns"),
	    "^Chancellor|^Defends|^Borrowing|^Rules|^As|^Watchdog|^Warns");
	EXPECT_STR(tokens("Late goal earns Redcliffe Albion a draw"),
	    "Late|goal|earns|Redcliffe|Albion|a|draw");
	EXPECT_STR(tokens("NATO and the EU agree"), "NATO|and|the|EU|agree");
	return NULL;
}

/* The kind of sentence token i of text is in (enum nd_line). */
static int
line_kind(const char *text, size_t i)
{
	struct nd_doc d;
	int line;

	nd_init(&d);
	nd_text(&d, text, strlen(text));
	line = i < d.n ? d.tok[i].line : -1;
	nd_release(&d);
	return line;
}

/* Numbers joined by hyphens are one figure, and a word joined to a number
 * one token, as in CoNLL's columns; a place before a date or a long dash
 * is a dateline, not a line of scores. */
static const char *
test_figures(void)
{
	static const struct {
		const char *text;
		size_t token;
		int line;
		const char *what;
	} cases[] = {
		{ "NEW YORK 1996-08-30", 2, ND_LINE_DATELINE, "a dateline" },
		{ "MILWAUKEE , Wisconsin 1996-08-29\nIt rained", 2, ND_LINE_DATELINE,
		    "a dateline with a region" },
		{ "MILWAUKEE , Wisconsin 1996-08-29\nIt rained", 4, ND_LINE_PROSE,
		    "the sentence after a dateline" },
		{ "OSLO — Police said", 0, ND_LINE_DATELINE, "a dateline before a dash" },
		{ "OSLO — Police said", 1, ND_LINE_PROSE, "the dash after a dateline" },
		{ "MILLBROOK, Ohio – It rained", 2, ND_LINE_DATELINE, "a region before an en dash" },
		{ "SOCCER - JAPAN GET LUCKY WIN", 0, ND_LINE_PROSE, "a sport before a hyphen" },
		{ "NATO Chief Warns — Again", 0, ND_LINE_PROSE, "a headline" },
		{ "Lazio 3 Fiorentina 1", 0, ND_LINE_SCORES, "a result" },
		{ "Lazio 3-1 Fiorentina 2-2", 0, ND_LINE_SCORES, "two results" },
		{ "The vote was on 1996-08-30", 0, ND_LINE_PROSE, "a date in prose" },
		{ "1996-08-30", 0, ND_LINE_PROSE, "a date alone" },
	};
	size_t i;

	EXPECT_STR(tokens("Milan won 3-1 on 1996-08-30, COVID-19 and 1996- or -3"),
	    "Milan|won|3-1|on|1996-08-30|,|COVID-19|and|1996|-|or|-|3");
	/* A word joined by a hyphen to a number is one token, as CoNLL
	 * writes an index or a weapon; a spaced hyphen and one before a
	 * word stay apart. */
	EXPECT_STR(tokens("the CAC-40 and AK-47 rifles, DAX - 30 and Jean-Pierre-2"),
	    "the|CAC-40|and|AK-47|rifles|,|DAX|-|30|and|Jean-Pierre-2");
	/* So is one joined by a plus, a contact line's label: C++ and a
	 * rating's AA+ stay apart. */
	EXPECT_STR(tokens("Newsroom Tel+44 171, C++ and AA+ bonds"),
	    "Newsroom|Tel+44|171|,|C|+|+|and|AA|+|bonds");
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
		EXPECT(line_kind(cases[i].text, cases[i].token) == cases[i].line, "%s: %s",
		    cases[i].what, cases[i].text);
	return NULL;
}

/* A headline in title case hashes its words as the same words in capitals. */
static const char *
test_title_case_as_capitals(void)
{
	struct nd_doc a, b;

	nd_init(&a);
	nd_init(&b);
	nd_text(&a, "Norway Backs Offshore Wind Expansion", 36);
	nd_text(&b, "NORWAY BACKS OFFSHORE WIND EXPANSION", 36);
	EXPECT(a.n == 5 && b.n == 5, "%zu and %zu tokens", a.n, b.n);
	for (size_t i = 0; i < a.n; i++)
		EXPECT(a.tok[i].h_form == b.tok[i].h_form && a.tok[i].h_key == b.tok[i].h_key &&
		    a.tok[i].shape == b.tok[i].shape, "token %zu differs", i);
	EXPECT(a.tok[0].h_key == nd_hash("Norway", 6), "the key of NORWAY is not Norway");
	nd_release(&a);
	nd_release(&b);
	return NULL;
}

/*
 * The names of text whose tokens [first, last] are mentions of the given
 * types, as spec "first-last:type ...", types p o l m; with spans.
 */
static const char *
names(const char *text, const char *spec, unsigned types, int spans)
{
	static struct buf out;
	struct nd_doc d;
	struct nm *m = nm_new(lx);
	struct nm_opts o = { types, spans };
	const char *p = spec;
	size_t i;

	nd_init(&d);
	nd_text(&d, text, strlen(text));
	for (i = 0; i < d.n; i++)
		d.tok[i].tag = TG_O;
	while (*p != '\0') {
		unsigned long first = strtoul(p, (char **)&p, 10), last = first;
		int type;

		if (*p == '-')
			last = strtoul(p + 1, (char **)&p, 10);
		type = p[1] == 'p' ? TG_PERSON : p[1] == 'o' ? TG_ORG : p[1] == 'l' ? TG_PLACE : TG_MISC;
		p += 2;
		while (*p == ' ')
			p++;
		if (first == last) {
			d.tok[first].tag = (uint8_t)TG_TAG(type, TG_U);
			continue;
		}
		d.tok[first].tag = (uint8_t)TG_TAG(type, TG_B);
		for (i = first + 1; i < last; i++)
			d.tok[i].tag = (uint8_t)TG_TAG(type, TG_I);
		d.tok[last].tag = (uint8_t)TG_TAG(type, TG_L);
	}
	buf_reset(&out);
	nm_json(m, &d, &o, &out);
	buf_addc(&out, '\0');
	nm_free(m);
	nd_release(&d);
	return out.data;
}

#define ALL (1u << TG_PERSON | 1u << TG_ORG | 1u << TG_PLACE | 1u << TG_MISC)

static const char *
test_surname_alias(void)
{
	/* Angela(0) Merkel(1) met(2) Macron(3) .(4) Merkel(5) left(6) */
	EXPECT_STR(names("Angela Merkel met Macron. Merkel left", "0-1:p 3:p 5:p", ALL, 0),
	    "[{\"text\": \"Angela Merkel\", \"type\": \"person\", \"count\": 2, \"aliases\": [\"Merkel\"]}, "
	    "{\"text\": \"Macron\", \"type\": \"person\", \"count\": 1, \"aliases\": []}]");
	/* A surname taken for an org or an unlisted place is still the person;
	 * a listed place is not. */
	EXPECT_STR(names("Angela Merkel met Merkel and Kenya Smith in Kenya", "0-1:p 3:l 5-6:p 8:l",
	    ALL, 0),
	    "[{\"text\": \"Angela Merkel\", \"type\": \"person\", \"count\": 2, \"aliases\": [\"Merkel\"]}, "
	    "{\"text\": \"Kenya Smith\", \"type\": \"person\", \"count\": 1, \"aliases\": []}, "
	    "{\"text\": \"Kenya\", \"type\": \"place\", \"count\": 1, \"aliases\": []}]");
	/* A mention in capitals counts half when types differ: the
	 * dateline's "OSLO", taken for a person, and "Oslo" give a place.
	 * OSLO(0) —(1) police(2) in(3) Oslo(4) said(5) */
	EXPECT_STR(names("OSLO — police in Oslo said", "0:p 4:l", ALL, 0),
	    "[{\"text\": \"OSLO\", \"type\": \"place\", \"count\": 2, \"aliases\": [\"Oslo\"]}]");
	/* A surname alone votes for the person it joins, whatever the
	 * tagger called it: Batistuta(0) scored(1) .(2) Gabriel(3)
	 * Batistuta(4) left(5) .(6) Batistuta(7) won(8) */
	EXPECT_STR(names("Batistuta scored. Gabriel Batistuta left. Batistuta won", "0:o 3-4:p 7:o",
	    ALL, 0),
	    "[{\"text\": \"Gabriel Batistuta\", \"type\": \"person\", \"count\": 3, "
	    "\"aliases\": [\"Batistuta\"]}]");
	/* A name before the minute of a goal is a scorer's: Scorers(0) :(1)
	 * Lubarskij(2) ((3) 50th(4) minute(5) )(6) ,(7) Valkucak(8) ((9)
	 * 54th(10) )(11) ,(12) Dundee(13) 45th(14) for(15) Rangers(16) */
	EXPECT_STR(names("Scorers : Lubarskij ( 50th minute ) , Valkucak ( 54th ) , Dundee 45th for "
	    "Rangers", "2:o 8:p 13:o 16:o", ALL, 0),
	    "[{\"text\": \"Lubarskij\", \"type\": \"person\", \"count\": 1, \"aliases\": []}, "
	    "{\"text\": \"Valkucak\", \"type\": \"person\", \"count\": 1, \"aliases\": []}, "
	    "{\"text\": \"Dundee\", \"type\": \"person\", \"count\": 1, \"aliases\": []}, "
	    "{\"text\": \"Rangers\", \"type\": \"org\", \"count\": 1, \"aliases\": []}]");
	/* The surname first, the full name after: still one person. */
	EXPECT_STR(names("Merkel spoke. Angela Merkel left", "0:p 3-4:p", ALL, 0),
	    "[{\"text\": \"Angela Merkel\", \"type\": \"person\", \"count\": 2, \"aliases\": [\"Merkel\"]}]");
	return NULL;
}

static const char *
test_acronym(void)
{
	/* the(0) Federal(1) Aviation(2) Administration(3) ((4) FAA(5) )(6) said(7) the(8) FAA(9) */
	EXPECT_STR(names("the Federal Aviation Administration (FAA) said the FAA", "1-3:o 5:o 9:o",
	    ALL, 1),
	    "[{\"text\": \"Federal Aviation Administration\", \"type\": \"org\", \"count\": 3, "
	    "\"aliases\": [\"FAA\"], \"spans\": [[4, 35], [37, 40], [51, 54]]}]");
	/* An acronym in brackets after a name is its alias, whatever its
	 * letters; a country's code or a letter in brackets is not.
	 * the(0) Federal(1) Public(2) Ministry(3) ((4) MPF(5) )(6) said(7) the(8) MPF(9) */
	EXPECT_STR(names("the Federal Public Ministry (MPF) said the MPF", "1-3:o 5:o 9:o", ALL, 0),
	    "[{\"text\": \"Federal Public Ministry\", \"type\": \"org\", \"count\": 3, "
	    "\"aliases\": [\"MPF\"]}]");
	/* Acme(0) Corp(1) ((2) USA(3) )(4) said(5) that(6) Rad(7) ((8) B(9) )(10) won(11) */
	EXPECT_STR(names("Acme Corp (USA) said that Rad (B) won", "0-1:o 3:l 7:o 9:l", ALL, 0),
	    "[{\"text\": \"Acme Corp\", \"type\": \"org\", \"count\": 1, \"aliases\": []}, "
	    "{\"text\": \"USA\", \"type\": \"place\", \"count\": 1, \"aliases\": []}, "
	    "{\"text\": \"Rad\", \"type\": \"org\", \"count\": 1, \"aliases\": []}, "
	    "{\"text\": \"B\", \"type\": \"place\", \"count\": 1, \"aliases\": []}]");
	/* An acronym nothing spells is a name of its own. */
	EXPECT_STR(names("NATO met", "0:o", ALL, 0),
	    "[{\"text\": \"NATO\", \"type\": \"org\", \"count\": 1, \"aliases\": []}]");
	/* One in brackets that spells the lower-case words before it is a
	 * term's, no org, and so are its other mentions; a misc stays.
	 * the(0) economic(1) and(2) monetary(3) union(4) ((5) EMU(6) )(7)
	 * of(8) hard(9) red(10) winter(11) ((12) HRW(13) )(14) as(15) EMU(16)
	 * began(17) at(18) Acme(19) Corp(20) ((21) AC(22) )(23) */
	EXPECT_STR(names("the economic and monetary union ( EMU ) of hard red winter ( HRW ) as EMU "
	    "began at Acme Corp ( AC )", "6:o 13:m 16:o 19-20:o 22:o", ALL, 0),
	    "[{\"text\": \"HRW\", \"type\": \"misc\", \"count\": 1, \"aliases\": []}, "
	    "{\"text\": \"Acme Corp\", \"type\": \"org\", \"count\": 2, \"aliases\": [\"AC\"]}]");
	/* Lower-case words it does not spell: an org.
	 * the(0) state(1) oil(2) firm(3) ((4) PDV(5) )(6) */
	EXPECT_STR(names("the state oil firm ( PDV )", "5:o", ALL, 0),
	    "[{\"text\": \"PDV\", \"type\": \"org\", \"count\": 1, \"aliases\": []}]");
	return NULL;
}

static const char *
test_possessive_and_title(void)
{
	/* Kenya(0) ’s(1) National(2) Intelligence(3) Service(4) */
	EXPECT_STR(names("Kenya’s National Intelligence Service", "0-4:o", ALL, 0),
	    "[{\"text\": \"Kenya\", \"type\": \"place\", \"count\": 1, \"aliases\": []}, "
	    "{\"text\": \"National Intelligence Service\", \"type\": \"org\", \"count\": 1, \"aliases\": []}]");
	/* After words that are no listed place the possessive is the
	 * name's own.  Fishermen(0) ’s(1) Association(2) */
	EXPECT_STR(names("Fishermen’s Association", "0-2:o", ALL, 0),
	    "[{\"text\": \"Fishermen’s Association\", \"type\": \"org\", \"count\": 1, \"aliases\": []}]");
	/* An org, "'s" and an org are one name, unless the first ends in
	 * a company's suffix.
	 * Queen(0) 's(1) Park(2) beat(3) AMR(4) Corp(5) 's(6) American(7) Airlines(8) */
	EXPECT_STR(names("Queen 's Park beat AMR Corp's American Airlines", "0:o 2:o 4-5:o 7-8:o",
	    ALL, 0),
	    "[{\"text\": \"Queen 's Park\", \"type\": \"org\", \"count\": 1, \"aliases\": []}, "
	    "{\"text\": \"AMR Corp\", \"type\": \"org\", \"count\": 1, \"aliases\": []}, "
	    "{\"text\": \"American Airlines\", \"type\": \"org\", \"count\": 1, \"aliases\": []}]");
	/* A month and a word like "Boston-based" lead no org; a month
	 * may start a person's name.  the(0) August(1) National(2)
	 * Association(3) index(4) and(5) Boston-based(6) Reagan(7)
	 * Communications(8) and(9) April(10) Ryan(11) */
	EXPECT_STR(names("the August National Association index and Boston-based Reagan Communications "
	    "and April Ryan", "1-3:o 6-8:o 10-11:p", ALL, 0),
	    "[{\"text\": \"National Association\", \"type\": \"org\", \"count\": 1, \"aliases\": []}, "
	    "{\"text\": \"Boston-based\", \"type\": \"misc\", \"count\": 1, \"aliases\": []}, "
	    "{\"text\": \"Reagan Communications\", \"type\": \"org\", \"count\": 1, \"aliases\": []}, "
	    "{\"text\": \"April Ryan\", \"type\": \"person\", \"count\": 1, \"aliases\": []}]");
	/* Such a word later in an org or a place ends a misc of its own,
	 * the whole name when it ends it.  South(0) Korea-based(1) LG(2)
	 * Electronics(3) and(4) a(5) United(6) Nations-sponsored(7)
	 * truce(8) in(9) Northern(10) Ireland-born(11) */
	EXPECT_STR(names("South Korea-based LG Electronics and a United Nations-sponsored truce "
	    "in Northern Ireland-born", "0-3:o 6-7:o 10-11:l", ALL, 0),
	    "[{\"text\": \"South Korea-based\", \"type\": \"misc\", \"count\": 1, \"aliases\": []}, "
	    "{\"text\": \"LG Electronics\", \"type\": \"org\", \"count\": 1, \"aliases\": []}, "
	    "{\"text\": \"United Nations-sponsored\", \"type\": \"misc\", \"count\": 1, \"aliases\": []}, "
	    "{\"text\": \"Northern Ireland-born\", \"type\": \"misc\", \"count\": 1, \"aliases\": []}]");
	/* "and" after a company's suffix joins two companies; after
	 * another word it may be inside one.  Acme(0) Corp(1) and(2)
	 * Bolt(3) International(4) signed(5) ;(6) Smith(7) and(8) Jones(9)
	 * Ltd(10) */
	EXPECT_STR(names("Acme Corp and Bolt International signed; Smith and Jones Ltd",
	    "0-4:o 7-10:o", ALL, 0),
	    "[{\"text\": \"Acme Corp\", \"type\": \"org\", \"count\": 1, \"aliases\": []}, "
	    "{\"text\": \"Bolt International\", \"type\": \"org\", \"count\": 1, \"aliases\": []}, "
	    "{\"text\": \"Smith and Jones Ltd\", \"type\": \"org\", \"count\": 1, \"aliases\": []}]");
	/* A listed place and a party's member are a place and a misc; a
	 * party's name is an org: the(0) New(1) York(2) Republican(3)
	 * and(4) the(5) Essex(6) Democratic(7) Party(8) */
	EXPECT_STR(names("the New York Republican and the Essex Democratic Party", "1-3:o 6-8:o",
	    ALL, 0),
	    "[{\"text\": \"New York\", \"type\": \"place\", \"count\": 1, \"aliases\": []}, "
	    "{\"text\": \"Republican\", \"type\": \"misc\", \"count\": 1, \"aliases\": []}, "
	    "{\"text\": \"Essex Democratic Party\", \"type\": \"org\", \"count\": 1, "
	    "\"aliases\": []}]");
	/* A working day in capitals heads a table's row of dates, not the
	 * name after it: MON(0) Gencor(1) */
	EXPECT_STR(names("MON Gencor", "0-1:o", ALL, 0),
	    "[{\"text\": \"Gencor\", \"type\": \"org\", \"count\": 1, \"aliases\": []}]");
	/* A day of the week alone is no name; a club's name may end in one.
	 * on(0) Mondays(1) and(2) Wednesdays(3) Sheffield(4) Wednesday(5) */
	EXPECT_STR(names("on Mondays and Wednesdays Sheffield Wednesday", "1:p 3:p 4-5:o", ALL, 0),
	    "[{\"text\": \"Sheffield Wednesday\", \"type\": \"org\", \"count\": 1, \"aliases\": []}]");
	/* A contact line's label is no name; Tel Aviv is one.
	 * Newsroom(0) +(1) 31(2) 20(3) ,(4) Fax(5) +(6) 31(7) 21(8) ,(9)
	 * Tel(10) Aviv(11) */
	EXPECT_STR(names("Newsroom +31 20 , Fax +31 21 , Tel Aviv", "5:o 10-11:l", ALL, 0),
	    "[{\"text\": \"Tel Aviv\", \"type\": \"place\", \"count\": 1, \"aliases\": []}]");
	/* President(0) Joe(1) Biden(2) */
	EXPECT_STR(names("President Joe Biden", "0-2:p", ALL, 0),
	    "[{\"text\": \"Joe Biden\", \"type\": \"person\", \"count\": 1, \"aliases\": []}]");
	/* A title that is a capital and a full stop is an initial:
	 * M.(0) Butcher(1) c(2) Hegg(3) */
	EXPECT_STR(names("M. Butcher c Hegg", "0-1:p 3:p", ALL, 0),
	    "[{\"text\": \"M. Butcher\", \"type\": \"person\", \"count\": 1, \"aliases\": []}, "
	    "{\"text\": \"Hegg\", \"type\": \"person\", \"count\": 1, \"aliases\": []}]");
	/* By(0) Ciarán(1) Mac(2) Giolla(3), taken for an org. */
	EXPECT_STR(names("By Ciarán Mac Giolla", "0-3:o", ALL, 0),
	    "[{\"text\": \"Ciarán Mac Giolla\", \"type\": \"org\", \"count\": 1, \"aliases\": []}]");
	return NULL;
}

static const char *
test_majority_type_and_filter(void)
{
	/* Lyon(0) beat(1) Lyon(2) and(3) Lyon(4) */
	EXPECT_STR(names("Lyon beat Lyon and Lyon", "0:p 2:o 4:o", ALL, 0),
	    "[{\"text\": \"Lyon\", \"type\": \"org\", \"count\": 3, \"aliases\": []}]");
	EXPECT_STR(names("Lyon beat Paris", "0:o 2:l", 1u << TG_PLACE, 0),
	    "[{\"text\": \"Paris\", \"type\": \"place\", \"count\": 1, \"aliases\": []}]");
	EXPECT_STR(names("nothing here", "", ALL, 1), "[]");
	/* Blanks inside a name are squeezed, quotes escaped. */
	EXPECT_STR(names("Bank  of\nEngland \"x\"", "0-2:o", ALL, 0),
	    "[{\"text\": \"Bank of England\", \"type\": \"org\", \"count\": 1, \"aliases\": []}]");
	return NULL;
}

/* An org the tagger found is a place or misc when its head word says so,
 * a person a place when its last word says so; a storm is a misc. */
static const char *
test_head_word_type(void)
{
	/* Fans(0) at(1) Optus(2) Stadium(3) saw(4) the(5) Cannes(6) Film(7)
	 * Festival(8) near(9) Mount(10) Kenya(11) and(12) Stadium(13) */
	EXPECT_STR(names("Fans at Optus Stadium saw the Cannes Film Festival near Mount Kenya and Stadium",
	    "2-3:o 6-8:o 10-11:o 13:o", ALL, 0),
	    "[{\"text\": \"Optus Stadium\", \"type\": \"place\", \"count\": 1, \"aliases\": []}, "
	    "{\"text\": \"Cannes Film Festival\", \"type\": \"misc\", \"count\": 1, \"aliases\": []}, "
	    "{\"text\": \"Mount Kenya\", \"type\": \"place\", \"count\": 1, \"aliases\": []}, "
	    "{\"text\": \"Stadium\", \"type\": \"org\", \"count\": 1, \"aliases\": []}]");
	/* A hospital is a building, a place, as CoNLL has it:
	 * Doctors(0) at(1) Northfield(2) Hospital(3) */
	EXPECT_STR(names("Doctors at Northfield Hospital", "2-3:o", ALL, 0),
	    "[{\"text\": \"Northfield Hospital\", \"type\": \"place\", \"count\": 1, \"aliases\": []}]");
	/* A person's name is the tagger's: Mo(0) Open(1) */
	EXPECT_STR(names("Mo Open", "0-1:p", ALL, 0),
	    "[{\"text\": \"Mo Open\", \"type\": \"person\", \"count\": 1, \"aliases\": []}]");
	/* But for a place's last word after a word that is no first name:
	 * Marram(0) Head(1) ,(2) Ferry(3) Lane(4) and(5) John(6) Head(7) */
	EXPECT_STR(names("Marram Head, Ferry Lane and John Head", "0-1:p 3-4:p 6-7:p", ALL, 0),
	    "[{\"text\": \"Marram Head\", \"type\": \"place\", \"count\": 1, \"aliases\": []}, "
	    "{\"text\": \"Ferry Lane\", \"type\": \"place\", \"count\": 1, \"aliases\": []}, "
	    "{\"text\": \"John Head\", \"type\": \"person\", \"count\": 1, \"aliases\": []}]");
	/* An org that ends like a place is one, but in a document of results,
	 * where clubs play: Ferries(0) left(1) Kestrel(2) Bay(3) .(4) and
	 * Kestrel(0) Bay(1) 2(2) Northvale(3) United(4) 1(5) */
	EXPECT_STR(names("Ferries left Kestrel Bay.", "2-3:o", ALL, 0),
	    "[{\"text\": \"Kestrel Bay\", \"type\": \"place\", \"count\": 1, \"aliases\": []}]");
	EXPECT_STR(names("Kestrel Bay 2 Northvale United 1", "0-1:o 3-4:o", ALL, 0),
	    "[{\"text\": \"Kestrel Bay\", \"type\": \"org\", \"count\": 1, \"aliases\": []}, "
	    "{\"text\": \"Northvale United\", \"type\": \"org\", \"count\": 1, \"aliases\": []}]");
	/* One word listed as a first name and a surname, and as nothing
	 * else, is a person's name, whatever the tagger said; a first name
	 * alone is not enough.  Noelle(0) met(1) John(2) */
	EXPECT_STR(names("Noelle met John", "0:o 2:o", ALL, 0),
	    "[{\"text\": \"Noelle\", \"type\": \"person\", \"count\": 1, \"aliases\": []}, "
	    "{\"text\": \"John\", \"type\": \"org\", \"count\": 1, \"aliases\": []}]");
	/* A listed place the tagger called an org is a place, but in a
	 * document of sport, where a city's club plays:
	 * Exports(0) to(1) Mombasa(2) rose(3) and Mombasa(0) beat(1)
	 * Uganda(2) */
	EXPECT_STR(names("Exports to Mombasa rose", "2:o", ALL, 0),
	    "[{\"text\": \"Mombasa\", \"type\": \"place\", \"count\": 1, \"aliases\": []}]");
	EXPECT_STR(names("Mombasa beat Uganda", "0:o 2:o", ALL, 0),
	    "[{\"text\": \"Mombasa\", \"type\": \"org\", \"count\": 1, \"aliases\": []}, "
	    "{\"text\": \"Uganda\", \"type\": \"org\", \"count\": 1, \"aliases\": []}]");
	/* A name listed as a country and nothing else but a region is a
	 * place in sport too, where it is a national team, as CoNLL has
	 * it; one listed as a country and a first name, or as a region
	 * alone (a county's club), is the tagger's.  Kenya(0) beat(1)
	 * Chad(2) ,(3) Central(4) Africa(5) ,(6) Wessex(7) and(8) Essex(9) */
	EXPECT_STR(names("Kenya beat Chad, Central Africa, Wessex and Essex", "0:o 2:o 4-5:o 7:o 9:o",
	    ALL, 0),
	    "[{\"text\": \"Kenya\", \"type\": \"place\", \"count\": 1, \"aliases\": []}, "
	    "{\"text\": \"Chad\", \"type\": \"org\", \"count\": 1, \"aliases\": []}, "
	    "{\"text\": \"Central Africa\", \"type\": \"place\", \"count\": 1, \"aliases\": []}, "
	    "{\"text\": \"Wessex\", \"type\": \"place\", \"count\": 1, \"aliases\": []}, "
	    "{\"text\": \"Essex\", \"type\": \"org\", \"count\": 1, \"aliases\": []}]");
	/* The first names of a table's rows take the type most have, a
	 * person or an org; a place keeps its own.  Alec(0) Stewart(1) ...
	 * Nasser(6) Hussain(7) ... John(12) Crawley(13) ... Nick(18)
	 * Knight(19) ... Kenya(24) */
	EXPECT_STR(names("Alec Stewart 3 5 0 396\nNasser Hussain 2 3 0 111\nJohn Crawley 2 3 0 178\n"
	    "Nick Knight 3 5 0 190\nKenya 2 3 0 50", "0-1:p 6-7:o 12-13:p 18-19:p 24:l", ALL, 0),
	    "[{\"text\": \"Alec Stewart\", \"type\": \"person\", \"count\": 1, \"aliases\": []}, "
	    "{\"text\": \"Nasser Hussain\", \"type\": \"person\", \"count\": 1, \"aliases\": []}, "
	    "{\"text\": \"John Crawley\", \"type\": \"person\", \"count\": 1, \"aliases\": []}, "
	    "{\"text\": \"Nick Knight\", \"type\": \"person\", \"count\": 1, \"aliases\": []}, "
	    "{\"text\": \"Kenya\", \"type\": \"place\", \"count\": 1, \"aliases\": []}]");
	/* More than half the rows places, in a record without sport: the
	 * orgs of a word or two among the rows' first names are places too.
	 * Bremen(0) 1,453(1) up(2) 13.1(3) Quellstadt(4) ... Dresden(8) ...
	 * Hamburg(12) ... Air(16) Cargo(17) Desk(18) 161(19) 542(20) */
	static const char cargo[] = "Bremen 1,453 up 13.1\nQuellstadt 792 up 11.4\n"
	    "Dresden 31,347 down 4.4\nHamburg 768 up 1.5\nAir Cargo Desk 161 542";

	EXPECT_STR(names(cargo, "0:l 4:o 8:l 12:l 16-18:o", 1u << TG_ORG | 1u << TG_PLACE, 0),
	    "[{\"text\": \"Bremen\", \"type\": \"place\", \"count\": 1, \"aliases\": []}, "
	    "{\"text\": \"Quellstadt\", \"type\": \"place\", \"count\": 1, \"aliases\": []}, "
	    "{\"text\": \"Dresden\", \"type\": \"place\", \"count\": 1, \"aliases\": []}, "
	    "{\"text\": \"Hamburg\", \"type\": \"place\", \"count\": 1, \"aliases\": []}, "
	    "{\"text\": \"Air Cargo Desk\", \"type\": \"org\", \"count\": 1, \"aliases\": []}]");
	/* A table of cities in a record of sport is one of clubs, whatever
	 * most rows were tagged: ... Desk(18) 161(19) 542(20) No(21)
	 * match(22) today(23) .(24) */
	EXPECT_STR(names("Bremen 1,453 up 13.1\nQuellstadt 792 up 11.4\nDresden 31,347 down 4.4\n"
	    "Hamburg 768 up 1.5\nAir Cargo Desk 161 542\nNo match today.", "0:l 4:o 8:l 12:l 16-18:o",
	    1u << TG_ORG, 0),
	    "[{\"text\": \"Quellstadt\", \"type\": \"org\", \"count\": 1, \"aliases\": []}, "
	    "{\"text\": \"Air Cargo Desk\", \"type\": \"org\", \"count\": 1, \"aliases\": []}]");
	/* Half the rows people: a table of people.  Moin(0) Khan(1) ...
	 * Ijaz(6) Ahmed(7) ... Salim(12) Malik(13) ... Saeed(18) Anwar(19) */
	EXPECT_STR(names("Moin Khan 2 3 1 158\nIjaz Ahmed 3 6 1 344\nSalim Malik 3 5 2 195\n"
	    "Saeed Anwar 3 6 0 362", "0-1:o 6-7:p 12-13:o 18-19:p", ALL, 0),
	    "[{\"text\": \"Moin Khan\", \"type\": \"person\", \"count\": 1, \"aliases\": []}, "
	    "{\"text\": \"Ijaz Ahmed\", \"type\": \"person\", \"count\": 1, \"aliases\": []}, "
	    "{\"text\": \"Salim Malik\", \"type\": \"person\", \"count\": 1, \"aliases\": []}, "
	    "{\"text\": \"Saeed Anwar\", \"type\": \"person\", \"count\": 1, \"aliases\": []}]");
	/* A storm's name is a misc, without the words that say so:
	 * Storm(0) Brannagh(1) hit(2) ,(3) then(4) Hurricane(5) Edouard(6)
	 * and(7) Tropical(8) Storm(9) Fay(10) ;(11) Tropical(12) Fruit(13)
	 * Co(14) */
	EXPECT_STR(names("Storm Brannagh hit, then Hurricane Edouard and Tropical Storm Fay; "
	    "Tropical Fruit Co", "0-1:p 6:p 8-10:p 12-14:o", ALL, 0),
	    "[{\"text\": \"Brannagh\", \"type\": \"misc\", \"count\": 1, \"aliases\": []}, "
	    "{\"text\": \"Edouard\", \"type\": \"misc\", \"count\": 1, \"aliases\": []}, "
	    "{\"text\": \"Fay\", \"type\": \"misc\", \"count\": 1, \"aliases\": []}, "
	    "{\"text\": \"Tropical Fruit Co\", \"type\": \"org\", \"count\": 1, \"aliases\": []}]");
	return NULL;
}

/* The names of a list are of one kind: two in three of one type, person
 * or org, make the others it; a place keeps its own. */
static const char *
test_list_vote(void)
{
	/* The(0) team(1) :(2) Aldo(3) ,(4) Brenner(5) ,(6) Stanton(7) ,(8)
	 * Kenya(9) and(10) Irwin(11) .(12) */
	EXPECT_STR(names("The team: Aldo, Brenner, Stanton, Kenya and Irwin.", "3:p 5:p 7:o 9:l 11:p",
	    ALL, 0),
	    "[{\"text\": \"Aldo\", \"type\": \"person\", \"count\": 1, \"aliases\": []}, "
	    "{\"text\": \"Brenner\", \"type\": \"person\", \"count\": 1, \"aliases\": []}, "
	    "{\"text\": \"Stanton\", \"type\": \"person\", \"count\": 1, \"aliases\": []}, "
	    "{\"text\": \"Kenya\", \"type\": \"place\", \"count\": 1, \"aliases\": []}, "
	    "{\"text\": \"Irwin\", \"type\": \"person\", \"count\": 1, \"aliases\": []}]");
	/* Three names are a list; two, or names with other words between,
	 * are not.  Apex(0) ,(1) Brill(2) and(3) Corvo(4) ;(5) Dune(6)
	 * beat(7) Eton(8) ,(9) Fenn(10) */
	EXPECT_STR(names("Apex, Brill and Corvo; Dune beat Eton, Fenn", "0:o 2:o 4:p 6:o 8:o 10:p",
	    ALL, 0),
	    "[{\"text\": \"Apex\", \"type\": \"org\", \"count\": 1, \"aliases\": []}, "
	    "{\"text\": \"Brill\", \"type\": \"org\", \"count\": 1, \"aliases\": []}, "
	    "{\"text\": \"Corvo\", \"type\": \"org\", \"count\": 1, \"aliases\": []}, "
	    "{\"text\": \"Dune\", \"type\": \"org\", \"count\": 1, \"aliases\": []}, "
	    "{\"text\": \"Eton\", \"type\": \"org\", \"count\": 1, \"aliases\": []}, "
	    "{\"text\": \"Fenn\", \"type\": \"person\", \"count\": 1, \"aliases\": []}]");
	return NULL;
}

/* A dateline's place is a name of its own beside a club of the same name;
 * the text's later mentions of it as a place, and its initials, join it. */
static const char *
test_dateline_place(void)
{
	/* NICE(0) ,(1) France(2) —(3) Nice(4) beat(5) Lyon(6) in(7) Nice(8) .(9) */
	EXPECT_STR(names("NICE, France — Nice beat Lyon in Nice.", "0:l 2:l 4:o 6:o 8:l", ALL, 0),
	    "[{\"text\": \"NICE\", \"type\": \"place\", \"count\": 2, \"aliases\": [\"Nice\"]}, "
	    "{\"text\": \"France\", \"type\": \"place\", \"count\": 1, \"aliases\": []}, "
	    "{\"text\": \"Nice\", \"type\": \"org\", \"count\": 1, \"aliases\": []}, "
	    "{\"text\": \"Lyon\", \"type\": \"org\", \"count\": 1, \"aliases\": []}]");
	/* HONG(0) KONG(1) —(2) Shares(3) rose(4) in(5) HK(6) .(7) */
	EXPECT_STR(names("HONG KONG — Shares rose in HK.", "0-1:l 6:l", ALL, 0),
	    "[{\"text\": \"HONG KONG\", \"type\": \"place\", \"count\": 2, \"aliases\": [\"HK\"]}]");
	/* In a record of sport with results, a text the tagger calls both
	 * an org and a place is a club and its city, two names:
	 * Seattle(0) beat(1) Boston(2) in(3) the(4) game(5) .(6) AT(7)
	 * SEATTLE(8) Boston(9) 5(10) Seattle(11) 3(12) */
	EXPECT_STR(names("Seattle beat Boston in the game.\nAT SEATTLE\nBoston 5 Seattle 3",
	    "0:o 2:o 8:l 9:o 11:o", ALL, 0),
	    "[{\"text\": \"Seattle\", \"type\": \"org\", \"count\": 2, \"aliases\": []}, "
	    "{\"text\": \"Boston\", \"type\": \"org\", \"count\": 2, \"aliases\": []}, "
	    "{\"text\": \"SEATTLE\", \"type\": \"place\", \"count\": 1, \"aliases\": []}]");
	/* Without sport (no game, match, league...) it is one name:
	 * Seattle(0) rose(1) in(2) trade(3) .(4) AT(5) SEATTLE(6) Boston(7)
	 * 5(8) Seattle(9) 3(10) */
	EXPECT_STR(names("Seattle rose in trade.\nAT SEATTLE\nBoston 5 Seattle 3",
	    "0:o 6:l 7:o 9:o", ALL, 0),
	    "[{\"text\": \"Seattle\", \"type\": \"org\", \"count\": 3, \"aliases\": [\"SEATTLE\"]}, "
	    "{\"text\": \"Boston\", \"type\": \"org\", \"count\": 1, \"aliases\": []}]");
	/* A town in capitals before a comma and a region that end the line
	 * or come before its date is where the story was filed from, a
	 * place where the tagger said org, and a name apart from the club:
	 * MARLOW(0) ,(1) Kent(2) 2021-03-04(3) Marlow(4) beat(5) Dover(6)
	 * in(7) the(8) cup(9) .(10) */
	EXPECT_STR(names("MARLOW , Kent 2021-03-04\nMarlow beat Dover in the cup.",
	    "0:o 2:l 4:o 6:o", ALL, 0),
	    "[{\"text\": \"MARLOW\", \"type\": \"place\", \"count\": 1, \"aliases\": []}, "
	    "{\"text\": \"Kent\", \"type\": \"place\", \"count\": 1, \"aliases\": []}, "
	    "{\"text\": \"Marlow\", \"type\": \"org\", \"count\": 1, \"aliases\": []}, "
	    "{\"text\": \"Dover\", \"type\": \"org\", \"count\": 1, \"aliases\": []}]");
	/* DUNMORE(0) ,(1) Pa(2) .(3) Dunmore(4) Savings(5) rose(6) .(7) */
	EXPECT_STR(names("DUNMORE , Pa .\nDunmore Savings rose.", "0:p 4-5:o", ALL, 0),
	    "[{\"text\": \"DUNMORE\", \"type\": \"place\", \"count\": 1, \"aliases\": []}, "
	    "{\"text\": \"Dunmore Savings\", \"type\": \"org\", \"count\": 1, \"aliases\": []}]");
	/* So is a town before a comma and a listed country that ends the
	 * clause, but not before the country's possessive:
	 * It(0) fell(1) on(2) Marlow(3) ,(4) Kenya(5) .(6) Acme(7) ,(8)
	 * Kenya(9) 's(10) biggest(11) firm(12) ,(13) rose(14) .(15) */
	EXPECT_STR(names("It fell on Marlow , Kenya . Acme , Kenya 's biggest firm , rose .",
	    "3:o 5:l 7:o 9:l", ALL, 0),
	    "[{\"text\": \"Marlow\", \"type\": \"place\", \"count\": 1, \"aliases\": []}, "
	    "{\"text\": \"Kenya\", \"type\": \"place\", \"count\": 2, \"aliases\": []}, "
	    "{\"text\": \"Acme\", \"type\": \"org\", \"count\": 1, \"aliases\": []}]");
	/* A headline in title case is no dateline, though shown in
	 * capitals: Acme(0) ,(1) Bolt(2) Settle(3) Suit(4) Over(5)
	 * Patents(6) */
	EXPECT_STR(names("Acme, Bolt Settle Suit Over Patents\nAcme and Bolt agreed.", "0:o 2:o",
	    ALL, 0),
	    "[{\"text\": \"Acme\", \"type\": \"org\", \"count\": 1, \"aliases\": []}, "
	    "{\"text\": \"Bolt\", \"type\": \"org\", \"count\": 1, \"aliases\": []}]");
	/* Without a region the tagger's org stays, as a body's seat does:
	 * UNITED(0) NATIONS(1) 2021-03-04(2) The(3) United(4) Nations(5)
	 * met(6) .(7) */
	EXPECT_STR(names("UNITED NATIONS 2021-03-04\nThe United Nations met.", "0-1:o 4-5:o", ALL,
	    0),
	    "[{\"text\": \"UNITED NATIONS\", \"type\": \"org\", \"count\": 2, "
	    "\"aliases\": [\"United Nations\"]}]");
	/* Without a dateline, one text is one name, of the majority's type
	 * (the first mention's in a tie).
	 * Nice(0) beat(1) Lyon(2) in(3) Nice(4) .(5) */
	EXPECT_STR(names("Nice beat Lyon in Nice.", "0:o 2:o 4:l", ALL, 0),
	    "[{\"text\": \"Nice\", \"type\": \"org\", \"count\": 2, \"aliases\": []}, "
	    "{\"text\": \"Lyon\", \"type\": \"org\", \"count\": 1, \"aliases\": []}]");
	return NULL;
}

/* The venue a line of results opens with, after "In" or "At" and before
 * a colon, is a place, without the "In". */
static const char *
test_venue_place(void)
{
	/* In(0) Oakridge(1) :(2) Oakridge(3) Rovers(4) ((5) Wales(6) )(7)
	 * beat(8) Dunmore(9) ((10) Ireland(11) )(12) 2-1(13) */
	EXPECT_STR(names("In Oakridge : Oakridge Rovers ( Wales ) beat Dunmore ( Ireland ) 2-1",
	    "0-1:o 3-4:o 6:l 9:o 11:l", ALL, 0),
	    "[{\"text\": \"Oakridge\", \"type\": \"place\", \"count\": 1, \"aliases\": []}, "
	    "{\"text\": \"Oakridge Rovers\", \"type\": \"org\", \"count\": 1, \"aliases\": []}, "
	    "{\"text\": \"Wales\", \"type\": \"place\", \"count\": 1, \"aliases\": []}, "
	    "{\"text\": \"Dunmore\", \"type\": \"org\", \"count\": 1, \"aliases\": []}, "
	    "{\"text\": \"Ireland\", \"type\": \"place\", \"count\": 1, \"aliases\": []}]");
	/* At(0) Millfield(1) ((2) Bath(3) )(4) :(5) Avon(6) 290(7) and(8)
	 * 112(9) */
	EXPECT_STR(names("At Millfield ( Bath ) : Avon 290 and 112", "1:o 3:l 6:o", ALL, 0),
	    "[{\"text\": \"Millfield\", \"type\": \"place\", \"count\": 1, \"aliases\": []}, "
	    "{\"text\": \"Bath\", \"type\": \"place\", \"count\": 1, \"aliases\": []}, "
	    "{\"text\": \"Avon\", \"type\": \"org\", \"count\": 1, \"aliases\": []}]");
	/* Not before a colon: In(0) Acme(1) Corp(2) ,(3) sales(4) rose(5) */
	EXPECT_STR(names("In Acme Corp , sales rose", "1-2:o", ALL, 0),
	    "[{\"text\": \"Acme Corp\", \"type\": \"org\", \"count\": 1, \"aliases\": []}]");
	return NULL;
}

/* The people or clubs written with a place in brackets are of one kind:
 * two in three of one type make the others it. */
static const char *
test_bracketed_place_vote(void)
{
	/* Ann(0) Lee(1) ((2) Kenya(3) )(4) 1(5) Bo(6) Ek(7) ((8) USA(9) )(10)
	 * 2(11) Cy(12) Do(13) ((14) New(15) York(16) )(17) 3(18) */
	static const char riders[] = "Ann Lee ( Kenya ) 1\nBo Ek ( USA ) 2\nCy Do ( New York ) 3";

	EXPECT_STR(names(riders, "0-1:p 3:l 6-7:p 9:l 12-13:o 15-16:l", ALL, 0),
	    "[{\"text\": \"Ann Lee\", \"type\": \"person\", \"count\": 1, \"aliases\": []}, "
	    "{\"text\": \"Kenya\", \"type\": \"place\", \"count\": 1, \"aliases\": []}, "
	    "{\"text\": \"Bo Ek\", \"type\": \"person\", \"count\": 1, \"aliases\": []}, "
	    "{\"text\": \"USA\", \"type\": \"place\", \"count\": 1, \"aliases\": []}, "
	    "{\"text\": \"Cy Do\", \"type\": \"person\", \"count\": 1, \"aliases\": []}, "
	    "{\"text\": \"New York\", \"type\": \"place\", \"count\": 1, \"aliases\": []}]");
	/* Two of each kind: the tagger's types stay.  Rad(19) ((20) USA(21) )(22) 4(23) */
	EXPECT_STR(names("Ann Lee ( Kenya ) 1\nBo Ek ( USA ) 2\nCy Do ( New York ) 3\nRad ( USA ) 4",
	    "0-1:p 3:l 6-7:p 9:l 12-13:o 15-16:l 19:o 21:l", 1u << TG_ORG, 0),
	    "[{\"text\": \"Cy Do\", \"type\": \"org\", \"count\": 1, \"aliases\": []}, "
	    "{\"text\": \"Rad\", \"type\": \"org\", \"count\": 1, \"aliases\": []}]");
	/* A bracket that holds no listed place does not count: Ann(0)
	 * Lee(1) ((2) 50th(3) )(4) ... */
	EXPECT_STR(names("Ann Lee ( 50th ) 1\nBo Ek ( USA ) 2\nCy Do ( New York ) 3",
	    "0-1:p 6-7:p 9:l 12-13:o 15-16:l", 1u << TG_ORG, 0),
	    "[{\"text\": \"Cy Do\", \"type\": \"org\", \"count\": 1, \"aliases\": []}]");
	return NULL;
}

static const char *
test_bilou(void)
{
	int t;

	for (t = 0; t < TG_NTYPES; t++) {
		EXPECT(tg_allowed(TG_O, TG_TAG(t, TG_B)) && tg_allowed(TG_O, TG_TAG(t, TG_U)),
		    "O cannot start type %d", t);
		EXPECT(!tg_allowed(TG_O, TG_TAG(t, TG_I)) && !tg_allowed(TG_O, TG_TAG(t, TG_L)),
		    "O can continue type %d", t);
		EXPECT(tg_allowed(TG_TAG(t, TG_B), TG_TAG(t, TG_L)) &&
		    !tg_allowed(TG_TAG(t, TG_B), TG_O), "B of type %d", t);
		EXPECT(!tg_allowed(TG_TAG(t, TG_B), TG_TAG((t + 1) % TG_NTYPES, TG_L)),
		    "a name changes type");
		EXPECT(tg_allowed(TG_TAG(t, TG_L), TG_TAG(t, TG_U)) &&
		    tg_allowed(TG_TAG(t, TG_U), TG_O), "after the end of type %d", t);
	}
	return NULL;
}

static const char *
test_fmap(void)
{
	struct fmap m;
	uint64_t k;
	uint32_t v, n = 0, sum = 0;

	fm_init(&m);
	EXPECT(fm_find(&m, 1) == NULL, "found in an empty map");
	for (k = 0; k < 100000; k++)
		*fm_put(&m, k * 0x9E3779B97F4A7C15u, 0) = (uint32_t)k;
	EXPECT(m.n == 100000, "%zu keys", m.n);
	for (k = 0; k < 100000; k++)
		EXPECT(*fm_find(&m, k * 0x9E3779B97F4A7C15u) == k, "key %lu", (unsigned long)k);
	EXPECT(*fm_put(&m, 0, 7) == 0, "put changed a value");
	FM_EACH(&m, k, v) {
		n++;
		sum += v;
	}
	EXPECT(n == 100000 && sum == 704982704u, "FM_EACH saw %u, summing to %u", (unsigned)n,
	    (unsigned)sum);
	fm_clear(&m);
	EXPECT(m.n == 0 && fm_find(&m, 0) == NULL && fm_find(&m, 5 * 0x9E3779B97F4A7C15u) == NULL,
	    "a key left after fm_clear");
	*fm_put(&m, 3, 9) += 1;
	EXPECT(*fm_find(&m, 3) == 10, "after clear");
	fm_release(&m);
	return NULL;
}

/*
 * The tags of d as training scores a token: every row of every feature of
 * tg_features added up, then Viterbi on each run, the history read as
 * tg_tag reads it.
 */
static void
plain_tags(struct tg *g, struct nd_doc *d, uint8_t *tag)
{
	uint64_t f[TG_MAX_FEATURES];
	static float score[TG_MAX_RUN * TG_NTAGS];
	size_t i, j, k, q, n, start;

	tg_prepare(g, d);
	for (i = 0; i < d->n; i = j) {
		start = tg_next_run(d, i, &j);
		for (; i < start; i++)
			tag[i] = d->tok[i].first = TG_O;
		if (i == d->n)
			break;
		tg_history_upto(g, d, i);
		for (k = i; k < j; k++) {
			float *sc = score + (k - i) * TG_NTAGS;

			memset(sc, 0, TG_NTAGS * sizeof *sc);
			n = tg_features(g, d, k, f);
			for (q = 0; q < n; q++) {
				const uint32_t *row = fm_find(&g->feature, f[q]);
				int t;

				for (t = 0; row != NULL && t < TG_NTAGS; t++)
					sc[t] += g->w[(size_t)*row * TG_NTAGS + (size_t)t];
			}
		}
		tg_viterbi(g, score, j - i, tag + i);
		for (k = i; k < j; k++)
			d->tok[k].first = tag[k];
	}
}

static const char *
test_remembered_sums(void)
{
	static char train[] = "testdata/names-train/train.conll";
	char *files[1] = { train };
	struct tr_opts o;
	struct tg g;
	struct nd_doc d;
	struct cp_reader *r;
	uint8_t *plain = NULL;
	size_t docs = 0, open = 0, differ = 0, i;
	int pass;

	static const char text[] =
	    "{\"text\": \"MERKEL AND SOLBERG MEET IN OSLO\\nAngela Merkel met Erna Solberg in Oslo.\"}\n"
	    "{\"text\": \"Bank Of England Warns Kenya\\nThe Bank of England said Kenya and Norway "
	    "would meet.\"}\n"
	    "{\"text\": \"NORWAY BEATS KENYA\\nNorway beat Kenya in Nairobi, Lars Eriksen said.\"}\n";
	char headlines[] = "/tmp/unit_names.XXXXXX";
	int fd;

	if ((fd = mkstemp(headlines)) < 0 || write(fd, text, sizeof text - 1) < 0 || close(fd) != 0)
		return "cannot write the headlines file";
	memset(&o, 0, sizeof o);
	o.iterations = 2;
	o.min_count = 1;
	o.history = 1;
	tg_init(&g, lx);
	tr_train(&g, files, 1, &o);
	nd_init(&d);
	/* Twice over, the second time with every sum remembered; then words
	 * the caches already hold in running text, in headlines. */
	for (pass = 0; pass < 3; pass++) {
		r = cp_open(pass < 2 ? "testdata/names-train/dev.conll" : headlines);
		while (cp_next(r, &d, 0)) {
			plain = xrealloc(plain, d.n + 1);
			plain_tags(&g, &d, plain);
			tg_tag(&g, &d);
			for (i = 0; i < d.n; i++) {
				open += d.tok[i].open;
				differ += d.tok[i].tag != plain[i];
			}
			docs++;
		}
		cp_close(r);
	}
	unlink(headlines);
	free(plain);
	nd_release(&d);
	tg_release(&g);
	EXPECT(docs > 0 && open > 100, "%zu documents, %zu open tokens", docs, open);
	EXPECT(differ == 0, "%zu of %zu open tokens tagged otherwise", differ, open);
	return NULL;
}

/*
 * The reference tags cp_next reads from a training file of text, as
 * "O B-org I-org L-org", "/" between documents; what it says on standard
 * error goes to err (the unit tests say nothing there).  NULL when the
 * files cannot be written.
 */
static const char *
gold_tags(const char *text, char *err, size_t errsize)
{
	static char out[2048];
	char path[] = "/tmp/unit_names.XXXXXX", errpath[] = "/tmp/unit_names.XXXXXX";
	struct cp_reader *r;
	struct nd_doc d;
	size_t i, n = 0, got;
	int fd, efd, saved;
	FILE *fp;

	if ((fd = mkstemp(path)) < 0 || write(fd, text, strlen(text)) < 0 || close(fd) != 0 ||
	    (efd = mkstemp(errpath)) < 0)
		return NULL;
	fflush(stderr);
	saved = dup(2);
	dup2(efd, 2);
	close(efd);
	nd_init(&d);
	out[0] = '\0';
	r = cp_open(path);
	while (cp_next(r, &d, 1)) {
		for (i = 0; i < d.n; i++) {
			int t = d.tok[i].gold;

			if (t == TG_O)
				n += (size_t)snprintf(out + n, sizeof out - n, "%sO", i ? " " : "");
			else
				n += (size_t)snprintf(out + n, sizeof out - n, "%s%c-%s", i ? " " : "",
				    "BILU"[TG_PART(t)], tg_type_name(TG_TYPE(t)));
		}
		n += (size_t)snprintf(out + n, sizeof out - n, "/");
	}
	cp_close(r);
	nd_release(&d);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	fp = fopen(errpath, "r");
	got = fp != NULL ? fread(err, 1, errsize - 1, fp) : 0;
	err[got] = '\0';
	if (fp != NULL)
		fclose(fp);
	unlink(path);
	unlink(errpath);
	return out;
}

/* Overlapping, nested and repeated entities in a JSON record: the first
 * keeps its tags, a later one is left out with a warning, and the tags
 * stay a well-formed sequence (no "Bank B-org, of I-org, England
 * U-place"). */
static const char *
test_overlapping_entities(void)
{
	static const char text[] =
	    "{\"text\": \"The Bank of England said Kenya and Norway would meet.\", \"entities\": ["
	    "{\"type\": \"org\", \"start\": 4, \"end\": 19}, {\"type\": \"org\", \"start\": 4, \"end\": 19}, "
	    "{\"type\": \"place\", \"start\": 12, \"end\": 19}, {\"type\": \"place\", \"start\": 25, \"end\": 30}, "
	    "{\"type\": \"place\", \"start\": 35, \"end\": 41}, {\"type\": \"misc\", \"start\": 25, \"end\": 41}, "
	    "{\"type\": \"misc\", \"start\": 0, \"end\": 8}]}\n";
	char err[2048];
	const char *tags = gold_tags(text, err, sizeof err);

	EXPECT(tags != NULL, "cannot write the training file");
	EXPECT_STR(tags, "O B-org I-org L-org O U-place O U-place O O O/");
	EXPECT(strstr(err, ":1: the org [4,19) 'Bank of England' overlaps the org [4,19) 'Bank of England' before it: left out\n") != NULL &&
	    strstr(err, ":1: the place [12,19) 'England' overlaps the org [4,19) 'Bank of England' before it: left out\n") != NULL &&
	    strstr(err, ":1: the misc [25,41) 'Kenya and Norway' overlaps the place [25,30) 'Kenya' before it: left out\n") != NULL &&
	    strstr(err, ":1: the misc [0,8) 'The Bank' overlaps the org [4,19) 'Bank of England' before it: left out\n") != NULL,
	    "warnings: %s", err);
	return NULL;
}

/*
 * Column tags that make no well-formed sequence are read as the conlleval
 * scorer (with S- and E-) reads them: B- and S- begin a name; I- and E-
 * continue one of their type begun by B- or I- before them, and begin one
 * otherwise (after O, another type, E- or S-, or a sentence's end).
 */
static const char *
test_column_tag_repair(void)
{
	static const char text[] =
	    "Erna S-PER\nSolberg E-PER\nBank B-PER\nof I-ORG\nsaid O\nAngela I-PER\nMerkel I-PER\n"
	    "Oslo B-LOC\nBergen E-LOC\nKenya E-LOC\nLars E-PER\nEriksen I-PER\nThe O\nNew B-LOC\n"
	    "York I-LOC\nNets E-LOC\nFC I-LOC\nPaul I-PER\nAnn B-PER\nLee I-PER\n\nBo I-PER\n";
	char err[256];
	const char *tags = gold_tags(text, err, sizeof err);

	EXPECT(tags != NULL, "cannot write the training file");
	EXPECT_STR(tags, "U-person U-person U-person U-org O B-person L-person B-place L-place "
	    "U-place U-person U-person O B-place I-place L-place U-place U-person B-person "
	    "L-person U-person/");
	EXPECT(err[0] == '\0', "warnings: %s", err);
	return NULL;
}

/* Two spellings of one form (curly or straight apostrophe, a hyphen as
 * U+2010 or ASCII) give a token the same features: the sums tagging
 * remembers per form would otherwise hang on which came first. */
static const char *
test_spellings_one_form(void)
{
	static const char *const pairs[][2] = {
		{ "O\xE2\x80\x99Neill said it.", "O'Neill said it." },
		{ "Jean\xE2\x80\x90Pierre said it.", "Jean-Pierre said it." },
		{ "I\xE2\x80\x99ve said it.", "I've said it." },
	};
	uint64_t f[2][TG_MAX_FEATURES];
	size_t n[2], i, k;
	struct nd_doc d;
	struct tg g;
	int s;

	tg_init(&g, lx);
	nd_init(&d);
	for (i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
		for (s = 0; s < 2; s++) {
			nd_text(&d, pairs[i][s], strlen(pairs[i][s]));
			tg_prepare(&g, &d);
			n[s] = tg_features(&g, &d, 0, f[s]);
		}
		EXPECT(d.n == 4 && n[0] == n[1], "%s: %zu tokens, %zu and %zu features", pairs[i][1],
		    d.n, n[0], n[1]);
		for (k = 0; k < n[0]; k++)
			EXPECT(f[0][k] == f[1][k], "%s: feature %zu differs", pairs[i][1], k);
	}
	nd_release(&d);
	tg_release(&g);
	return NULL;
}

/*
 * A headline word the text writes in lower case is not open to tagging
 * ("RULES"), unless it begins a listed name of two words or more: "NEW"
 * of "NEW YORK" stays open where the text says "new".
 */
static const char *
test_headline_listed_phrase(void)
{
	static const char text[] =
	    "NEW YORK STOCKS FALL AS NEW RULES BITE\nThe new rules bite as stocks fall in New York.";
	static const int open[] = { 1, 1, 0, 0, 0, 0, 0, 0 };
	struct nd_doc d;
	struct tg g;
	size_t i;

	tg_init(&g, lx);
	nd_init(&d);
	nd_text(&d, text, strlen(text));
	tg_prepare(&g, &d);
	EXPECT(d.n > 8 && d.tok[0].headline && !d.tok[8].headline, "%zu tokens", d.n);
	for (i = 0; i < sizeof open / sizeof open[0]; i++)
		EXPECT(d.tok[i].open == open[i], "token %zu (%.*s) is%s open", i,
		    (int)(d.tok[i].end - d.tok[i].start), text + d.tok[i].start,
		    d.tok[i].open ? "" : " not");
	nd_release(&d);
	tg_release(&g);
	return NULL;
}

static const struct {
	const char *name;
	const char *(*fn)(void);
} tests[] = {
	{ "possessives-abbreviations", test_possessives_and_abbreviations },
	{ "sentences", test_sentences },
	{ "headlines", test_headlines },
	{ "figures", test_figures },
	{ "title-case-as-capitals", test_title_case_as_capitals },
	{ "surname-alias", test_surname_alias },
	{ "acronym", test_acronym },
	{ "possessive-title", test_possessive_and_title },
	{ "majority-type-filter", test_majority_type_and_filter },
	{ "dateline-place", test_dateline_place },
	{ "venue-place", test_venue_place },
	{ "bilou", test_bilou },
	{ "fmap", test_fmap },
	{ "remembered-sums", test_remembered_sums },
	{ "spellings-one-form", test_spellings_one_form },
	{ "overlapping-entities", test_overlapping_entities },
	{ "column-tag-repair", test_column_tag_repair },
	{ "headline-listed-phrase", test_headline_listed_phrase },
	{ "head-word-type", test_head_word_type },
	{ "bracketed-place-vote", test_bracketed_place_vote },
	{ "list-vote", test_list_vote },
};

int
main(int argc, char **argv)
{
	static const char gazetteer[] = "city\tMombasa\ncity\tNew York\ncountry\tCentral Africa\n"
	    "country\tChad\ncountry\tKenya\ncountry\tUSA\ncountry\tWessex\nfirst\tChad\n"
	    "first\tJohn\nfirst\tNoelle\nlast\tNoelle\norgword\tCorp\nregion\tEssex\n"
	    "region\tWessex\ntitle\tM.\ntitle\tPresident\n";
	char path[] = "/tmp/unit_names.XXXXXX";
	size_t i;
	int fd, nfailed = 0;

	(void)argc;
	msg_init(argv[0]);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if ((fd = mkstemp(path)) < 0 || write(fd, gazetteer, sizeof gazetteer - 1) < 0 ||
	    close(fd) != 0) {
		printf("FAIL unit_names/setup: %s: %s\n", path, strerror(errno));
		return 1;
	}
	lx = lx_load(path, NULL);
	unlink(path);
	for (i = 0; i < sizeof tests / sizeof tests[0]; i++) {
		const char *err = tests[i].fn();

		if (err) {
			printf("FAIL unit_names/%s: %s\n", tests[i].name, err);
			nfailed++;
		} else {
			printf("ok unit_names/%s\n", tests[i].name);
		}
	}
	lx_free(lx);
	return nfailed ? 1 : 0;
}
