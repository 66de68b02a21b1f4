/*
 * gencorpus - write a deterministic synthetic news corpus as JSON Lines
 *
 * usage: gencorpus [-s seed] [-m megabytes] [-k news|dirty|glue]
 *
 * Benchmark input for the winnow filters.  Records have the shape of the
 * sample archive in testdata/archive.  "news" is clean, mostly-ASCII
 * text; "dirty" adds what a scraper leaves behind in most records:
 * mojibake (once or twice through Windows-1252, through Latin-1 with the
 * C1 controls that leaves, through Windows-1251 or Windows-1250, with the
 * undefined bytes lost to "?" or the non-breaking spaces lost to plain
 * ones), HTML entities, stray tags, odd spaces, invisible characters,
 * sentences glued together and CRLF line ends, with a paragraph in
 * Russian, Czech, Polish or French in some records so that every code
 * page has letters to damage; "glue" only the damage white space and glue
 * fix: runs of spaces, non-breaking spaces and sentences glued together.
 *
 * Every string is stored already JSON-escaped, and its mojibake and
 * entity forms are made once at start-up, so making a record is only
 * choosing strings and copying bytes.  The output is a function of the
 * seed alone: -m only says where to stop (after the record that reaches
 * the limit; a megabyte is 10^6 bytes), so a short corpus is a prefix of
 * a longer one made with the same seed.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define nelem(a)	(sizeof(a) / sizeof((a)[0]))

/* Output is handed to stdio in blocks this big. */
#define BLOCK	(1 << 20)
/* Room kept free past BLOCK; more than one paragraph or line can take. */
#define SLACK	(64 << 10)

/* A string in each of the forms a record may show it in: as written,
 * misread once as Windows-1252, twice, read as Latin-1, as Windows-1251,
 * as Windows-1250, once as Windows-1252 with its undefined bytes lost to
 * "?" or with its non-breaking spaces lost to spaces, with entities. */
enum {
	PLAIN, MOJI, MOJI2, LATIN1, CP1251, CP1250, LOST, NONBSP, ENT, NVAR
};

struct str {
	const char	*v[NVAR];
	unsigned short	 n[NVAR];
	unsigned char	 same;	/* all forms equal: safe to cut anywhere */
};

struct list {
	const char *const	*src;
	size_t			 n;
	struct str		*v;
};

struct seg {
	struct str	lit;
	char		slot;	/* what follows lit, 0 for nothing */
};

struct tmpl {
	struct seg	*seg;
	size_t		 nseg;
	int		 open;	/* may be preceded by an opener */
};

struct tlist {
	const char *const	*src;
	size_t			 n;
	struct tmpl		*v;
};

#define LIST(a)		{ a, nelem(a), NULL }

struct topic {
	const char	*section;
	int		 abroad;
	struct list	 roles, nouns, orgs, tags, slugs;
	struct tlist	 heads, body;
};

struct site {
	const char	*key;
	const char	*host;
	int		 weight[6];	/* per topic, in percent */
	const char	*lead;		/* dateline before the first paragraph */
	struct tlist	 top, mid, bot;
	struct tmpl	 leadt;
	uint64_t	 count;
};

/* What one article keeps fixed so that its sentences agree. */
struct ctx {
	struct topic		*tp;
	unsigned		 town, org, home, away, cur, money;
	unsigned		 won, lost;	/* the score, home side first */
	unsigned		 cast[3][3];	/* first, last, role */
	const struct str	*quote;		/* last quote, for a pull quote */
	uint64_t		 usedt, usedg;	/* templates used so far */
};

/* The defects of the record being made. */
struct dirt {
	int	tags, spaces, zw, glue, crlf, bom;
	struct list	*foreign;	/* a paragraph from here, or NULL */
};

/*
 * Vocabulary.  Templates use these slots:
 *	%P cast member (becomes current)	%S current's surname
 *	%R current's role			%W passer-by, full name
 *	%T the article's place			%U another place
 *	%O the article's organisation		%c topic noun
 *	%t home team	%u away team		%v any team
 *	%x score, home side first
 *	%N 2-12		%B 13-99		%K thousands
 *	%M money	%Q percentage		%Y year
 *	%D weekday	%H month		%h someone else's headline
 *	%q quote, curly apostrophes		%r quote, straight ones
 * A leading ^ lets the sentence take an opener ("Meanwhile, the ...").
 */

static const char *const firsts[] = {
	"James", "Sarah", "Michael", "Emma", "David", "Laura", "Thomas",
	"Rachel", "Daniel", "Helen", "Owen", "Priya", "Marcus", "Fiona",
	"Samuel", "Grace", "Patrick", "Aisha", "Robert", "Claire", "Ewan",
	"Megan", "Arjun", "Nadia", "Callum", "Ruth", "Tobias", "Sophie",
	"Kwame", "Alice", "Gareth", "Hannah", "Imran", "Joanna", "Liam",
	"Maria", "Niall", "Olivia", "Rhys", "Yasmin", "Zoë", "José",
	"Ren\\u00e9e", "Łukasz", "Søren", "Agnieszka", "Chlo\\u00e9",
	"Mehmet", "Inès", "Björn", "Declan", "Freya", "Kofi", "Leah",
	"Martin", "Pauline", "Victor", "Wendy", "Conor", "Hoa",
};

static const char *const lasts[] = {
	"Ashworth", "Bellamy", "Carver", "Dunmore", "Ellison", "Fairbairn",
	"Garside", "Holloway", "Ingram", "Jessop", "Kendrick", "Lowther",
	"Mabry", "Nettleton", "Okafor", "Pritchard", "Quarrie", "Radford",
	"Stanier", "Thorne", "Underhill", "Varley", "Whitlock", "Yardley",
	"O'Connell", "O’Brien", "Çelik", "Müller", "Nguyễn", "Kowalczyk",
	"Fern\\u00e1ndez", "Haddad", "Lindqvist", "Moreau", "Petrova",
	"Rossi", "Tanaka", "Brennan", "Castell", "Drummond", "Egan",
	"Fenwick", "Galloway", "Hargreaves", "Iqbal", "Jarvis", "Kerr",
	"Lund", "McAllister", "Novak", "Osei", "Patel", "Rowe", "Sinclair",
	"Tremayne", "Voss", "Wakefield", "Abernethy", "Blackwood", "Chaudhry",
};

static const char *const towns[] = {
	"Wrenmouth", "Coldwater Quay", "Hollin Bridge", "Fennick",
	"Marram Head", "Dunlow", "Stoneleigh Cross", "Copperhill", "Ottersby",
	"Blackmere", "Larkfield", "Penhallow", "Westerby", "Brindle Green",
	"Ferrow", "Gullsworth", "Mossgate", "Tarnby", "Eastbrook", "Northvale",
	"Kestrel Bay", "Saltmarsh", "Lowfield", "Port Elwyn", "Ashby Vale",
};

static const char *const abroad[] = {
	"Estravia", "Port Amara", "Vesnograd", "Ribeira Nova", "Kastellon",
	"Drenava", "Mirovo", "Aldenholm", "Qasr Amin", "Santa Vireza",
	"Île-Mercier", "Kálmoss", "Soveran", "Teodorin", "Lagos Verde",
};

static const char *const teams[] = {
	"Harbor Town", "Northvale United", "Eastbrook Athletic", "Kestrel Bay",
	"Old Mill Wanderers", "Saltmarsh City", "Redcliffe Albion",
	"Lowfield Rangers", "Ashby Vale", "Port Elwyn", "Brackenridge",
	"Greystone Thistle", "Copperhill Town", "Marram Head Rovers",
};

static const char *const days[] = {
	"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
	"Sunday",
};

static const char *const months[] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December",
};

static const char *const currency[] = { "£", "$", "€" };

static const char *const quotes[] = {
	"We have waited long enough for this, and people deserve an answer",
	"Nobody pretends this is easy",
	"It's been a difficult year for everyone involved",
	"We'll keep fighting for the people who depend on this service",
	"I don't think anyone saw this coming",
	"The numbers simply don't add up",
	"This is a good day for the town",
	"We're not going anywhere",
	"Our priority is keeping people safe",
	"It's a setback, not the end of the road",
	"We knew the second half would be hard, and it was",
	"There are no easy choices left",
	"People want to see action, not more promises",
	"We've done everything that was asked of us",
	"I'm proud of how everyone has pulled together",
	"We owe it to the next generation to get this right",
	"This was never about money",
	"The result speaks for itself",
	"It's too early to say what happens next",
	"I've lived here all my life and I've never seen anything like it",
	"We can't keep asking families to pay more for less",
	"Frankly, it's been handled badly from the start",
	"We'll learn from this and come back stronger",
	"Nobody voted for this",
	"The evidence is clear and it doesn't support the claim",
	"You don't get many nights like this one",
};

/* Neutral in tense, so that they fit any sentence marked ^. */
static const char *const openers[] = {
	"Meanwhile, ", "However, ", "Separately, ", "At the same time, ",
	"By contrast, ", "Even so, ", "As expected, ", "In the meantime, ",
	"Elsewhere, ", "Still, ", "In addition, ", "Not surprisingly, ",
	"As a result, ", "According to %W, ", "Locally, ",
};

static const char *const general[] = {
	"%O said it would publish more details in the coming weeks.",
	"^Local people in %T have mixed feelings about the changes.",
	"It is not the first time the issue has come up: a similar proposal was rejected in %Y.",
	"Asked whether more could have been done, %S said lessons would be learned.",
	"^The figures were published on %D and are expected to be revised next month.",
	"%W, who has lived in %T for %B years, said the area had changed beyond recognition.",
	"^Further updates are expected later on %D.",
	"^Critics argue the plan does too little, too late.",
	"In a statement, %O said it was \\\"disappointed\\\" by the outcome.",
	"^The story was first reported by a local radio station in %U.",
	"^A public meeting will be held at the community centre in %U next %D.",
	"^Officials declined to say how many people had been affected.",
	"%S added that talks with neighbours in %U were continuing.",
	"Anyone with information is asked to contact %O.",
	"^Nobody from %O was available for comment on %D evening.",
	"%S, who took up the post in %Y, has faced criticism over the handling of the issue.",
	"^The details are set out in a %B-page document published alongside the announcement.",
	"Not everyone is convinced.",
	"%W, a retired teacher from %U, said: \\\"We have heard all this before.\\\"",
	"^The numbers tell only part of the story.",
	"^A decision is expected before the end of %H.",
	"^It remains unclear who will pay for the work.",
	"%P said the issue would not go away on its own.",
	"^Some of those affected said they had learned about the changes from social media rather than from %O.",
	"^The same concerns were raised at a meeting in %U last year, when about %B people attended.",
	"^There has been no official response to the latest figures.",
	"%S has been approached for further comment.",
	"^Questions have also been raised about the timing of the announcement.",
	"Speaking on local radio, %P said the priority was to \\\"get the basics right\\\".",
	"^The full report runs to %B pages and makes %N recommendations.",
	"\\\"%r,\\\" %S said.",
	"\\\"%r.\\\"",
	"^Similar schemes have been tried in %U, with mixed results.",
	"^Most of the people we spoke to in %T had not heard of the plan.",
};

static const char *const dashes[] = {
	"^The plan — first put forward in %Y — has been revised %N times since.",
	"^Support — already thin — fell away further in %H.",
	"^The decision — which still needs final approval — is expected to be confirmed on %D.",
	"%P — in the post since %Y — said there were no plans to step down.",
	"^Two things are now clear — the money has run out, and time is short.",
	"%T — home to about %K people — has seen nothing like it in a generation.",
	"^The timing — just weeks before the end of the year — drew criticism from %O.",
};

static const char *const curly[] = {
	"“%q,” said %P, the %R.",
	"“%q,” %S said. “We will keep going.”",
	"%P put it bluntly: “%q.”",
	"“%q” — that was the message from %P after the meeting.",
	"%S, speaking outside the town hall in %T, said: “%q.”",
	"The mood was summed up by %W, who said: “%q.”",
	"“%q,” %S told the %B or so people who had gathered.",
	"Asked about the outcome, %S said: “%q.”",
};

/*
 * Paragraphs in other languages, as a wire story quotes them: the letters
 * Windows-1251 and Windows-1250 damage, and the "à" whose second byte is
 * the one that turns into a non-breaking space.
 */
static const char *const russian[] = {
	"«Мы готовы к диалогу, но не на любых условиях», — заявил представитель министерства на брифинге в Москве.",
	"По данным областной администрации, после паводка пострадали более сорока домов, около двухсот человек эвакуированы.",
	"Сергей Иванов, глава районного совета, сказал журналистам, что ремонт моста начнётся весной.",
	"Цены на хлеб и молоко в Новосибирске выросли за месяц почти на семь процентов.",
	"«Это решение давно назрело», — считает экономист Ирина Соколова.",
};

static const char *const central[] = {
	"„Nikdo nečekal, že hráz povolí tak rychle,“ řekl starosta Jiří Dvořák.",
	"Minister Łukasz Wójcik zapowiedział, że budowa obwodnicy Łodzi ruszy w przyszłym roku.",
	"Předseda vlády navštívil Ostravu, kde jednal se zástupci hutí o cenách energií.",
	"Według sondażu 42 procent wyborców w Gdańsku popiera nowego burmistrza.",
	"Pani Małgorzata Żółkiewska z Krakowa powiedziała, że czeka na odszkodowanie od dwóch lat.",
};

static const char *const french[] = {
	"« Nous sommes prêts à discuter, mais pas à n'importe quel prix », a déclaré le maire à la presse.",
	"Le conseil municipal a voté à l'unanimité la rénovation de la gare, prévue à partir de septembre.",
	"Voilà trois ans que les habitants attendent une réponse de la préfecture.",
	"À Lyon comme à Marseille, les syndicats appellent à la grève jeudi.",
};

/* Council and local politics. */
static const char *const council_roles[] = {
	"council leader", "deputy mayor", "cabinet member for finance",
	"leader of the opposition group", "chair of the planning committee",
	"ward councillor", "council's chief executive", "mayor",
};
static const char *const council_nouns[] = {
	"parking levy", "harbour development plan", "library budget",
	"bus lane scheme", "housing strategy", "waste collection contract",
	"leisure centre refurbishment", "school transport review",
	"council tax rise", "flood defence scheme", "market hall lease",
	"street lighting plan", "allotment expansion", "road resurfacing programme",
	"tourist levy", "ferry subsidy",
};
static const char *const council_orgs[] = {
	"the borough council", "the county council", "the harbour board",
	"the town council", "the parish council", "the regional transport authority",
};
static const char *const council_tags[] = {
	"council", "local-government", "budget", "planning", "housing",
	"transport",
};
static const char *const council_slugs[] = {
	"council", "vote", "budget", "levy", "plan", "housing", "parking",
	"scheme", "review", "meeting",
};
static const char *const council_heads[] = {
	"%T councillors approve %c after %N-hour debate",
	"Decision on %T %c delayed again",
	"Residents pack %T meeting over %c",
	"%T %c to cost %M more than planned, report finds",
	"Council leader defends %c as critics call for review",
	"%T to press ahead with %c despite objections",
	"Petition against %c handed in at %T town hall",
};
static const char *const council_body[] = {
	"^Councillors in %T voted %B to %N on %D to approve the %c, ending months of argument over how it would be paid for.",
	"^The %c had been delayed twice since %H after officers warned that the original costings were out of date.",
	"%P, the %R, told the meeting that the authority had no choice but to act before the end of the financial year.",
	"^Opposition members said the %c had been rushed through without proper consultation.",
	"^A report presented to %O put the cost of the %c at %M, about %Q above the first estimate.",
	"^More than %K residents signed a petition against the proposal, which was handed in at the town hall last week.",
	"^Officers said the changes would save about %M a year once fully in place.",
	"%S said the council would publish a full breakdown of the figures before the next meeting.",
	"^The decision will be reviewed by the scrutiny committee in %H.",
	"^Traders on the high street in %U said they had not been consulted about the %c.",
	"^Under the plans, charges would rise by %Q from April, with discounts for residents who register online.",
	"^The council has lost about %Q of its central government grant over the past decade, according to its own figures.",
	"A spokesperson for %O said the authority was \\\"listening carefully\\\" to the concerns raised.",
	"^Members agreed to set up a cross-party working group to look at alternatives to the %c.",
	"^The meeting, which ran past midnight, was adjourned twice after protesters interrupted speeches from the public gallery.",
	"%P, the %R, said the vote was \\\"a test of whether we mean what we say about the town centre\\\".",
	"^Three members abstained, and one left the chamber before the vote was taken.",
	"^Parents in %U have raised concerns about the effect on the school run.",
	"^An earlier version of the %c was withdrawn in %Y after a legal challenge.",
	"^The final decision rests with %O, which meets again on %D.",
	"^Objectors have %N weeks to lodge an appeal.",
};

/* Weather and travel. */
static const char *const weather_roles[] = {
	"forecaster", "duty meteorologist", "flood duty manager",
	"emergency planning officer", "coastguard station officer",
	"head of roads maintenance",
};
static const char *const weather_nouns[] = {
	"storm", "cold snap", "heavy rain", "gale", "fog", "hailstorm",
	"early frost", "snowfall", "spring tide", "thunderstorm", "sea mist",
	"blizzard",
};
static const char *const weather_orgs[] = {
	"the regional weather service", "the river authority", "the coastguard",
	"the highways department", "the fire and rescue service",
};
static const char *const weather_tags[] = {
	"weather", "flooding", "storm", "travel", "environment",
};
static const char *const weather_slugs[] = {
	"weather", "storm", "rain", "flood", "warning", "wind", "travel",
	"snow", "roads",
};
static const char *const weather_heads[] = {
	"%T hit by %c as warnings stay in place",
	"Amber warning issued as %c heads for the coast",
	"Roads closed and trains cancelled after %c",
	"%T cleans up after night of %c",
	"Forecasters warn of more %c later this week",
	"Clean-up under way in %U after %c",
};
static const char *const weather_body[] = {
	"^Forecasters have issued an amber warning for %T and %U, with gusts of up to %B miles per hour expected overnight.",
	"^About %K homes lost power on %D evening after the %c brought down lines across the region.",
	"%P, a %R at %O, said the worst of the weather would pass by the weekend but conditions would remain unsettled.",
	"^Several roads between %T and %U were closed after fallen trees blocked both carriageways.",
	"^Rail operators cancelled %B services and warned passengers to check before travelling.",
	"^The river at %U rose by more than a metre in %N hours, according to gauges monitored by %O.",
	"^Sandbags were handed out at the fire station in %T, where volunteers worked through the night.",
	"^Schools in the area were told to decide on %D morning whether it was safe to open.",
	"^Temperatures are expected to fall to minus %N overnight, with ice likely on untreated roads.",
	"^The coastguard urged people to stay away from the seafront at %T during high tide.",
	"^Insurers said it was too early to put a figure on the damage, but early claims suggested it could reach %M.",
	"^Records kept since %Y show that %H has rarely been this wet in the region.",
	"^Farmers near %U said some fields were under water for the second time this year.",
	"%S said drivers should allow extra time and avoid the coast road altogether.",
	"^A lorry overturned on the bypass near %U, closing it for %N hours.",
	"^The ferry to %U was suspended for the whole of %D.",
	"^Emergency crews rescued %N people from cars trapped in floodwater.",
	"^Rainfall totals reached %B millimetres in places, more than a month's worth in two days.",
	"^Drier weather is expected from %D, although forecasters say it will stay cold.",
	"^Residents of %T said the drains had not been cleared since %Y.",
};

/* Sport. */
static const char *const sport_roles[] = {
	"head coach", "captain", "striker", "goalkeeper", "club chairman",
	"assistant manager", "winger", "midfielder", "full-back",
};
static const char *const sport_nouns[] = {
	"league title", "cup run", "relegation battle", "derby",
	"promotion race", "transfer window", "semi-final", "play-off place",
	"county cup", "season opener",
};
static const char *const sport_orgs[] = {
	"the league", "the county FA", "the supporters' trust", "the club",
	"the referees' association",
};
static const char *const sport_tags[] = {
	"sport", "football", "results", "league", "cup", "transfers",
};
static const char *const sport_slugs[] = {
	"match", "report", "win", "draw", "defeat", "cup", "league", "derby",
	"goal", "result",
};
static const char *const sport_heads[] = {
	"%t beat %u %x to keep %c hopes alive",
	"Late goal earns %t a draw against %u",
	"%u manager under pressure after %x defeat",
	"%t sign %W on %B-month deal",
	"Five things we learned from the %c",
	"%t through to %c after win at %u",
};
static const char *const sport_body[] = {
	"%t came from behind to beat %u %x in front of a crowd of %K on %D night.",
	"%P, the %t %R, scored twice in the second half to settle the match.",
	"^The visitors had taken the lead after %B minutes when a corner was only half cleared.",
	"%S said afterwards that the side had shown \\\"real character\\\" after a difficult month.",
	"^The result lifts %t to %B points, %N behind the leaders with a game in hand.",
	"^A penalty appeal was waved away late on, to the fury of the home bench.",
	"^The %c resumes after the international break, with a trip to %u.",
	"%W was booked for a late challenge and will miss the next game through suspension.",
	"^Attendance has risen by %Q this season after the club cut ticket prices for under-18s.",
	"^The goalkeeper made three fine saves in the opening quarter of an hour to keep the scores level.",
	"^Supporters' groups have called for a meeting with the board over the future of the ground.",
	"^Injuries have left the squad stretched, with %N first-team players unavailable.",
	"^Both sides hit the woodwork before the break in a lively first half.",
	"%u have now gone %N games without a win, their worst run since %Y.",
	"%P, the %R, was substituted at half-time with what looked like a hamstring injury.",
	"^The winner came %B minutes in, a low shot from the edge of the area that took a deflection.",
	"%S, signed from %v in the summer, was named man of the match.",
	"^Ticket sales for the %c have been strong, and the club expects a sell-out.",
	"^The referee added %N minutes of stoppage time, and the home side held on.",
	"^A minute's applause was held before kick-off in memory of a former player.",
	"^The club's accounts for %Y showed a loss of %M.",
};

/* Business. */
static const char *const business_roles[] = {
	"chief executive", "finance director", "chair", "head of retail",
	"founder", "operations director", "head of investor relations",
};
static const char *const business_nouns[] = {
	"quarterly profit", "annual revenue", "online sales", "takeover bid",
	"restructuring", "expansion plan", "dividend", "pension scheme",
	"new factory", "supply contract", "price rise", "store closures",
};
static const char *const business_orgs[] = {
	"Greywater Logistics", "Lantern Foods", "Coldharbour Energy",
	"Pellow & Sons", "Marlin Shipping", "Brightfield Mills",
	"Quayside Bank", "Hartwell Pharmaceuticals", "Tidewell Homes",
	"Osprey Telecom",
};
static const char *const business_tags[] = {
	"business", "economy", "earnings", "jobs", "markets", "retail",
};
static const char *const business_slugs[] = {
	"profit", "earnings", "jobs", "shares", "results", "takeover",
	"factory", "sales", "dividend",
};
static const char *const business_heads[] = {
	"%O profits fall %Q as costs bite",
	"%O to create %K jobs at new %T site",
	"Shares in %O jump after %c beats forecasts",
	"%O confirms talks over %c",
	"Union warns of strike over %O %c",
	"%O boss steps down after %N years",
};
static const char *const business_body[] = {
	"%O reported a %Q rise in pre-tax profit for the three months to September, ahead of analysts' forecasts.",
	"^Revenue reached %M, helped by strong demand in %U and lower fuel costs.",
	"%P, the company's %R, said the results showed the business was \\\"back on track\\\" after two difficult years.",
	"^Shares closed up %Q on %D, valuing the company at about %M.",
	"^The group employs about %K people, most of them at its main site in %T.",
	"^Analysts said margins remained under pressure from higher wages and energy bills.",
	"^The company said it would keep its dividend unchanged and review its plans in %H.",
	"^Unions said they would seek urgent talks over the future of %B jobs at the %U depot.",
	"%S declined to comment on reports that a rival had made an approach earlier in the year.",
	"^Sales in the final quarter are expected to be weaker as customers cut back.",
	"^The firm opened its first factory in %T in %Y and has grown steadily since.",
	"^Investors will be watching closely for any update on the %c when full-year figures are published.",
	"^Debt fell to %M at the end of the period, down from %M a year earlier.",
	"^Costs rose by %Q, driven mainly by transport and packaging.",
	"%P, the %R, said the company had \\\"no plans\\\" to move production abroad.",
	"^The board approved a share buyback of up to %M.",
	"^Online orders now make up about %Q of sales, up from a tenth before the pandemic.",
	"^A new distribution centre near %U is due to open in %H, creating about %B jobs.",
	"^The results were published before the market opened on %D.",
	"^Pre-tax profit was %M, compared with %M a year ago.",
};

/* Courts. */
static const char *const court_roles[] = {
	"defendant", "prosecutor", "defence barrister", "detective inspector",
	"solicitor", "company director",
};
static const char *const court_nouns[] = {
	"fraud trial", "appeal", "inquest", "sentencing hearing",
	"planning dispute", "compensation claim", "employment tribunal",
	"retrial", "licensing case", "judicial review",
};
static const char *const court_orgs[] = {
	"the prosecution service", "the county police", "the fraud office",
	"the hospital trust", "the licensing authority",
};
static const char *const court_tags[] = {
	"courts", "crime", "justice", "appeal", "police",
};
static const char *const court_slugs[] = {
	"court", "trial", "appeal", "sentenced", "case", "jury", "hearing",
	"fraud", "inquest",
};
static const char *const court_heads[] = {
	"%T man, %B, denies charges at start of %c",
	"Jury retires in %T %c",
	"%O loses %c over former depot",
	"Judge orders %c after new evidence emerges",
	"Former %T businessman jailed for %B months",
	"Family welcomes verdict in %T %c",
};
static const char *const court_body[] = {
	"^The jury at %T Crown Court heard that the money was moved through %N separate accounts over %B months.",
	"%P, %B, of %U, denies all the charges.",
	"Opening the case, %W told jurors the evidence would show a \\\"deliberate and sustained\\\" pattern of deception.",
	"^The court was shown footage from a car park camera taken shortly after %N o'clock on the night in question.",
	"^The judge adjourned the hearing until %D to allow both sides to review the new material.",
	"A spokesperson for %O said it would not comment while proceedings were continuing.",
	"^The trial is expected to last %N weeks.",
	"%S told the court that every payment had been approved by the board.",
	"^The appeal was dismissed, and the original sentence of %B months will stand.",
	"^Reporting restrictions were lifted after an application by several news organisations.",
	"^Detectives said the investigation had involved officers from %U and %T over nearly %N years.",
	"^The family sat in the public gallery throughout the %N-day hearing.",
	"^The tribunal found that the employer had failed to follow its own procedures.",
	"^Costs of %M were awarded against the council.",
	"%P, the %R, said the case had been \\\"complicated by missing records\\\".",
	"^Under cross-examination, the witness accepted that some of the dates in the statement were wrong.",
	"^The coroner recorded a conclusion of accidental death.",
	"^Sentencing was adjourned until %H for reports to be prepared.",
	"%S was granted bail on condition of living at an address in %U.",
	"^The case is due back in court on %D.",
};

/* Elections abroad, for the wire. */
static const char *const election_roles[] = {
	"prime minister", "opposition leader", "interior minister",
	"head of the electoral commission", "presidential candidate",
	"party spokesperson", "foreign minister",
};
static const char *const election_nouns[] = {
	"runoff", "coalition talks", "general election", "referendum",
	"presidential race", "recount", "parliamentary vote",
	"regional elections",
};
static const char *const election_orgs[] = {
	"the Progress Alliance", "the National Renewal Party",
	"the Green Coast Movement", "the Civic Union",
	"the Social Democratic Front", "the Farmers' League",
};
static const char *const election_tags[] = {
	"world", "elections", "politics", "europe", "diplomacy",
};
static const char *const election_slugs[] = {
	"election", "vote", "runoff", "coalition", "poll", "result",
	"campaign", "parliament",
};
static const char *const election_heads[] = {
	"Voters in %T head to the polls in tight %c",
	"Ruling party claims victory as count continues in %T",
	"What to know about the %c in %T",
	"Observers report irregularities in %T %c",
	"Coalition deal in doubt as talks in %T stall",
	"%T opposition calls for %c after narrow defeat",
};
static const char *const election_body[] = {
	"^Polls opened at seven in the morning local time, with about %B million people eligible to vote.",
	"^Turnout reached %Q by mid-afternoon, according to the electoral commission.",
	"%P, the %R, voted in %U shortly after the polls opened.",
	"^Preliminary results gave %O %Q of the vote, short of an outright majority.",
	"^International observers said voting had been largely orderly but noted delays at %B polling stations in %U.",
	"^The campaign was dominated by the cost of living, energy prices and a row over plans to raise the retirement age.",
	"^Analysts expect weeks of coalition talks before a new government can be formed.",
	"%S told supporters in %T that the result was \\\"a clear message for change\\\".",
	"^A runoff between the two leading candidates is expected in %H.",
	"^The ruling coalition has governed %T since %Y, when it won a narrow majority.",
	"^Several opposition figures were barred from standing, a decision criticised by rights groups.",
	"^Final results are due within %N days.",
	"^Markets reacted calmly, with the currency little changed against the euro.",
	"%P, the %R, conceded defeat in a short speech shortly after midnight.",
	"^Crowds gathered in the main square of %T as the first results came in.",
	"^The electoral commission said it had received %B formal complaints.",
	"^Polling stations in %U stayed open an extra hour after long queues formed.",
	"^Foreign governments have so far been cautious in their response.",
	"^Campaigning was suspended for a day after a candidate was injured in a road accident.",
	"^The new parliament is due to meet for the first time in %H.",
};

static struct topic topics[] = {
	{ "politics", 0, LIST(council_roles), LIST(council_nouns),
	  LIST(council_orgs), LIST(council_tags), LIST(council_slugs),
	  LIST(council_heads), LIST(council_body) },
	{ "weather", 0, LIST(weather_roles), LIST(weather_nouns),
	  LIST(weather_orgs), LIST(weather_tags), LIST(weather_slugs),
	  LIST(weather_heads), LIST(weather_body) },
	{ "sport", 0, LIST(sport_roles), LIST(sport_nouns),
	  LIST(sport_orgs), LIST(sport_tags), LIST(sport_slugs),
	  LIST(sport_heads), LIST(sport_body) },
	{ "business", 0, LIST(business_roles), LIST(business_nouns),
	  LIST(business_orgs), LIST(business_tags), LIST(business_slugs),
	  LIST(business_heads), LIST(business_body) },
	{ "news", 0, LIST(court_roles), LIST(court_nouns),
	  LIST(court_orgs), LIST(court_tags), LIST(court_slugs),
	  LIST(court_heads), LIST(court_body) },
	{ "world", 1, LIST(election_roles), LIST(election_nouns),
	  LIST(election_orgs), LIST(election_tags), LIST(election_slugs),
	  LIST(election_heads), LIST(election_body) },
};

/* Furniture: the lines each site repeats on every page. */
static const char *const harbor_top[] = {
	"Home | Politics | Business | Sport | Opinion",
};
static const char *const harbor_mid[] = {
	"Advertisement",
	"Read more: %h",
};
static const char *const harbor_bot[] = {
	"Photo: %W/Harbor Press",
	"Share this article: Facebook Twitter Email",
	"Sign up for our morning newsletter and get the day's top stories before breakfast.",
	"© 2026 Daily Harbor. All rights reserved.",
};
static const char *const courier_top[] = {
	"Skip to content",
	"News | Weather | Sport | Obituaries | Puzzles | Subscribe",
	"We use cookies to give you the best experience on our website. By continuing you agree to our use of cookies. Accept | Manage settings",
};
static const char *const courier_mid[] = {
	"ADVERTISEMENT",
	"Also on the Courier: %h",
};
static const char *const courier_bot[] = {
	"Photograph: %W for the Northvale Courier",
	"Share: Facebook | X | WhatsApp | Copy link",
	"Get the Courier Daily Briefing — sign up here",
	"Copyright © 2026 Northvale Courier Ltd. Registered office: 12 Mill Street, Northvale.",
};
static const char *const wire_top[] = {
	"World | Markets | Politics | Science | Wires",
};
static const char *const wire_mid[] = {
	"Read more:",
	"Read more: %h",
};
static const char *const wire_bot[] = {
	"Reporting by %W; additional reporting by %W; editing by %W",
	"Our Standards: The Meridian Wire Trust Principles.",
	"© 2026 Meridian Wire. All rights reserved. Republication or redistribution without prior written consent is prohibited.",
};
static const char *const field_top[] = {
	"Live scores | Fixtures | Results | Tables | Transfers",
	"Field & Score",
};
static const char *const field_mid[] = {
	"Advertisement",
	"Related: %h",
};
static const char *const field_bot[] = {
	"Follow us @fieldandscore for live updates",
	"Comments (%B)",
	"Share this article: Facebook Twitter Email",
	"© 2026 Field & Score Media. All rights reserved.",
};
static const char *const lake_top[] = {
	"Lakeside Gazette — News for the lakes since 1891",
	"Home › News › Local",
};
static const char *const lake_mid[] = {
	"Story continues below advertisement",
	"You may also like: %h",
};
static const char *const lake_bot[] = {
	"Photo: %W/Lakeside Gazette",
	"Have a story? Email newsdesk@lakesidegazette.example",
	"Sign up for our morning newsletter — local news, weather and traffic, every weekday at 7am.",
	"© 2026 Lakeside Gazette. All rights reserved.",
};
static const char *const herald_top[] = {
	"Eastbrook Herald | Subscribe for £1 a week",
	"This site uses cookies. Continue browsing to accept, or find out more in our privacy policy.",
};
static const char *const herald_mid[] = {
	"Advertisement",
	"READ MORE: %h",
};
static const char *const herald_bot[] = {
	"Share this story",
	"Do you have a story for us? Call the newsdesk on 01632 960411.",
	"© Eastbrook Herald 2026",
};

static struct site sites[] = {
	{ "dailyharbor", "dailyharbor.example", { 30, 15, 15, 20, 15, 5 },
	  NULL, LIST(harbor_top), LIST(harbor_mid), LIST(harbor_bot), { 0 }, 0 },
	{ "northvale", "northvalecourier.example", { 25, 25, 20, 10, 15, 5 },
	  NULL, LIST(courier_top), LIST(courier_mid), LIST(courier_bot), { 0 }, 0 },
	{ "meridianwire", "meridianwire.example", { 0, 5, 5, 35, 15, 40 },
	  "%T (Meridian Wire) — ", LIST(wire_top), LIST(wire_mid),
	  LIST(wire_bot), { 0 }, 0 },
	{ "fieldandscore", "fieldandscore.example", { 0, 0, 100, 0, 0, 0 },
	  NULL, LIST(field_top), LIST(field_mid), LIST(field_bot), { 0 }, 0 },
	{ "lakeside", "lakesidegazette.example", { 30, 25, 15, 10, 20, 0 },
	  NULL, LIST(lake_top), LIST(lake_mid), LIST(lake_bot), { 0 }, 0 },
	{ "eastbrook", "eastbrookherald.example", { 25, 15, 20, 15, 20, 5 },
	  NULL, LIST(herald_top), LIST(herald_mid), LIST(herald_bot), { 0 }, 0 },
};

static struct list lfirst = LIST(firsts), llast = LIST(lasts);
static struct list ltown = LIST(towns), labroad = LIST(abroad);
static struct list lteam = LIST(teams), lday = LIST(days);
static struct list lmonth = LIST(months), lcur = LIST(currency);
static struct list lquote = LIST(quotes), lcurly;
static struct tlist topener = LIST(openers), tgeneral = LIST(general);
static struct tlist tdash = LIST(dashes), tcurly = LIST(curly);
static struct list lrussian = LIST(russian), lcentral = LIST(central);
static struct list lfrench = LIST(french);

/* Invisible and odd characters, raw; their other forms are derived. */
static struct str s_nbsp, s_nbspesc, s_zwsp, s_shy, s_bom, s_pull[2];

/*
 * What a single-byte code page makes of each byte from 0x80: the first n
 * bytes are in the table, the rest stand for the code point of the same
 * value, as in Latin-1.  Zero marks a byte the code page leaves
 * undefined; it comes out as the C1 control of the same value, as
 * browsers and MySQL's latin1 do.
 */
struct cpage {
	const unsigned short	*high;
	unsigned		 n;
};

static const unsigned short cp1252[32] = {
	0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
	0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017d, 0,
	0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
	0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0, 0x017e, 0x0178,
};

static const unsigned short cp1251[128] = {
	0x0402, 0x0403, 0x201a, 0x0453, 0x201e, 0x2026, 0x2020, 0x2021,
	0x20ac, 0x2030, 0x0409, 0x2039, 0x040a, 0x040c, 0x040b, 0x040f,
	0x0452, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
	0, 0x2122, 0x0459, 0x203a, 0x045a, 0x045c, 0x045b, 0x045f,
	0x00a0, 0x040e, 0x045e, 0x0408, 0x00a4, 0x0490, 0x00a6, 0x00a7,
	0x0401, 0x00a9, 0x0404, 0x00ab, 0x00ac, 0x00ad, 0x00ae, 0x0407,
	0x00b0, 0x00b1, 0x0406, 0x0456, 0x0491, 0x00b5, 0x00b6, 0x00b7,
	0x0451, 0x2116, 0x0454, 0x00bb, 0x0458, 0x0405, 0x0455, 0x0457,
	0x0410, 0x0411, 0x0412, 0x0413, 0x0414, 0x0415, 0x0416, 0x0417,
	0x0418, 0x0419, 0x041a, 0x041b, 0x041c, 0x041d, 0x041e, 0x041f,
	0x0420, 0x0421, 0x0422, 0x0423, 0x0424, 0x0425, 0x0426, 0x0427,
	0x0428, 0x0429, 0x042a, 0x042b, 0x042c, 0x042d, 0x042e, 0x042f,
	0x0430, 0x0431, 0x0432, 0x0433, 0x0434, 0x0435, 0x0436, 0x0437,
	0x0438, 0x0439, 0x043a, 0x043b, 0x043c, 0x043d, 0x043e, 0x043f,
	0x0440, 0x0441, 0x0442, 0x0443, 0x0444, 0x0445, 0x0446, 0x0447,
	0x0448, 0x0449, 0x044a, 0x044b, 0x044c, 0x044d, 0x044e, 0x044f,
};

static const unsigned short cp1250[128] = {
	0x20ac, 0, 0x201a, 0, 0x201e, 0x2026, 0x2020, 0x2021,
	0, 0x2030, 0x0160, 0x2039, 0x015a, 0x0164, 0x017d, 0x0179,
	0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
	0, 0x2122, 0x0161, 0x203a, 0x015b, 0x0165, 0x017e, 0x017a,
	0x00a0, 0x02c7, 0x02d8, 0x0141, 0x00a4, 0x0104, 0x00a6, 0x00a7,
	0x00a8, 0x00a9, 0x015e, 0x00ab, 0x00ac, 0x00ad, 0x00ae, 0x017b,
	0x00b0, 0x00b1, 0x02db, 0x0142, 0x00b4, 0x00b5, 0x00b6, 0x00b7,
	0x00b8, 0x0105, 0x015f, 0x00bb, 0x013d, 0x02dd, 0x013e, 0x017c,
	0x0154, 0x00c1, 0x00c2, 0x0102, 0x00c4, 0x0139, 0x0106, 0x00c7,
	0x010c, 0x00c9, 0x0118, 0x00cb, 0x011a, 0x00cd, 0x00ce, 0x010e,
	0x0110, 0x0143, 0x0147, 0x00d3, 0x00d4, 0x0150, 0x00d6, 0x00d7,
	0x0158, 0x016e, 0x00da, 0x0170, 0x00dc, 0x00dd, 0x0162, 0x00df,
	0x0155, 0x00e1, 0x00e2, 0x0103, 0x00e4, 0x013a, 0x0107, 0x00e7,
	0x010d, 0x00e9, 0x0119, 0x00eb, 0x011b, 0x00ed, 0x00ee, 0x010f,
	0x0111, 0x0144, 0x0148, 0x00f3, 0x00f4, 0x0151, 0x00f6, 0x00f7,
	0x0159, 0x016f, 0x00fa, 0x0171, 0x00fc, 0x00fd, 0x0163, 0x02d9,
};

static const struct cpage win1252 = { cp1252, 32 }, latin1 = { NULL, 0 };
static const struct cpage win1251 = { cp1251, 128 }, win1250 = { cp1250, 128 };

/* What an HTML-to-text step that forgot to unescape would leave. */
static const char *const entities[][2] = {
	{ "’", "&#8217;" }, { "‘", "&#8216;" }, { "“", "&ldquo;" },
	{ "”", "&rdquo;" }, { "—", "&#x2014;" }, { "–", "&ndash;" },
	{ "é", "&eacute;" }, { "è", "&egrave;" }, { "ë", "&euml;" },
	{ "ü", "&uuml;" }, { "ö", "&ouml;" }, { "ç", "&ccedil;" },
	{ "£", "&pound;" }, { "€", "&euro;" }, { "©", "&copy;" },
	{ "›", "&rsaquo;" }, { "\xc2\xa0", "&nbsp;" }, { "\xc2\xad", "&shy;" },
	{ "\xe2\x80\x8b", "&#8203;" }, { "\xef\xbb\xbf", "&#65279;" },
	{ "&", "&amp;" }, { "\\\"", "&quot;" },
};

static char		*buf, *out;	/* output block and write position */
static uint64_t		 done;		/* bytes already handed to stdio */
static uint64_t		 rstate;
static int		 var;		/* form of the record being made */
static struct dirt	 d;
static int		 nl;		/* lines of text so far */
static int		 joined;	/* next line runs on from this one */

static _Noreturn void
die(const char *msg)
{
	fprintf(stderr, "gencorpus: %s\n", msg);
	exit(1);
}

static void *
xmalloc(size_t n)
{
	void *p;

	if ((p = malloc(n)) == NULL)
		die("out of memory");
	return p;
}

/* splitmix64: fast, and good enough for picking words. */
static uint64_t
rnd(void)
{
	uint64_t z;

	z = (rstate += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform in [0, n) without a division. */
static unsigned
pick(size_t n)
{
	return (unsigned)(((rnd() >> 32) * (uint64_t)n) >> 32);
}

static int
chance(unsigned pct)
{
	return pick(100) < pct;
}

/* stpcpy is POSIX, not C11. */
static char *
copy(char *dst, const char *src)
{
	size_t n;

	n = strlen(src);
	memcpy(dst, src, n);
	return dst + n;
}

static size_t
putcp(char *s, unsigned cp)
{
	if (cp < 0x80) {
		s[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		s[0] = (char)(0xc0 | cp >> 6);
		s[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	s[0] = (char)(0xe0 | cp >> 12);
	s[1] = (char)(0x80 | (cp >> 6 & 0x3f));
	s[2] = (char)(0x80 | (cp & 0x3f));
	return 3;
}

/*
 * s, UTF-8, read by something that took it for code page cp, and written
 * out as UTF-8 again.  A byte the code page leaves undefined becomes the
 * C1 control of the same value, left raw so that a second misreading sees
 * it (escape_c1 makes it JSON), or with lost a "?".
 */
static char *
misread(const char *s, size_t n, const struct cpage *cp, int lost,
    size_t *len)
{
	unsigned char c;
	unsigned u;
	char *r, *q;
	size_t i;

	q = r = xmalloc(3 * n + 1);
	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (c < 0x80) {
			*q++ = (char)c;
			continue;
		}
		u = c - 0x80u < cp->n ? cp->high[c - 0x80] : c;
		if (u == 0)
			u = lost ? '?' : c;
		q += putcp(q, u);
	}
	*len = (size_t)(q - r);
	return r;
}

/* s with each U+00A0 (raw, two bytes) turned into a space; frees s. */
static char *
lose_nbsp(char *s, size_t n, size_t *len)
{
	char *q;
	size_t i;

	for (q = s, i = 0; i < n; i++)
		if ((unsigned char)s[i] == 0xc2 && i + 1 < n &&
		    (unsigned char)s[i + 1] == 0xa0) {
			*q++ = ' ';
			i++;
		} else
			*q++ = s[i];
	*len = (size_t)(q - s);
	return s;
}

/* s with each C1 control (raw, two bytes) escaped as a JSON encoder
 * would; frees s. */
static char *
escape_c1(char *s, size_t n, size_t *len)
{
	static const char hex[] = "0123456789abcdef";
	char *r, *q;
	size_t i;

	q = r = xmalloc(3 * n + 1);
	for (i = 0; i < n; i++) {
		if ((unsigned char)s[i] == 0xc2 && i + 1 < n &&
		    (unsigned char)s[i + 1] >= 0x80 && (unsigned char)s[i + 1] <= 0x9f) {
			memcpy(q, "\\u00", 4);
			q[4] = hex[(unsigned char)s[i + 1] >> 4];
			q[5] = hex[s[i + 1] & 15];
			q += 6;
			i++;
		} else
			*q++ = s[i];
	}
	free(s);
	*len = (size_t)(q - r);
	return r;
}

/* s misread as cp times times. */
static char *
moji(const char *s, size_t n, const struct cpage *cp, int times, size_t *len)
{
	char *r = misread(s, n, cp, 0, len), *again;

	while (--times > 0) {
		again = misread(r, *len, cp, 0, len);
		free(r);
		r = again;
	}
	return escape_c1(r, *len, len);
}

static char *
ent(const char *s, size_t n, size_t *len)
{
	char *r, *q;
	size_t i, j, k = 0;

	q = r = xmalloc(8 * n + 1);
	for (i = 0; i < n; ) {
		for (j = 0; j < nelem(entities); j++) {
			k = strlen(entities[j][0]);
			if (k <= n - i && memcmp(s + i, entities[j][0], k) == 0)
				break;
		}
		if (j == nelem(entities)) {
			*q++ = s[i++];
			continue;
		}
		q = copy(q, entities[j][1]);
		i += k;
	}
	*len = (size_t)(q - r);
	return r;
}

static void
mkstr(struct str *s, const char *src, size_t n)
{
	char *c, *r;
	size_t len[NVAR];
	int i;

	if (n > 4000)
		die("string too long");
	c = xmalloc(n + 1);
	memcpy(c, src, n);
	c[n] = '\0';
	s->v[PLAIN] = c;
	len[PLAIN] = n;
	s->v[MOJI] = moji(c, n, &win1252, 1, &len[MOJI]);
	s->v[MOJI2] = moji(c, n, &win1252, 2, &len[MOJI2]);
	s->v[LATIN1] = moji(c, n, &latin1, 1, &len[LATIN1]);
	s->v[CP1251] = moji(c, n, &win1251, 1, &len[CP1251]);
	s->v[CP1250] = moji(c, n, &win1250, 1, &len[CP1250]);
	s->v[LOST] = misread(c, n, &win1252, 1, &len[LOST]);
	r = misread(c, n, &win1252, 0, &len[NONBSP]);
	r = lose_nbsp(r, len[NONBSP], &len[NONBSP]);
	s->v[NONBSP] = escape_c1(r, len[NONBSP], &len[NONBSP]);
	s->v[ENT] = ent(c, n, &len[ENT]);
	s->same = 1;
	for (i = 0; i < NVAR; i++) {
		s->n[i] = (unsigned short)len[i];
		if (len[i] != n || memcmp(s->v[i], c, n) != 0)
			s->same = 0;
	}
}

static void
mklist(struct list *l)
{
	size_t i;

	l->v = xmalloc(l->n * sizeof(l->v[0]));
	for (i = 0; i < l->n; i++)
		mkstr(&l->v[i], l->src[i], strlen(l->src[i]));
}

/* Split a template into literals, each followed by a slot. */
static void
mktmpl(struct tmpl *t, const char *src)
{
	static const char slots[] = "PSRWTUOctuvxNBKMQYDHhqr";
	char lit[4096];
	size_t n, k;

	t->open = *src == '^';
	if (t->open)
		src++;
	t->seg = xmalloc((strlen(src) / 2 + 1) * sizeof(t->seg[0]));
	t->nseg = 0;
	for (n = 0; ; src++) {
		if (*src == '%' && src[1] == '%') {
			lit[n++] = *++src;
			continue;
		}
		if (*src != '%' && *src != '\0') {
			if (n == sizeof(lit))
				die("template too long");
			lit[n++] = *src;
			continue;
		}
		k = t->nseg++;
		mkstr(&t->seg[k].lit, lit, n);
		t->seg[k].slot = 0;
		n = 0;
		if (*src == '\0')
			break;
		if (*++src == '\0' || strchr(slots, *src) == NULL)
			die("bad slot in template");
		t->seg[k].slot = *src;
	}
}

static void
mktlist(struct tlist *l)
{
	size_t i;

	if (l->n > 64)
		die("too many templates in a list");
	l->v = xmalloc(l->n * sizeof(l->v[0]));
	for (i = 0; i < l->n; i++)
		mktmpl(&l->v[i], l->src[i]);
}

/* The quotes again, with the typographer's apostrophe. */
static void
mkcurly(void)
{
	static const char *c[nelem(quotes)];
	const char *s;
	char *r, *q;
	size_t i;

	for (i = 0; i < nelem(quotes); i++) {
		q = r = xmalloc(3 * strlen(quotes[i]) + 1);
		for (s = quotes[i]; *s != '\0'; s++)
			if (*s == '\'')
				q = copy(q, "’");
			else
				*q++ = *s;
		*q = '\0';
		c[i] = r;
	}
	lcurly.src = c;
	lcurly.n = nelem(quotes);
	mklist(&lcurly);
}

static void
setup(void)
{
	size_t i;

	mklist(&lfirst);
	mklist(&llast);
	mklist(&ltown);
	mklist(&labroad);
	mklist(&lteam);
	mklist(&lday);
	mklist(&lmonth);
	mklist(&lcur);
	mklist(&lquote);
	mklist(&lrussian);
	mklist(&lcentral);
	mklist(&lfrench);
	mkcurly();
	mktlist(&topener);
	mktlist(&tgeneral);
	mktlist(&tdash);
	mktlist(&tcurly);
	for (i = 0; i < nelem(topics); i++) {
		mklist(&topics[i].roles);
		mklist(&topics[i].nouns);
		mklist(&topics[i].orgs);
		mklist(&topics[i].tags);
		mklist(&topics[i].slugs);
		mktlist(&topics[i].heads);
		mktlist(&topics[i].body);
	}
	for (i = 0; i < nelem(sites); i++) {
		mktlist(&sites[i].top);
		mktlist(&sites[i].mid);
		mktlist(&sites[i].bot);
		if (sites[i].lead != NULL)
			mktmpl(&sites[i].leadt, sites[i].lead);
	}
	mkstr(&s_nbsp, "\xc2\xa0", 2);
	mkstr(&s_zwsp, "\xe2\x80\x8b", 3);
	mkstr(&s_shy, "\xc2\xad", 2);
	mkstr(&s_bom, "\xef\xbb\xbf", 3);
	mkstr(&s_pull[0], "“", 3);
	mkstr(&s_pull[1], "”", 3);
	/* Escaped, a JSON writer's NBSP keeps its meaning through mojibake. */
	mkstr(&s_nbspesc, "\\u00a0", 6);
	free((char *)s_nbspesc.v[ENT]);
	s_nbspesc.v[ENT] = "&#160;";
	s_nbspesc.n[ENT] = 6;
}

static void
flush(void)
{
	size_t n;

	n = (size_t)(out - buf);
	if (n > 0 && fwrite(buf, 1, n, stdout) != n)
		die(errno ? strerror(errno) : "write error");
	done += n;
	out = buf;
}

/* Called between lines; a line never needs more than SLACK. */
static void
room(void)
{
	if (out - buf >= BLOCK)
		flush();
}

#define LIT(s)	lit(s, sizeof(s) - 1)

static void
lit(const char *s, size_t n)
{
	memcpy(out, s, n);
	out += n;
}

static void
put(const struct str *s)
{
	memcpy(out, s->v[var], s->n[var]);
	out += s->n[var];
}

static void
putnum(uint64_t v)
{
	char tmp[20];
	int n;

	n = 0;
	do
		tmp[n++] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	while (n > 0)
		*out++ = tmp[--n];
}

static void
putpad(unsigned v, int width)
{
	int i;

	for (i = width - 1; i >= 0; i--, v /= 10)
		out[i] = (char)('0' + v % 10);
	out += width;
}

/* A word, now and then with a soft hyphen in it. */
static void
putword(const struct str *s)
{
	size_t n, k;

	n = s->n[var];
	if (!d.zw || !s->same || n < 8 || !chance(15)) {
		put(s);
		return;
	}
	for (k = n / 2; k < n - 2; k++)
		if (s->v[0][k - 1] != ' ' && s->v[0][k] != ' ')
			break;
	lit(s->v[0], k);
	put(&s_shy);
	lit(s->v[0] + k, n - k);
}

static void
putname(unsigned first, unsigned last)
{
	put(&lfirst.v[first]);
	*out++ = ' ';
	put(&llast.v[last]);
	if (d.zw && chance(4))
		put(&s_zwsp);
}

static void	emit(struct ctx *, const struct tmpl *, int);
static void	newctx(struct ctx *, struct topic *);

static void
slot(struct ctx *c, int k)
{
	struct ctx other;
	struct topic *tp;
	unsigned v;

	tp = c->tp;
	switch (k) {
	case 'P':
		c->cur = pick(3);
		putname(c->cast[c->cur][0], c->cast[c->cur][1]);
		break;
	case 'S':
		put(&llast.v[c->cast[c->cur][1]]);
		break;
	case 'R':
		putword(&tp->roles.v[c->cast[c->cur][2]]);
		break;
	case 'W':
		/* Two statements: argument order would differ by compiler. */
		v = pick(lfirst.n);
		putname(v, pick(llast.n));
		break;
	case 'T':
		put(tp->abroad ? &labroad.v[c->town] : &ltown.v[c->town]);
		break;
	case 'U':
		if (tp->abroad)
			put(&labroad.v[pick(labroad.n)]);
		else
			put(&ltown.v[pick(ltown.n)]);
		break;
	case 'O':
		put(&tp->orgs.v[c->org]);
		break;
	case 'c':
		putword(&tp->nouns.v[pick(tp->nouns.n)]);
		break;
	case 't':
		put(&lteam.v[c->home]);
		break;
	case 'u':
		put(&lteam.v[c->away]);
		break;
	case 'v':
		put(&lteam.v[pick(lteam.n)]);
		break;
	case 'x':
		putnum(c->won);
		*out++ = '-';
		putnum(c->lost);
		break;
	case 'N':
		putnum(2 + pick(11));
		break;
	case 'B':
		putnum(13 + pick(87));
		break;
	case 'K':
		putnum(1 + pick(98));
		*out++ = ',';
		putpad(pick(10) * 100, 3);
		break;
	case 'M':
		put(&lcur.v[c->money]);
		putnum(1 + pick(40));
		*out++ = '.';
		putnum(pick(10));
		if (chance(50))
			LIT("m");
		else
			LIT(" million");
		break;
	case 'Q':
		putnum(1 + pick(30));
		*out++ = '.';
		putnum(pick(10));
		if (chance(60))
			LIT("%");
		else
			LIT(" per cent");
		break;
	case 'Y':
		putnum(2008 + pick(18));
		break;
	case 'D':
		put(&lday.v[pick(lday.n)]);
		break;
	case 'H':
		put(&lmonth.v[pick(lmonth.n)]);
		break;
	case 'h':
		/* Another story: its own cast, so it doesn't disturb ours. */
		tp = &topics[pick(nelem(topics))];
		newctx(&other, tp);
		emit(&other, &tp->heads.v[pick(tp->heads.n)], 0);
		break;
	case 'q':
		c->quote = &lcurly.v[pick(lcurly.n)];
		put(c->quote);
		break;
	case 'r':
		put(&lquote.v[pick(lquote.n)]);
		break;
	}
}

static void
emit(struct ctx *c, const struct tmpl *t, int opened)
{
	size_t i;

	for (i = 0; i < t->nseg; i++) {
		put(&t->seg[i].lit);
		/* "The river rose" after an opener is "..., the river rose". */
		if (i == 0 && opened && t->seg[0].lit.n[var] > 0 &&
		    out[-t->seg[0].lit.n[var]] >= 'A' &&
		    out[-t->seg[0].lit.n[var]] <= 'Z')
			out[-t->seg[0].lit.n[var]] += 'a' - 'A';
		if (t->seg[i].slot)
			slot(c, t->seg[i].slot);
	}
}

/* One template from l, avoiding those this article has used already. */
static const struct tmpl *
choose(const struct tlist *l, uint64_t *used)
{
	unsigned i, try;

	i = pick(l->n);
	for (try = 0; try < 4 && (*used >> i & 1); try++)
		i = pick(l->n);
	*used |= (uint64_t)1 << i;
	return &l->v[i];
}

static void
sentence(struct ctx *c)
{
	const struct tmpl *t;

	if (chance(70))
		t = choose(&c->tp->body, &c->usedt);
	else
		t = choose(&tgeneral, &c->usedg);
	if (t->open && chance(20)) {
		emit(c, &topener.v[pick(topener.n)], 0);
		emit(c, t, 1);
	} else
		emit(c, t, 0);
}

static void
space(void)
{
	unsigned r;

	if (d.glue && chance(25))
		return;
	if (d.zw && chance(8))
		put(&s_zwsp);
	if (!d.spaces) {
		*out++ = ' ';
		return;
	}
	r = pick(20);
	if (r < 3)
		put(&s_nbsp);
	else if (r < 5)
		put(&s_nbspesc);
	else if (r < 7)
		LIT("  ");
	else if (r < 8)
		LIT("   ");
	else
		*out++ = ' ';
}

/* Start a line of text; the separator goes between lines only. */
static void
newline(void)
{
	if (joined) {
		joined = 0;
		return;
	}
	if (nl++ == 0)
		return;
	if (d.tags && chance(30)) {
		if (chance(50))
			LIT("<br>");
		else
			LIT("<br />");
	}
	if (d.spaces && chance(15))
		LIT(" ");
	if (d.crlf)
		LIT("\\r\\n");
	else
		LIT("\\n");
	room();
}

/* A paragraph: one to four sentences; one in ten is a quote or aside. */
static void
para(struct ctx *c, const struct site *s, int first)
{
	unsigned i, n, special, at;
	int p;

	newline();
	p = d.tags && chance(50);
	if (p)
		LIT("<p>");
	if (first && s->lead != NULL)
		emit(c, &s->leadt, 0);
	n = 1 + pick(4);
	special = pick(10) == 0 ? 1 + pick(3) : 0;
	at = pick(n);
	for (i = 0; i < n; i++) {
		if (i > 0)
			space();
		if (special && i == at) {
			if (special < 3)
				emit(c, &tcurly.v[pick(tcurly.n)], 0);
			else
				emit(c, &tdash.v[pick(tdash.n)], 0);
		} else
			sentence(c);
	}
	if (p)
		LIT("</p>");
}

static void
newctx(struct ctx *c, struct topic *tp)
{
	int i;

	c->tp = tp;
	c->town = pick(tp->abroad ? labroad.n : ltown.n);
	c->org = pick(tp->orgs.n);
	c->home = pick(lteam.n);
	c->away = (c->home + 1 + pick(lteam.n - 1)) % lteam.n;
	c->money = pick(lcur.n);
	c->lost = pick(4);
	c->won = c->lost + 1 + pick(3);
	for (i = 0; i < 3; i++) {
		c->cast[i][0] = pick(lfirst.n);
		c->cast[i][1] = pick(llast.n);
		c->cast[i][2] = pick(tp->roles.n);
	}
	c->cur = 0;
	c->quote = NULL;
	c->usedt = c->usedg = 0;
}

/* Howard Hinnant's days_from_civil and civil_from_days. */
static long
civil2days(long y, unsigned m, unsigned dd)
{
	long era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + dd - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long)doe - 719468;
}

static void
days2civil(long z, long *y, unsigned *m, unsigned *dd)
{
	long era;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*dd = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (long)yoe + era * 400 + (*m <= 2);
}

/* Records per nightly crawl, and the spacing of their fetch times. */
#define PERDAY	3000
#define GAP	28

/* What damage records get. */
enum kind { CLEAN, DIRTY, GLUE };

static void
record(uint64_t recno, enum kind kind, long day0)
{
	struct ctx c;
	struct site *s;
	struct topic *tp;
	long y, day;
	unsigned m, dd, sec, i, n, w, target, np;
	uint64_t textpos;
	int pulled;

	s = &sites[pick(nelem(sites))];
	w = pick(100);
	for (i = 0; i + 1 < nelem(topics) && w >= (unsigned)s->weight[i]; i++)
		w -= (unsigned)s->weight[i];
	tp = &topics[i];
	newctx(&c, tp);

	memset(&d, 0, sizeof(d));
	var = PLAIN;
	if (kind == GLUE && chance(85)) {
		do {
			d.spaces = chance(60);
			d.glue = chance(70);
		} while (!d.spaces && !d.glue);
	} else if (kind == DIRTY && chance(85)) {
		do {
			d.tags = chance(35);
			d.spaces = chance(40);
			d.zw = chance(25);
			d.glue = chance(40);
			d.crlf = chance(30);
			w = pick(100);
			var = w < 16 ? MOJI : w < 23 ? MOJI2 : w < 28 ? LATIN1 :
			    w < 33 ? CP1251 : w < 37 ? CP1250 : w < 41 ? LOST :
			    w < 45 ? NONBSP : w < 62 ? ENT : PLAIN;
		} while (!d.tags && !d.spaces && !d.zw && !d.glue &&
		    !d.crlf && var == PLAIN);
		d.bom = d.zw && chance(20);
		/* The code pages need letters beyond ASCII to show. */
		if (var == CP1251 || (var != CP1250 && chance(8)))
			d.foreign = &lrussian;
		else if (var == CP1250 || chance(8))
			d.foreign = &lcentral;
		else if (var == NONBSP || chance(8))
			d.foreign = &lfrench;
	}

	day = (long)(recno / PERDAY);
	sec = (unsigned)(recno % PERDAY) * GAP + pick(GAP);
	days2civil(day0 + day, &y, &m, &dd);

	LIT("{\"id\":\"");
	lit(s->key, strlen(s->key));
	*out++ = '-';
	if (s->count < 1000000)
		putpad((unsigned)s->count, 6);
	else
		putnum(s->count);
	s->count++;
	LIT("\",\"url\":\"https://www.");
	lit(s->host, strlen(s->host));
	*out++ = '/';
	lit(tp->section, strlen(tp->section));
	*out++ = '/';
	putnum((uint64_t)y);
	*out++ = '/';
	putpad(m, 2);
	*out++ = '/';
	putpad(dd, 2);
	*out++ = '/';
	n = 2 + pick(3);
	for (i = 0; i < n; i++) {
		put(&tp->slugs.v[pick(tp->slugs.n)]);
		*out++ = '-';
	}
	putnum(recno);
	LIT("\",\"site\":\"");
	lit(s->host, strlen(s->host));
	LIT("\",\"fetched_at\":\"");
	putnum((uint64_t)y);
	*out++ = '-';
	putpad(m, 2);
	*out++ = '-';
	putpad(dd, 2);
	*out++ = 'T';
	putpad(sec / 3600, 2);
	*out++ = ':';
	putpad(sec / 60 % 60, 2);
	*out++ = ':';
	putpad(sec % 60, 2);
	/* One past 2^64 and counting, to catch readers that parse it. */
	LIT("Z\",\"crawl_id\":1844674407370955");
	putpad((unsigned)(1617 + day % 8000), 4);
	LIT(",\"title\":\"");
	emit(&c, &tp->heads.v[pick(tp->heads.n)], 0);
	LIT("\",\"text\":\"");
	room();

	textpos = done + (uint64_t)(out - buf);
	nl = joined = 0;
	if (d.bom)
		put(&s_bom);
	for (i = 0; i < s->top.n; i++)
		if (chance(70)) {
			newline();
			emit(&c, &s->top.v[i], 0);
		}
	if (chance(30)) {
		newline();
		emit(&c, &tp->heads.v[pick(tp->heads.n)], 0);
	}
	if (d.tags && chance(50)) {
		newline();
		LIT("<div class=\\\"article-body\\\">");
	}
	if (d.glue && chance(50)) {
		/* The caption runs into the story: "...Press.The minister" */
		newline();
		emit(&c, &s->bot.v[0], 0);
		*out++ = '.';
		joined = 1;
	}

	target = 3000 + pick(3000);
	pulled = 0;
	for (np = 0; done + (uint64_t)(out - buf) - textpos < target; np++) {
		para(&c, s, np == 0);
		if (np == 1 && chance(50)) {
			newline();
			emit(&c, &s->mid.v[0], 0);
		}
		if (np == 3 && chance(40)) {
			newline();
			emit(&c, &s->mid.v[1], 0);
		}
		if (np == 2 && d.foreign != NULL) {
			newline();
			put(&d.foreign->v[pick(d.foreign->n)]);
		}
		if (np >= 4 && !pulled && c.quote != NULL && chance(50)) {
			newline();
			put(&s_pull[0]);
			put(c.quote);
			put(&s_pull[1]);
			pulled = 1;
		}
	}
	if (d.tags && chance(60)) {
		newline();
		LIT("</div>");
	}
	for (i = 0; i < s->bot.n; i++)
		if (chance(65)) {
			newline();
			emit(&c, &s->bot.v[i], 0);
		}

	LIT("\",\"meta\":{\"lang\":\"en\",\"tags\":[\"");
	i = pick(tp->tags.n);
	put(&tp->tags.v[i]);
	n = pick(3);
	for (w = 0; w < n; w++) {
		i = (i + 1 + pick(tp->tags.n - 1)) % tp->tags.n;
		LIT("\",\"");
		put(&tp->tags.v[i]);
	}
	LIT("\"],\"score\":0.");
	putpad(pick(1000), 3);
	LIT("}}\n");
	room();
}

static _Noreturn void
usage(void)
{
	fprintf(stderr, "usage: gencorpus [-s seed] [-m megabytes] "
	    "[-k news|dirty|glue]\n");
	exit(2);
}

static uint64_t
number(const char *s, uint64_t max)
{
	char *end;
	unsigned long long v;

	if (*s < '0' || *s > '9')
		usage();
	errno = 0;
	v = strtoull(s, &end, 10);
	if (*end != '\0' || errno != 0 || v > max)
		usage();
	return v;
}

int
main(int argc, char *argv[])
{
	uint64_t seed, limit, recno;
	const char *opt, *arg;
	long day0;
	enum kind kind = CLEAN;
	int i;

	seed = 1;
	limit = 200;
	for (i = 1; i < argc; i++) {
		opt = argv[i];
		if (opt[0] != '-' || opt[1] == '\0' ||
		    strchr("smk", opt[1]) == NULL)
			usage();
		if (opt[2] != '\0')
			arg = opt + 2;
		else if (++i < argc)
			arg = argv[i];
		else
			usage();
		switch (opt[1]) {
		case 's':
			seed = number(arg, UINT64_MAX);
			break;
		case 'm':
			limit = number(arg, 1000000);
			break;
		case 'k':
			if (strcmp(arg, "dirty") == 0)
				kind = DIRTY;
			else if (strcmp(arg, "glue") == 0)
				kind = GLUE;
			else if (strcmp(arg, "news") != 0)
				usage();
			break;
		}
	}
	if (limit == 0)
		usage();
	limit *= 1000000;

	setup();
	buf = out = xmalloc(BLOCK + SLACK);
	rstate = seed;
	day0 = civil2days(2026, 11, 18);
	for (recno = 0; done + (uint64_t)(out - buf) < limit; recno++)
		record(recno, kind, day0);
	flush();
	if (fflush(stdout) == EOF || ferror(stdout))
		die(errno ? strerror(errno) : "write error");
	return 0;
}
