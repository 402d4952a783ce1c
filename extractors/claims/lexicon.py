"""Word lists and thresholds of the claims engine: named data, read by the rules and vetoes.

Change a list here, never a literal inside a rule. Lemmas are lower case.
"""

from __future__ import annotations

# ---- cues ------------------------------------------------------------------------------------
# Reporting verbs that report speech (confidence 0.8-0.9).
SPEECH_VERBS = frozenset({
    "say", "state", "tell", "add", "note", "warn", "claim", "insist", "deny", "argue",
    "announce", "explain", "report", "confirm", "stress", "emphasise", "emphasize", "declare",
    "write", "tweet", "post", "acknowledge", "admit", "assert", "allege", "maintain",
    "contend", "reply", "respond", "answer", "remark", "comment", "observe", "predict",
    "promise", "vow", "pledge", "threaten", "urge", "accuse", "reiterate", "caution",
    "complain", "concede", "testify", "inform", "assure", "boast", "quip", "joke", "recall",
    "reveal", "disclose", "mention", "indicate", "suggest", "ask", "demand", "charge",
    "counter", "retort", "continue", "conclude", "underline", "underscore", "point",
    "describe", "call", "brand", "label", "dub", "term", "quote", "cite", "signal", "hint",
    "estimate", "forecast", "advise", "propose", "question", "wonder", "lament", "concur",
    "affirm", "proclaim", "specify", "clarify", "elaborate", "publish", "release", "recount",
    "speculate", "surmise", "read", "confess", "blurt", "crow", "sniff", "scold", "stutter",
    "shout", "yell", "scream", "whisper", "mutter", "exclaim", "plead", "muse", "gush", "chide",
    "snap", "grumble", "sigh", "interject", "repeat", "echo", "recommend", "remind", "reason",
    "opine", "posit", "swear", "laugh", "cry", "gripe", "rave", "rant", "marvel", "summarize",
    "summarise",
})  # fmt: skip
# Verbs reporting a finding ("the survey found", "records show"): claims of lower confidence.
WEAK_VERBS = frozenset({"show", "find"})
# Mental states ("he thought", "they hope") are not statements: no cue. (PolNeAR annotates
# them, the Gender Gap Tracker does not; measured in bench/README.md. Add them to CUE_LEMMAS
# to extract beliefs too.)
MENTAL_VERBS = frozenset({"believe", "think", "fear", "expect", "hope", "worry", "doubt",
                          "suspect", "reckon"})  # fmt: skip
# "accused Athens of violating the airspace": verb + object + preposition carry the claim.
ACCUSATION_CUES = {"accuse": "of", "blame": "for", "criticise": "for", "criticize": "for",
                   "praise": "for", "condemn": "for", "credit": "with", "fault": "for",
                   "thank": "for", "applaud": "for", "slam": "for", "rebuke": "for"}  # fmt: skip
# Verbs whose object is what is denied or confirmed: "denied any wrongdoing", "dismissed
# reports that …" (for all but "deny" only when the object is a speech noun).
DENIAL_CUES = frozenset({"deny", "confirm", "reject", "dismiss", "refute", "acknowledge",
                         "admit", "repeat", "reiterate"})  # fmt: skip
# Public stances toward something: "endorsed Clinton", "criticised the ruling" (the object is
# the claim's content; lower confidence, like WEAK_VERBS).
STANCE_CUES = frozenset({
    "endorse", "support", "back", "defend", "attack", "criticize", "criticise", "denounce",
    "reject", "oppose", "welcome", "praise", "condemn", "slam", "blast", "applaud", "dismiss",
    "challenge", "favor", "favour", "decry", "hail", "lambast", "disavow", "embrace",
})  # fmt: skip
# Verbs that report speech only with their particle: "he went on: …", "she hit back".
PHRASAL_CUES = {"go": "on", "hit": "back", "fire": "back"}
CUE_LEMMAS = SPEECH_VERBS | WEAK_VERBS | frozenset(ACCUSATION_CUES) | DENIAL_CUES | STANCE_CUES
# Cues that can follow or interrupt their content: "The museum, Mr. Bush said, celebrated …".
PARENTHETICAL_CUES = frozenset({
    "say", "tell", "add", "note", "write", "report", "state", "claim", "insist", "warn",
    "explain", "argue", "confirm", "acknowledge", "announce", "allege", "predict", "believe",
    "think", "suggest", "estimate", "admit", "stress", "contend", "continue", "reckon",
})  # fmt: skip
# Cues whose object (not a clause) can carry a quotation: described it as 'deeply flawed'.
OBJECT_CUES = frozenset({
    "describe", "call", "brand", "label", "dub", "term", "characterize", "characterise",
    "praise", "criticize", "criticise", "slam", "blast", "dismiss",
})  # fmt: skip
# Cues whose infinitive after the addressee is the claim: "urged residents to conserve water".
DIRECTIVE_CUES = frozenset({"urge", "advise", "remind", "tell", "warn", "ask", "plead",
                            "encourage"})  # fmt: skip
# Commitments: "promised to cut taxes", "vowed to fight on" (the infinitive is the claim).
COMMISSIVE_CUES = frozenset({"promise", "pledge", "vow", "threaten", "offer", "propose",
                             "swear", "demand"})  # fmt: skip
# Verbs whose noun-phrase object is what was said: "announced his candidacy", "predicted a
# recession", "vowed retribution"; PREDICATE_CUES only with "as …"/a predicate ("described
# the plan as reckless", "called the deal a disgrace").
OBJECT_CLAIM_CUES = frozenset({
    "announce", "acknowledge", "admit", "propose", "reveal", "predict", "promise", "pledge",
    "vow", "demand", "threaten", "concede", "disclose", "forecast", "recommend", "describe",
    "call", "brand", "label", "dub", "term",
})  # fmt: skip
PREDICATE_CUES = frozenset({"describe", "call", "brand", "label", "dub", "term"})
# Cues whose addressee may stand between verb and clause: "told reporters that …".
ADDRESSEE_CUES = frozenset({"tell", "inform", "assure", "remind"})
# Cues that ask rather than assert: their subject must be the asker.
QUESTION_CUES = frozenset({"ask", "wonder", "question"})
# Objects that make "say" a greeting, not a report: "said goodbye", "said a prayer".
NOT_CONTENT_OBJECTS = frozenset({
    "goodbye", "hello", "farewell", "thanks", "prayer", "grace", "yes", "no", "sorry",
    "word", "anything", "nothing", "little", "much", "something", "mass", "vow", "vows",
})  # fmt: skip
# Heads that keep their verb from reporting: "declined to say why", "refused to comment".
REFUSAL_HEADS = frozenset({"decline", "refuse"})
# Speech nouns with a that-clause: "the group's claim that …", "her warning that …".
SPEECH_NOUNS = frozenset({
    "claim", "statement", "assertion", "allegation", "warning", "announcement", "promise",
    "pledge", "insistence", "denial", "admission", "accusation", "argument", "suggestion",
    "prediction", "remark", "comment", "assurance", "threat", "vow", "charge", "contention",
    "report", "rumour", "rumor", "speculation", "account", "story",
})  # fmt: skip
# Someone else's claim answered by the subject: "fired back at accusations that …", "responded
# to claims that …": the that-clause is the noun's content, not what the subject said.
ANSWERED_CLAIM_NOUNS = frozenset({
    "accusation", "allegation", "claim", "charge", "rumour", "rumor", "suggestion",
    "speculation", "criticism", "insinuation", "assertion", "contention", "notion", "idea",
})  # fmt: skip
# Speech nouns that take the possessor's claim ("Turkey's claim that …"), with their verb.
SPEECH_NOUN_VERBS = {
    "claim": "claim", "statement": "state", "assertion": "assert", "allegation": "allege",
    "warning": "warn", "announcement": "announce", "promise": "promise", "pledge": "pledge",
    "insistence": "insist", "denial": "deny", "admission": "admit", "accusation": "accuse",
    "argument": "argue", "suggestion": "suggest", "prediction": "predict", "assurance": "assure",
    "threat": "threaten", "vow": "vow", "contention": "contend", "charge": "charge",
    "report": "report", "remark": "remark", "comment": "comment", "confirmation": "confirm",
}  # fmt: skip
# "<subject> claimed responsibility for X": light verb + noun whose complement is the claim.
LIGHT_VERB_CLAIMS = {("claim", "responsibility"), ("claim", "credit"), ("take", "responsibility"),
                     ("deny", "responsibility"), ("deny", "involvement")}  # fmt: skip
QUOTED_AS = ("quote", "as")  # "was quoted as saying"

WH_WORDS = frozenset({"whether", "why", "how", "if", "what", "when", "where", "who", "which"})
# "according to plan" and friends: the object is not a source.
NOT_SOURCES = frozenset({
    "plan", "schedule", "script", "tradition", "custom", "design", "expectation", "form",
    "rule", "procedure", "protocol", "instruction", "standard", "law", "need", "ability",
    "merit", "size", "age", "order", "priority", "type", "category", "taste", "wish",
    "preference", "principle", "guideline", "formula", "pattern", "season", "calendar",
})  # fmt: skip

# ---- speakers --------------------------------------------------------------------------------
FIRST_SECOND = frozenset({"i", "we", "you", "me", "us", "my", "our"})
WRITER_PRONOUNS = frozenset({"i", "we", "you"})  # "you" in narrative is generic
PERSON_PRONOUNS = frozenset({"he", "she", "him", "her"})
MALE_PRONOUNS = frozenset({"he", "him", "his", "himself"})
FEMALE_PRONOUNS = frozenset({"she", "her", "hers", "herself"})
PLURAL_PRONOUNS = frozenset({"they", "them", "we"})
THING_PRONOUNS = frozenset({"it"})
# Possessive pronouns stand for what their personal pronoun stands for ("his claim that").
POSSESSIVE_PRONOUNS = {"his": "he", "her": "she", "its": "it", "their": "they"}
RELATIVE_PRONOUNS = frozenset({"who", "which", "that"})
# Pronouns that can stand for an actor taking a stance (relative ones: their antecedent).
ACTOR_PRONOUNS = frozenset({"he", "she", "they", "we", "i", "who", "that", "which", "whom"})
# Pronouns standing for some people: "some in Gaza said", "others argued", "those who …".
QUANTIFIER_PRONOUNS = frozenset({"some", "many", "others", "several", "most", "few", "those",
                                 "all", "both", "none", "everyone", "anyone"})  # fmt: skip
# Subjects that can speak themselves (for participles hung on the reported clause).
ANIMATE_NOUNS = frozenset({
    "official", "people", "source", "member", "leader", "lawmaker", "critic", "supporter",
    "voter", "expert", "analyst", "spokesman", "spokeswoman", "spokesperson", "resident",
    "president", "minister", "senator", "candidate", "aide", "adviser", "advisor", "police",
})  # fmt: skip
# Nouns naming an organisation by description: "the ministry", "the office".
ORG_NOUNS = frozenset({
    "ministry", "office", "agency", "government", "department", "committee", "council",
    "party", "army", "military", "police", "company", "group", "commission", "service",
    "administration", "authority", "authorities", "directorate", "bureau", "embassy",
    "organisation", "organization", "campaign", "court", "parliament", "cabinet", "kremlin",
    "presidency", "secretariat", "alliance", "bloc", "union", "force", "forces", "movement",
    "militia", "rebels", "insurgents", "militants", "watchdog", "regulator", "board",
    "network", "newspaper", "broadcaster", "outlet", "firm", "bank", "fund", "institute",
    "federation", "coalition", "team", "club", "league", "church", "center", "centre",
    "foundation", "association", "university", "school", "hospital", "staff", "corporation",
    "prosecution", "navy", "airline", "charity", "tribunal", "brigade", "guard", "coastguard",
    "inspectorate", "assembly", "senate", "congress", "consortium", "operator",
    "automaker", "carmaker", "manufacturer", "maker", "retailer", "giant", "insurer", "lender",
    "exporter", "supplier", "startup", "developer", "provider", "publisher", "distributor",
    "conglomerate", "chain", "brand", "utility", "studio", "producer", "body",
})  # fmt: skip
# Descriptions that stand for the state itself: "the government" -> the country named nearby.
STATE_NOUNS = frozenset({"government", "authorities", "administration", "kremlin", "presidency",
                         "cabinet", "state", "country", "nation", "regime"})  # fmt: skip
MEDIA_NOUNS = frozenset({"agency", "newspaper", "broadcaster", "outlet", "network", "paper",
                         "daily", "channel", "magazine", "website", "tabloid"})  # fmt: skip
ARMED_GROUP_NOUNS = frozenset({"group", "militants", "rebels", "insurgents", "movement",
                               "militia"})  # fmt: skip
# Roles of one person: "the minister" -> the person introduced with that role.
PERSON_ROLES = frozenset({
    "spokesman", "spokeswoman", "spokesperson", "minister", "president", "director",
    "chief", "head", "leader", "secretary", "ambassador", "general", "commander",
    "governor", "mayor", "senator", "lawmaker", "chairman", "chairwoman", "chair",
    "premier", "chancellor", "envoy", "candidate", "nominee", "coach", "manager",
    "founder", "ceo", "executive", "prosecutor", "judge", "lawyer", "attorney", "official",
    "adviser", "advisor", "aide", "representative", "congressman", "congresswoman",
    "man", "woman", "father", "mother", "king", "queen", "prince", "pope", "player",
    "professor", "researcher", "scientist", "economist", "analyst", "doctor", "officer",
    "author", "editor", "reporter", "witness", "victim", "owner", "teacher", "student",
    "sheriff", "detective", "investigator", "councillor", "councilor", "mp", "diplomat",
})  # fmt: skip
MALE_ROLES = frozenset({"spokesman", "chairman", "congressman", "man", "father", "king",
                        "prince", "son", "brother", "husband", "mr", "sir", "lord"})  # fmt: skip
FEMALE_ROLES = frozenset({"spokeswoman", "chairwoman", "congresswoman", "woman", "mother",
                          "queen", "princess", "daughter", "sister", "wife", "mrs", "ms",
                          "miss", "dame", "lady"})  # fmt: skip
# Roles that speak for the organisation named beside them: "a ministry spokesman said".
SPOKES_ROLES = frozenset({"spokesman", "spokeswoman", "spokesperson", "representative",
                          "official", "officials", "source", "sources", "statement"})  # fmt: skip
# Collective nouns: a group of people that speaks as one, never a single person.
COLLECTIVE_NOUNS = frozenset({
    "family", "families", "couple", "crew", "jury", "panel", "audience", "crowd", "public",
    "prosecution", "defence", "defense", "team", "staff", "management", "union", "opposition",
    "majority", "minority", "residents", "community", "neighbours", "neighbors",
})  # fmt: skip
# Document nouns: "the statement said" is a document speaking.
DOCUMENT_NOUNS = frozenset({
    "statement", "report", "communique", "communiqué", "letter", "document", "filing",
    "release", "memo", "memorandum", "study", "survey", "poll", "post", "tweet", "notice",
    "declaration", "resolution", "ruling", "order", "decree", "complaint", "lawsuit",
    "indictment", "affidavit", "transcript", "article", "analysis", "paper", "data",
    "figures", "records", "book", "email", "e-mail", "message", "video", "website",
    "account", "bulletin", "briefing", "assessment", "findings", "review", "audit",
    "research", "editorial", "column", "petition", "summary", "charter", "manifesto",
    "investigation", "tally", "disclosure", "test", "testing", "evidence", "estimate",
    "projection", "statistic", "statistics", "census", "model", "forecast", "inquiry",
    "probe", "autopsy", "footage", "photo", "image", "recording", "map", "chart", "graph",
})  # fmt: skip
# Documents that stand for who issued them: "Rosatom issued a statement. … the statement said".
ISSUED_DOCUMENTS = frozenset({"statement", "communique", "communiqué", "letter", "release",
                              "notice", "declaration", "message", "memo"})  # fmt: skip
ISSUE_VERBS = frozenset({"issue", "release", "publish", "send", "circulate", "distribute",
                         "post", "sign", "write"})  # fmt: skip
ISSUER_SENTENCES = 3  # how far back "X issued a statement" is looked for
# Unnamed sources: "sources", "a senior official", "people familiar with the matter".
ANON_NOUNS = frozenset({
    "source", "sources", "official", "officials", "people", "person", "insider", "insiders",
    "someone", "one", "many", "others", "some", "several", "diplomat", "diplomats",
})  # fmt: skip
INDEFINITE = frozenset({"a", "an", "some", "several", "many", "two", "three", "one", "few",
                        "other", "no", "another", "most", "numerous", "various"})  # fmt: skip
# Honorifics and titles that may precede a name in a speaker phrase.
TITLES = frozenset({
    "mr", "mrs", "ms", "miss", "dr", "prof", "sir", "dame", "lord", "lady", "gen", "col", "lt",
    "sgt", "capt", "rev", "president", "minister", "senator", "sen", "rep", "gov", "governor",
    "mayor", "judge", "justice", "king", "queen", "prince", "princess", "pope", "sheikh",
})  # fmt: skip
# Words that are never a speaker on their own (parser debris in real copy).
NEVER_SPEAKERS = frozenset({
    "old", "rounds", "'s", "’s", "year", "years", "time", "times", "day", "days", "week",
    "there", "here", "this", "that", "these", "those", "it's", "which", "what", "all", "both",
    "each", "nothing", "everything", "anything", "something",
})  # fmt: skip

# Endings of nouns for a person by what they do ("the real estate agent", "the neurologist").
AGENT_SUFFIXES = ("er", "or", "ist", "ian", "ant", "ent", "eer", "ee", "man", "woman")
# Parts of speech a speaker phrase's head can have.
NOMINAL_POS = frozenset({"NOUN", "PROPN", "PRON", "NUM", "X"})
# Entity types of a quantity heading a role phrase: "One of the protesters, Hayley Walsh, said".
QUANTITY_ENTS = frozenset({"CARDINAL", "QUANTITY"})

# ---- thresholds ------------------------------------------------------------------------------
FLOATING_MIN_WORDS = 4  # a quotation standing alone must be this long to be speech
FLOATING_ORPHAN_MIN_WORDS = 6  # ... and this long when no claim is near (speaker: last person)
TAIL_CUE_WINDOW = 30  # tokens after a quotation searched for "X said"
TAIL_CUE_FAR = 12  # beyond this many tokens the subject must sit between quotation and verb
LEAD_CUE_WINDOW = 10  # tokens before a quotation searched for "X said:"
CONTINUATION_MAX_GAP = 200  # characters between a quotation and its continuation
SIGNED_MIN_WORDS = 8  # a paragraph signed by a name ("… Name Surname") at least this long
SIGNED_MIN_CONTENT_WORDS = 6
TITLE_LINE_MAX_WORDS = 20  # headline/caption lines (no final punctuation) at most this long
NEST_COVER = 0.7  # an outer claim whose content is this much an inner claim is its relay
MIN_CONTENT_CHARS = 3
SALIENCE_SENTENCES = 4  # sentences looked back for a pronoun's antecedent
DESCRIPTION_SENTENCES = 2  # ... and for the organisation a definite description stands for
ROLE_WINDOW_CHARS = 60  # "the spokesman" matches a person named with that word this close
RECENT_MENTIONS = 60  # mentions looked back for a description's antecedent

# Confidences per candidate kind (the speaker's resolution lowers them further).
CONF_QUOTE = 0.9
CONF_QUOTE_WEAK = 0.7
CONF_CLAUSE = 0.8
CONF_CLAUSE_WEAK = 0.55
CONF_ACCORDING = 0.75
CONF_FLOATING = 0.5
CONF_FLOATING_ORPHAN = 0.4
CONF_SIGNED = 0.5
CONF_CONTINUED_DROP = 0.1
CONF_UNRESOLVED_DROP = 0.1

# ---- salience (pronoun antecedents) ------------------------------------------------------
# Weight of a mention by its grammatical role; an earlier claim's speaker weighs most (the
# subject of the previous attribution before the last name mentioned).
SALIENCE_ROLE = {
    "speaker": 100, "subject": 80, "object": 50, "apposition": 45, "oblique": 30,
    "possessive": 30, "modifier": 10,
}  # fmt: skip
SALIENCE_DECAY = 0.5  # per sentence back
SALIENCE_IN_QUOTE = 0.3  # a name inside someone's quotation is a weak antecedent
SALIENCE_REPEAT = 0.25  # share of further mentions of the same referent added to the best one
GENDER_TITLE_WEIGHT = 3  # a title or gendered role counts as this many pronouns
GENDER_CLAUSE_WEIGHT = 3  # "X said she …": the reported clause's pronoun, this many
GENDER_MATCH_BOOST = 2.0  # a referent whose known gender fits the pronoun weighs this much more
GENDER_MARGIN = 2  # this many times more he/his than she/her (or back) to call a gender
# Plural nouns for people that form a group when they speak ("prosecutors said").
GROUP_NOUNS = frozenset({
    "prosecutor", "representative", "resident", "protester", "protestor", "worker",
    "employee", "parent", "student", "teacher", "nurse", "doctor", "farmer", "villager",
    "activist", "campaigner", "critic", "supporter", "opponent", "voter", "lawmaker",
    "legislator", "investigator", "researcher", "scientist", "economist", "analyst", "expert",
    "organiser", "organizer", "authority", "rescuer", "firefighter", "medic", "soldier",
    "troop", "militant", "rebel", "victim", "survivor", "witness", "relative", "neighbour",
    "neighbor", "fan", "player", "member", "leader", "negotiator", "mediator", "observer",
    "human", "passenger", "shopper", "consumer", "customer", "user", "owner", "citizen",
    "local", "attorney", "lawyer", "judge", "officer", "police", "official", "democrat",
    "republican", "conservative", "liberal", "agent", "detective", "guard", "staffer",
})  # fmt: skip
