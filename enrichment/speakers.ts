import nlp from 'compromise';
import { TIME_CODE } from '../domain/time-code.js';

export const SPEAKER_EXTRACTOR_VERSION = 1;

export interface SpeakerSource {
  speakers: string[];
  title: string;
  description: string;
  transcript: string;
}

export interface ExtractedSpeaker {
  name: string;
  source: 'ai' | 'manual';
  confidence: number;
  mentions: number;
}

const wordSet = (words: string) => new Set(words.split(/\s+/).filter((w) => w !== ''));

// Lower-cased, without the trailing period. Dropped from the front of a name so "Sir Ken Robinson"
// and "Ken Robinson" are one person.
const HONORIFICS = wordSet(`
  sir dame dr doctor prof professor mr mrs ms miss mx mme mlle sra lord lady baroness countess
  prince princess his her holiness excellency majesty highness rev reverend fr father brother
  sister pastor bishop archbishop cardinal pope rabbi imam sheikh sheik sheikha swami sadhguru
  ayatollah hon honorable honourable judge justice senator sen rep gov governor president pres
  premier minister mayor ambassador secretary chancellor commissioner congressman congresswoman
  gen general col colonel capt captain lt lieutenant sgt sergeant admiral commander marshal
`);
// Degrees and post-nominals that say nothing about who the person is.
const POSTNOMINALS = wordSet('phd md esq mba obe cbe kbe dbe frs jd msc bsc');
const GENERATIONAL = wordSet('jr sr ii iii iv');
// Surname particles, lower-case inside a name ("Rogier van der Heide", "Francis de los Reyes").
const PARTICLES = wordSet(`de del della der den des di da das do dos du la le los las van von y e
  bin ibn al el st 't ter ten zu`);
// Role labels that diarizers, captioners and headings use in place of a name.
const GENERIC_LABELS = wordSet(`
  speaker speakers unknown unidentified audience member members interviewer interviewee narrator
  host cohost co-host moderator presenter announcer voice voiceover vo man woman male female boy
  girl child crowd participant panelist guest caller everyone all both together translator
  interpreter q a question answer video audio music applause laughter note notes step chapter part
  section update edit warning caution tip hint example source summary conclusion intro introduction
  outro title subject date time location link website email phone important disclaimer transcript
  transcription translation reminder bonus correction other others student teacher reporter
  correspondent anchor officer doctor nurse patient mom dad mother father tedx
`);
// Words that never belong to a name, so "In Conclusion" or "The End" cannot be a speaker.
const FUNCTION_WORDS = wordSet(`
  the a an and or but of in on at to for with by from this that these those is are was were my
  our your their his her its we i you he she they it how why what when where who not no yes
`);

const stripDot = (w: string) => w.replace(/\.$/, '').toLowerCase();
const hasLower = (s: string) => /\p{Ll}/u.test(s);
const hasUpper = (s: string) => /\p{Lu}/u.test(s);

/** Accent folding for comparison only; display keeps the original spelling. */
function fold(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/ß/g, 'ss')
    .replace(/[æÆ]/g, 'ae')
    .replace(/[øØ]/g, 'o')
    .replace(/[łŁ]/g, 'l')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase();
}

// --- normalization --------------------------------------------------------------------------

const ROMAN = /^(?:ii|iii|iv|vi|vii|viii)$/i;
const CONTRACTION = /['’](?:ll|ve|re|d|m|t)$/iu;
const NAME_WORD = /^(?:\p{L}\.){1,3}$|^\p{L}[\p{L}\p{M}'’-]*\.?$/u;
const POSSESSIVE = /(?:[’']s|(?<=s)[’'])$/iu;
const stripPossessive = (w: string) => w.replace(POSSESSIVE, '');

// Capitalize after apostrophes and hyphens too: "O'BRIEN" -> "O'Brien", "JEAN-PAUL" -> "Jean-Paul".
const capitalizeWord = (w: string) =>
  w.toLowerCase().replace(/(^|[-'’.])(\p{Ll})/gu, (_m, sep: string, ch: string) => sep + ch.toUpperCase());

function titleCase(words: string[]): string[] {
  return words.map((w, i) => {
    if (ROMAN.test(w)) return w.toUpperCase();
    if (i > 0 && i < words.length - 1 && PARTICLES.has(w.toLowerCase())) return w.toLowerCase();
    return capitalizeWord(w);
  });
}

/**
 * Display form: honorifics stripped ("Sir", "Dr.", "Prof.", "Dame", "Mr", "Mrs", "Ms", "Lord",
 * "Lady"...), "LAST, FIRST" inverted, ALL-CAPS title-cased. Returns null for things that are not a
 * plausible person name (empty, digits, 'Speaker 1', 'Unknown', 'Audience', 'Interviewer',
 * 'Narrator', etc.).
 */
export function normalizeSpeakerName(raw: string): string | null {
  let s = raw
    .normalize('NFC')
    .replace(/\([^)]*\)|\[[^\]]*\]/g, ' ') // "Chris Anderson (TED)"
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[\s"'“”‘’«»<>(){}[\]*_~:;,-]+|[\s"“”«»<>(){}[\]*_~:;,!?-]+$/gu, '');
  s = stripPossessive(s).trim();
  if (s === '' || /\d/.test(s)) return null;

  // "ROBINSON, KEN" -> "KEN ROBINSON"; but "Martin Luther King, Jr." keeps its order.
  const commaParts = s.split(/\s*,\s*/);
  if (commaParts.length > 2) return null;
  if (commaParts.length === 2) {
    const [left = '', right = ''] = commaParts;
    const suffixOnly = right
      .split(' ')
      .every((w) => GENERATIONAL.has(stripDot(w)) || POSTNOMINALS.has(stripDot(w)));
    s = suffixOnly ? `${left} ${right}` : `${right} ${left}`;
  }

  let words = s.split(' ').filter((w) => w !== '');
  while (words.length > 1 && HONORIFICS.has(stripDot(words[0] ?? ''))) words.shift();
  while (words.length > 1 && POSTNOMINALS.has(stripDot(words[words.length - 1] ?? ''))) words.pop();
  if (words.length === 0 || words.length > 6) return null;
  if (!words.every((w) => NAME_WORD.test(w) && !CONTRACTION.test(w))) return null;

  const lower = words.map(stripDot);
  const generic = (w: string) => GENERIC_LABELS.has(w) || w.length <= 1;
  // "Speaker A", "Audience Member", "Male Voice", "Q".
  if (GENERIC_LABELS.has(lower[0] ?? '') && lower.every(generic)) return null;
  if (lower.every((w) => w.length <= 1)) return null;
  if (lower.some((w) => FUNCTION_WORDS.has(w) && !PARTICLES.has(w))) return null;
  if (lower.every((w) => HONORIFICS.has(w) || POSTNOMINALS.has(w))) return null;

  const joined = words.join(' ');
  if (!hasLower(joined) || !hasUpper(joined)) words = titleCase(words);
  else
    words = words.map((w) =>
      /\p{Lu}{3}/u.test(w) && !hasLower(w) && !ROMAN.test(w) ? capitalizeWord(w) : w,
    );
  return words.join(' ');
}

/**
 * Identity key: "Ken Robinson", "Sir Ken Robinson", "ROBINSON, KEN", "ken robinson" all give the
 * same key. Accents folded.
 */
export function speakerKey(name: string): string {
  const tokens = fold(normalizeSpeakerName(name) ?? name)
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter((t) => t !== '');
  // Initials are written "J.K.", "J. K." or "JK"; join runs of single letters so all agree.
  const out: string[] = [];
  let inInitials = false;
  for (const t of tokens) {
    if (t.length === 1 && inInitials) out[out.length - 1] += t;
    else out.push(t);
    inInitials = t.length === 1;
  }
  return out.join(' ');
}

// --- compromise's lexicon -------------------------------------------------------------------

interface Term {
  text: string;
  pre: string;
  post: string;
  tags: string[];
}

const PERSON_TAGS = ['Person', 'FirstName', 'LastName', 'MaleName', 'FemaleName'];
const FIRST_NAME_TAGS = ['FirstName', 'MaleName', 'FemaleName'];
const NAME_LEXICON_TAGS = [...FIRST_NAME_TAGS, 'LastName', 'Person', 'Honorific'];
// Lexicon classes that make a capitalized word a place, organization, date or function word.
const BLOCKING_TAGS = [
  ...['Place', 'Country', 'City', 'Region', 'Organization', 'Month', 'WeekDay', 'Date', 'Holiday'],
  ...['Determiner', 'Preposition', 'Conjunction', 'Pronoun', 'QuestionWord', 'Value', 'Ordinal', 'Cardinal'],
];
// Lexicon classes of a word capitalized only because it opens the sentence.
const NON_NAME_TAGS = [
  ...BLOCKING_TAGS,
  ...['Actor', 'Adjective', 'Comparative', 'Superlative', 'Adverb', 'Expression', 'Negative', 'Plural'],
  ...['Verb', 'Infinitive', 'PastTense', 'PresentTense', 'Gerund', 'Participle', 'Modal', 'Auxiliary'],
  ...['Copula', 'Imperative', 'PhrasalVerb'],
];
// Lexicon classes of a job title or epithet before a name mid-sentence ("TED Fellow", "Coach").
const ROLE_TAGS = ['Actor', 'Adjective', ...BLOCKING_TAGS];
// Tags on a label that mark a heading rather than a name: "Fun Fact", "Breaking News".
const HEADING_TAGS = [
  'Adjective',
  'Adverb',
  'Verb',
  'Gerund',
  'Plural',
  'Determiner',
  'Preposition',
  'Conjunction',
];

const hasTag = (tags: string[], wanted: string[]) => wanted.some((tag) => tags.includes(tag));

const lexicon = (nlp.model() as { one: { lexicon: Record<string, string | string[] | undefined> } }).one
  .lexicon;
function lexiconTags(word: string): string[] {
  const entry = lexicon[stripPossessive(word).toLowerCase()];
  return entry === undefined ? [] : Array.isArray(entry) ? entry : [entry];
}

// compromise's guess, from suffix rules, for a word its lexicon lacks. Memoized: the same few
// thousand words recur across documents, and the answer depends only on the word. Bounded (cleared
// past it), as a long-running worker meets ever more rare words.
const GUESS_CACHE_MAX = 100_000;
const guessCache = new Map<string, string[]>();
function guessedTags(word: string): string[] {
  const lower = stripPossessive(word).toLowerCase();
  let tags = guessCache.get(lower);
  if (tags === undefined) {
    if (guessCache.size >= GUESS_CACHE_MAX) guessCache.clear();
    const doc = nlp(lower).json() as { terms: Term[] }[];
    tags = doc[0]?.terms[0]?.tags ?? [];
    guessCache.set(lower, tags);
  }
  return tags;
}

// Abstract nouns and adjectives by their ending, since the lexicon lacks most of them.
const COMMON_SUFFIX =
  /(?:tion|sion|ment|ness|ity|ism|ogy|ture|ship|hood|ics|ance|ence|ical|ive|ous|able|ible)$/u;
// Not bare "-al" or "-ic": Iqbal, Kamal, Jovanovic.
const ADJECTIVE_SUFFIX = /^.{3,}(?:ous|ive|ful|less|able|ible|ary|ical|ional|ial|ual|tic|nic)$/u;
// Job titles the lexicon lacks still end like one: "Statistician", "Hotelier", "Pollster".
const ROLE_SUFFIX = /(?:ist|ian|ier|eer|man|woman|ster|er|or)$/u;

// --- diarized transcripts -------------------------------------------------------------------

/** A time code, bracketed, parenthesized or bare. */
const TIMESTAMP = String.raw`(?:[[(]?${TIME_CODE}[\])]?)`;
// The label may not contain a colon, so "http://..." and "10:30" never yield one; the text after
// the colon must start with a space or be absent.
const LABEL_LINE = new RegExp(
  String.raw`^\s*(?:${TIMESTAMP}\s*(?:[-–—|]\s*)?)?(?:>>\s*|-\s+)?([^:\n]{1,60}?)\s*(?:${TIMESTAMP}\s*)?:(?:\s+.*)?$`,
  'u',
);
// WebVTT voice spans: "<v Ken Robinson>text".
const VTT_VOICE = /<v(?:\.[\w.-]+)?\s+([^>]{1,60})>/gu;

/** 1-4 capitalized or all-caps words, optionally after an honorific or around particles. */
function looksLikeNameLabel(label: string): boolean {
  const words = label.trim().split(/\s+/);
  let nameWords = 0;
  for (const w of words) {
    if (nameWords === 0 && HONORIFICS.has(stripDot(w))) continue;
    if (nameWords > 0 && PARTICLES.has(w.toLowerCase())) continue;
    if (!/^\p{Lu}/u.test(w)) return false;
    nameWords++;
  }
  return nameWords >= 1 && nameWords <= 4;
}

/** Whether a capitalized label ("Ken Robinson", "Fun Fact") names a person. */
function labelIsPerson(name: string, occurrences: number): boolean {
  const words = name.split(' ');
  const lexTags = words.map(lexiconTags);
  if (lexTags.some((tags) => hasTag(tags, NAME_LEXICON_TAGS))) return true;
  // compromise judges a name best where it stands as the subject of a sentence.
  if (nlp(`${name} said hello.`).people().text().trim() === name) return true;
  const tags = words.map((w, i) => ((lexTags[i] ?? []).length > 0 ? (lexTags[i] ?? []) : guessedTags(w)));
  if (tags.some((t) => hasTag(t, HEADING_TAGS) && !t.includes('Abbreviation'))) return false;
  const distinctive = words.some((w, i) => {
    const lex = lexTags[i] ?? [];
    return (lex.length === 0 || lex.includes('Abbreviation')) && !COMMON_SUFFIX.test(w.toLowerCase());
  });
  // A lone unknown word ("Background:") counts only if it keeps taking turns.
  return distinctive && (words.length > 1 || occurrences >= 2);
}

/** Speaker turns in order; a name repeats once per labelled line. */
function diarizedTurns(transcript: string): string[] {
  const labels: string[] = [];
  for (const line of transcript.split(/\r?\n/)) {
    const voices = [...line.matchAll(VTT_VOICE)];
    if (voices.length > 0) {
      for (const v of voices) labels.push(v[1] ?? '');
      continue;
    }
    const label = LABEL_LINE.exec(line)?.[1];
    if (label !== undefined && looksLikeNameLabel(label)) labels.push(label);
  }
  const names = labels.map(normalizeSpeakerName).filter((n): n is string => n !== null);
  const counts = new Map<string, number>();
  for (const n of names) counts.set(n, (counts.get(n) ?? 0) + 1);
  const verdicts = new Map<string, boolean>();
  return names.filter((n) => {
    let ok = verdicts.get(n);
    if (ok === undefined) verdicts.set(n, (ok = labelIsPerson(n, counts.get(n) ?? 0)));
    return ok;
  });
}

/**
 * Speaker names from diarized transcripts, in order of first appearance: lines like
 * "KEN ROBINSON: text", "Ken Robinson: text", "[00:01:02] Ken Robinson: text",
 * "00:01:02 Ken Robinson: text", "[00:01] Name: text". Ordinary sentences with a colon ("Note: this",
 * "Step 1: ...", "http://...") are not taken as speakers.
 */
export function parseDiarizedSpeakers(transcript: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const name of diarizedTurns(transcript)) {
    const key = speakerKey(name);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(name);
  }
  return out;
}

// --- names in prose -------------------------------------------------------------------------

// compromise's people() alone misses most unfamiliar names ("Al Gore spells out", "Sunitha
// Krishnan has"), so we take runs of capitalized words and judge each from compromise's tags, its
// lexicon and the words around the run.

const TRANSCRIPT_NER_CHARS = 5000;

// A capitalized run ending in one of these is an institution, a place or a band, not a person.
// Surnames that are also such words (Hall, Park, Church, Post) are deliberately absent.
const ORG_WORDS = wordSet(`
  academy university college institute foundation school center centre project lab labs laboratory
  inc corp company group orchestra ensemble band choir trio quartet quintet society association
  council museum prize award awards festival conference summit index report times journal magazine
  network studio studios initiative league club avenue road mountain valley city county state
  republic kingdom hospital agency ministry department prison party program programme theater
  theatre system
`);
const SAYING_VERBS = wordSet(
  'says said asks asked argues argued explains explained writes wrote notes noted suggests suggested believes',
);
const INITIALS = /^\p{Lu}(?:\.\p{Lu}){0,2}\.?$|^\p{Lu}{2}$/u;

const isPersonTerm = (t: Term) => hasTag(t.tags, PERSON_TAGS);
// Capitalized, "Al" and "El" open a name ("Al Gore") rather than join one.
const isParticle = (t: Term) => PARTICLES.has(t.text.toLowerCase()) && !/^\p{Lu}/u.test(t.text);
const isHonorificTerm = (t: Term) => /^\p{Lu}/u.test(t.text) && HONORIFICS.has(stripDot(t.text));
// "Al", "Jun", "Penn" are abbreviations in the lexicon and names in a byline.
const isAbbreviation = (t: Term) => lexiconTags(t.text).includes('Abbreviation') && !t.post.startsWith('.');
const isFirstNameLex = (t: Term) => hasTag(lexiconTags(t.text), FIRST_NAME_TAGS);
const isNameLex = (t: Term) => hasTag(lexiconTags(t.text), NAME_LEXICON_TAGS);
const isAcronym = (t: Term) => /^\p{Lu}{3,}$/u.test(t.text);
const isHyphenated = (a: Term | undefined) => a?.post === '-';

/** A dictionary word that is not also a name ("Truth", "Fellow"). */
function isCommonWord(t: Term): boolean {
  if (isParticle(t) || isAbbreviation(t) || isNameLex(t)) return false;
  if (lexiconTags(t.text).length > 0) return true;
  const word = stripPossessive(t.text).toLowerCase();
  if (word.length >= 6 && COMMON_SUFFIX.test(word)) return true;
  const guess = guessedTags(t.text);
  return (
    hasTag(guess, ['Adverb', 'Gerund', 'PastTense', 'Plural', 'Actor']) ||
    (guess.includes('Adjective') && ADJECTIVE_SUFFIX.test(word))
  );
}

/** A place, organization, date or function word by the lexicon ("Paris", "Nokia", "June"). */
function isBlocked(t: Term): boolean {
  if (isParticle(t) || isAbbreviation(t) || isNameLex(t)) return false;
  return hasTag(lexiconTags(t.text), BLOCKING_TAGS);
}

const isDistinctive = (t: Term) => !isParticle(t) && !isBlocked(t) && !isCommonWord(t);

/**
 * Whether a capitalized word alone in its run can be kept as a name (or a surname to merge). A lone
 * given name is too vague; a lone surname may merge into a fuller name. From the word and its
 * lexicon only, not from its tags, so that untagged text can be judged (`mayNameSomeone`).
 */
const canNameAlone = (t: Term) => !INITIALS.test(t.text) && !isFirstNameLex(t) && isDistinctive(t);

/** Role words, acronyms and sentence-initial capitals in front of a name ("Physicist", "TED Fellow"). */
function isLeadingNoise(t: Term, rest: Term[], sentenceInitial: boolean): boolean {
  if (isHonorificTerm(t) || isHyphenated(t)) return false;
  if (isAcronym(t)) return true;
  const next = rest[0];
  if (INITIALS.test(t.text)) {
    // "MP Rory Stewart": two capitals before a first name and a surname are a title, not initials.
    const beforeFullName =
      rest.length >= 2 && next !== undefined && isFirstNameLex(next) && !t.post.startsWith('.');
    return !isAbbreviation(t) && (isBlocked(t) || beforeFullName);
  }
  if (isNameLex(t) || isAbbreviation(t)) return false;
  const lex = lexiconTags(t.text);
  const word = t.text.toLowerCase();
  const guess = guessedTags(t.text);
  // "Coach John Wooden", "British MP Rory Stewart"; but not "Kwame Anthony Appiah".
  const fullNameAhead = rest.some((r, i) => i < rest.length - 1 && isFirstNameLex(r));
  if (fullNameAhead && (lex.length > 0 || ROLE_SUFFIX.test(word) || hasTag(guess, ['Actor', 'Adjective'])))
    return true;
  if (lex.length > 0) return hasTag(lex, sentenceInitial ? NON_NAME_TAGS : ROLE_TAGS);
  if (hasTag(guess, ['Actor', 'Adverb']) || (guess.includes('Adjective') && ADJECTIVE_SUFFIX.test(word)))
    return true;
  if (rest.length >= 2 && ROLE_SUFFIX.test(word)) return true;
  return sentenceInitial && hasTag(guess, ['Gerund', 'PastTense']);
}

function isNameToken(t: Term, inRun: boolean): boolean {
  const word = stripPossessive(t.text);
  if (/^\p{Lu}/u.test(word)) return NAME_WORD.test(word) || INITIALS.test(word);
  // Inside a name: "de la Peña", "Christopher deCharms", "Dennis vanEngelsdorp".
  return inRun && (isParticle(t) || /^\p{Ll}{1,4}\p{Lu}[\p{Ll}\p{M}'’-]+$/u.test(word));
}

/** Punctuation between two terms that a name cannot span (commas, quotes, brackets, dashes). */
function breaksBetween(a: Term, b: Term): boolean {
  const gap = a.post + b.pre;
  if (/^\s*$/.test(gap) || gap === '-') return false; // compromise splits "Jean-Paul" in two
  // "Dr.", "J.", "St." keep their period inside a name.
  const abbreviated = isHonorificTerm(a) || INITIALS.test(a.text) || PARTICLES.has(a.text.toLowerCase());
  return !(abbreviated && /^\.\s*$/.test(gap));
}

function joinTerms(terms: Term[]): string {
  return terms
    .map((t, i) => {
      if (i === terms.length - 1) return t.text;
      if (isHyphenated(t)) return `${t.text}-`;
      return t.post.trim() === '.' ? `${t.text}. ` : `${t.text} `;
    })
    .join('');
}

interface RunContext {
  prev: Term | undefined;
  next: Term | undefined;
  sentenceInitial: boolean;
}

/**
 * How much a mention alone proves: 'name' stands on its own; 'lone' is a single word that only its
 * position marks as a name, kept if it recurs or merges; 'alias' is a bare capitalized word kept
 * only if it is the surname of a fuller name ("Rao creates ..." after "Aparna Rao").
 */
type Evidence = 'name' | 'lone' | 'alias';
const EVIDENCE_RANK: Record<Evidence, number> = { name: 2, lone: 1, alias: 0 };

interface ProseMention {
  name: string;
  evidence: Evidence;
}

function personFromRun(run: Term[], ctx: RunContext): ProseMention | null {
  let terms = run;
  let trimmedActor = false;
  while (
    terms.length > 1 &&
    isLeadingNoise(terms[0]!, terms.slice(1), ctx.sentenceInitial && terms === run)
  ) {
    trimmedActor ||= terms[0]!.tags.includes('Actor') && !isAcronym(terms[0]!);
    terms = terms.slice(1);
  }
  // "UK Prime Minister Gordon Brown", "Economics PhD Sebastião Salgado": what precedes a title is
  // not the name. "Joshua Prince-Ramus" has no title in it.
  const titleAt = terms.findIndex(
    (t, i) =>
      i > 0 &&
      i < terms.length - 1 &&
      !isHyphenated(terms[i - 1]) &&
      !isHyphenated(t) &&
      (isHonorificTerm(t) || POSTNOMINALS.has(stripDot(t.text))),
  );
  if (titleAt > 0)
    terms = terms.slice(POSTNOMINALS.has(stripDot(terms[titleAt]!.text)) ? titleAt + 1 : titleAt);
  while (terms.length > 0 && isParticle(terms[terms.length - 1]!)) terms = terms.slice(0, -1);
  let lead = 0;
  while (lead < terms.length - 1 && isHonorificTerm(terms[lead]!)) lead++;
  const names = terms.slice(lead);
  const first = names[0];
  const last = terms[terms.length - 1];
  if (first === undefined || last === undefined || names.length > 5) return null;
  if (ORG_WORDS.has(stripPossessive(last.text).toLowerCase()) || names.some(isAcronym)) return null;
  // "U.S. Secretary", "Navy Admiral": a title with no name after it.
  if (isHonorificTerm(last) && !isHyphenated(terms[terms.length - 2])) return null;

  const { prev, next } = ctx;
  const honorific = lead > 0;
  const startsSentence = ctx.sentenceInitial && terms === run;
  const possessive = POSSESSIVE.test(last.text);
  const beforeVerb = next !== undefined && (next.tags.includes('Verb') || /^\p{Ll}+s$/u.test(next.text));
  // "astronomer Jill Tarter", "..., says Nigel Marsh": the context itself says a person follows.
  const strongCue =
    trimmedActor ||
    (prev !== undefined && (prev.tags.includes('Actor') || SAYING_VERBS.has(prev.text.toLowerCase())));
  // "Gever Tulley, founder of ...", "Harish Manwani, COO of ..."
  const appositive =
    last.post.includes(',') &&
    next !== undefined &&
    (hasTag(next.tags, ['Actor', 'Determiner']) || ROLE_SUFFIX.test(next.text) || next.text === 'who');
  const byline = prev?.text.toLowerCase() === 'by';
  const cue = strongCue || beforeVerb || possessive || appositive || startsSentence || byline;

  // Quoted runs are titles ("An Inconvenient Truth"); runs compromise tags as places are places,
  // unless a known first name and a verb say otherwise ("Graham Hill has").
  const quoted = /["“‘']/.test(run[0]!.pre);
  const place = names.every((t) => hasTag(t.tags, ['Place', 'Organization']) && !isPersonTerm(t));
  const namedPlace = place && isFirstNameLex(first) && beforeVerb;
  if ((quoted || (place && !namedPlace)) && !honorific && !strongCue) return null;

  // Tokens that are neither places nor dictionary words: the likely name parts.
  const distinctive = names.filter(isDistinctive);
  const tagged = names.some(isPersonTerm);
  let evidence: Evidence | null;
  if (names.length === 1) {
    const lone = canNameAlone(first);
    const mononym = beforeVerb && (startsSentence || trimmedActor);
    if (honorific || (lone && isPersonTerm(first) && lexiconTags(first.text).includes('LastName')))
      evidence = 'name';
    else if (lone && (mononym || isPersonTerm(first))) evidence = 'lone';
    else evidence = lone && !startsSentence ? 'alias' : null;
  } else {
    const accept =
      honorific ||
      strongCue ||
      INITIALS.test(first.text) ||
      (isFirstNameLex(first) && (!names.some(isBlocked) || cue)) ||
      (tagged && cue) ||
      (distinctive.length > 0 && (cue || tagged));
    evidence = accept ? 'name' : null;
  }
  if (evidence === null) return null;
  const name = normalizeSpeakerName(joinTerms(terms));
  return name === null ? null : { name, evidence };
}

/** Runs of capitalized words that may be a name, as [start, end) into a sentence's terms. */
function nameRuns(terms: Term[]): [number, number][] {
  const runs: [number, number][] = [];
  let start = -1;
  const flush = (end: number) => {
    if (start >= 0) runs.push([start, end]);
    start = -1;
  };
  terms.forEach((t, i) => {
    const prev = terms[i - 1];
    if (start >= 0 && prev !== undefined && breaksBetween(prev, t)) flush(i);
    if (!isNameToken(t, start >= 0)) return flush(i);
    if (start < 0) start = i;
    if (POSSESSIVE.test(t.text) || /[,;:)"”!?]/.test(t.post)) flush(i + 1);
  });
  flush(terms.length);
  return runs;
}

// compromise's tokenizer without its tagger: sentences of terms (text, pre, post), no tags yet.
const { fromString } = (
  nlp.methods() as { one: { tokenize: { fromString: (text: string, world: unknown) => Term[][] } } }
).one.tokenize;
// Words that compromise's contractions split in two while tagging: "Robinson's", "I'm", "Cannot".
// The split moves the word's punctuation, so a run holding one is judged only once tagged.
const SPLIT_WITHOUT_APOSTROPHE = new Set(
  (nlp.model() as { one: { contractions: { word?: string }[] } }).one.contractions.flatMap((c) =>
    c.word === undefined || /['’]/.test(c.word) ? [] : [c.word],
  ),
);
const maySplit = (t: Term) => /['’]/.test(t.text) || SPLIT_WITHOUT_APOSTROPHE.has(t.text.toLowerCase());

/**
 * Whether an untagged run of capitalized words can yield a mention, from the words and the lexicon
 * alone. It holds as long as `personFromRun` keeps two rules: a run of one word is a name only if
 * `canNameAlone`; a longer run keeps its last word that is not a particle (it trims the front and
 * trailing particles only), and a function word in a name makes it none ("And I", "So We").
 */
function mayName(run: Term[]): boolean {
  if (run.some(maySplit)) return true;
  if (run.length === 1) return canNameAlone(run[0]!);
  let last = run.length - 1;
  while (last > 0 && isParticle(run[last]!)) last--;
  return !FUNCTION_WORDS.has(stripDot(run[last]!.text)) || isHyphenated(run[last - 1]);
}

/**
 * The sentences that may name someone: tagging is most of the cost of names in prose, and most
 * sentences hold only a capitalized function or dictionary word ("The", "In", "So I"). compromise
 * tags each sentence on its own (the same tags alone as within the text), so the others are left
 * out before tagging.
 */
const candidateSentences = (text: string) =>
  fromString(text, nlp.world()).filter((terms) =>
    nameRuns(terms).some(([start, end]) => mayName(terms.slice(start, end))),
  );

/** The sentences of `text` that are tagged in search of names, as compromise splits them. */
export function nameSentences(text: string): string[] {
  return candidateSentences(text).map((terms) => terms.map((t) => t.pre + t.text + t.post).join(''));
}

// A compromise document of sentences already split, tagged by every step of nlp() but the chunker
// (noun and verb phrases, which nothing here reads).
type Doc = ReturnType<typeof nlp>;
const Document = nlp.tokenize('').constructor as new (sentences: Term[][]) => Doc;
const TAGGING = nlp.hooks().filter((hook) => hook !== 'chunks');

function textPeople(text: string): ProseMention[] {
  const found: ProseMention[] = [];
  const doc = new Document(candidateSentences(text)).compute(TAGGING);
  for (const { terms } of doc.json() as { terms: Term[] }[])
    for (const [start, end] of nameRuns(terms)) {
      const ctx = { prev: terms[start - 1], next: terms[end], sentenceInitial: start === 0 };
      const mention = personFromRun(terms.slice(start, end), ctx);
      if (mention !== null) found.push(mention);
    }
  return found;
}

// --- assembly -------------------------------------------------------------------------------

interface Candidate {
  name: string;
  key: string;
  source: 'ai' | 'manual';
  /** Of the strongest manual or diarized evidence; prose-only candidates are scored by mentions. */
  confidence: number;
  mentions: number;
  proseOnly: boolean;
  evidence: Evidence;
}

const MANUAL_CONFIDENCE = 1;
const DIARIZED_CONFIDENCE = 0.9;
const PROSE = 0;

function proseConfidence(name: string, mentions: number): number {
  // One mention of a full name is a fair guess, a bare surname less so; never as sure as a diarizer.
  const base = name.includes(' ') ? 0.6 : 0.4;
  return Math.round(Math.min(0.85, base + 0.1 * (mentions - 1)) * 100) / 100;
}

/** Keys a shorter mention of this person could have: the surname alone, and first + surname. */
function aliasKeys(key: string): string[] {
  const parts = key.split(' ');
  if (parts.length < 2) return [];
  let end = parts.length - 1;
  if (end > 1 && GENERATIONAL.has(parts[end] ?? '')) end--;
  const surname = parts[end] ?? '';
  return end >= 2 ? [surname, `${parts[0] ?? ''} ${surname}`] : [surname];
}

const manualFirst = (a: { source: string }, b: { source: string }) =>
  (a.source === 'manual' ? 0 : 1) - (b.source === 'manual' ? 0 : 1);

const byRank = (a: ExtractedSpeaker, b: ExtractedSpeaker) =>
  manualFirst(a, b) ||
  b.confidence - a.confidence ||
  b.mentions - a.mentions ||
  (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * All speakers: the given `speakers` field (source 'manual', confidence 1), diarized transcript
 * speakers (source 'ai', confidence 0.9), and person names found in title + description + the
 * first ~5,000 characters of transcript (source 'ai', confidence from mention count, below 0.9).
 * De-duplicated by speakerKey; a lone surname or first + last merges into the fuller name it
 * abbreviates. Manual entries keep their own name and source.
 */
export function extractSpeakers(src: SpeakerSource): ExtractedSpeaker[] {
  const byKey = new Map<string, Candidate>();
  const add = (name: string, source: 'ai' | 'manual', confidence: number, evidence: Evidence) => {
    const key = speakerKey(name);
    if (key === '') return;
    const existing = byKey.get(key);
    if (!existing) {
      byKey.set(key, {
        name,
        key,
        source,
        confidence,
        mentions: 1,
        proseOnly: confidence === PROSE,
        evidence,
      });
      return;
    }
    existing.mentions++;
    existing.confidence = Math.max(existing.confidence, confidence);
    existing.proseOnly &&= confidence === PROSE;
    if (EVIDENCE_RANK[evidence] > EVIDENCE_RANK[existing.evidence]) existing.evidence = evidence;
    if (source === 'manual' && existing.source !== 'manual') {
      existing.name = name;
      existing.source = 'manual';
    }
  };

  for (const raw of src.speakers) {
    const name = normalizeSpeakerName(raw);
    if (name !== null) add(name, 'manual', MANUAL_CONFIDENCE, 'name');
  }
  for (const name of diarizedTurns(src.transcript)) add(name, 'ai', DIARIZED_CONFIDENCE, 'name');
  const prose = [src.title, src.description, src.transcript.slice(0, TRANSCRIPT_NER_CHARS)].join('\n\n');
  for (const m of textPeople(prose)) add(m.name, 'ai', PROSE, m.evidence);

  // Fuller names claim the aliases first; among equals the manual, then the most mentioned.
  const candidates = [...byKey.values()].sort(
    (a, b) =>
      b.key.split(' ').length - a.key.split(' ').length || manualFirst(a, b) || b.mentions - a.mentions,
  );
  const aliasOwner = new Map<string, Candidate>();
  for (const c of candidates)
    for (const alias of aliasKeys(c.key)) if (!aliasOwner.has(alias)) aliasOwner.set(alias, c);
  for (const c of candidates) {
    const owner = aliasOwner.get(c.key);
    if (!owner || owner === c || !byKey.has(owner.key)) continue;
    owner.mentions += c.mentions;
    owner.confidence = Math.max(owner.confidence, c.confidence);
    owner.proseOnly &&= c.proseOnly;
    owner.evidence = 'name';
    if (c.source === 'manual' && owner.source !== 'manual') {
      owner.name = c.name;
      owner.source = 'manual';
    }
    byKey.delete(c.key);
  }

  return [...byKey.values()]
    .filter((c) => c.evidence === 'name' || (c.evidence === 'lone' && c.mentions >= 2))
    .map((c) => ({
      name: c.name,
      source: c.source,
      confidence:
        c.source === 'manual'
          ? MANUAL_CONFIDENCE
          : c.proseOnly
            ? proseConfidence(c.name, c.mentions)
            : c.confidence,
      mentions: c.mentions,
    }))
    .sort(byRank);
}
