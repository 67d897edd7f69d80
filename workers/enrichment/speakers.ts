import nlp from 'compromise';

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

// Lower-cased, without the trailing period. Titles are dropped so "Sir Ken Robinson" and
// "Ken Robinson" are one person.
const HONORIFICS = new Set([
  'sir',
  'dame',
  'dr',
  'doctor',
  'prof',
  'professor',
  'mr',
  'mrs',
  'ms',
  'miss',
  'mx',
  'lord',
  'lady',
  'rev',
  'reverend',
  'rabbi',
  'imam',
  'sheikh',
  'sheikha',
  'hon',
  'honorable',
  'honourable',
  'judge',
  'justice',
  'senator',
  'sen',
  'rep',
  'gov',
  'governor',
  'president',
  'pres',
  'gen',
  'general',
  'col',
  'capt',
  'captain',
  'lt',
  'sgt',
  'baroness',
  'countess',
  'his',
  'her',
  'holiness',
  'excellency',
  'majesty',
  'highness',
  'pope',
  'fr',
  'swami',
  'minister',
  'mayor',
  'ambassador',
  'secretary',
  'chancellor',
  'commissioner',
  'congressman',
  'congresswoman',
  'premier',
  'colonel',
  'admiral',
  'commander',
  'lieutenant',
  'sergeant',
  'marshal',
  'sadhguru',
  'ayatollah',
  'cardinal',
  'bishop',
  'archbishop',
  'pastor',
  'prince',
  'princess',
  'sheik',
  'father',
  'brother',
  'sister',
  'sr', // Sister/Señor before a name; after a name it is "Senior" and is kept.
  'sra',
  'mme',
  'mlle',
]);

// Degrees and post-nominals that say nothing about who the person is.
const POSTNOMINALS = new Set([
  'phd',
  'md',
  'esq',
  'mba',
  'obe',
  'cbe',
  'kbe',
  'dbe',
  'frs',
  'jd',
  'msc',
  'bsc',
]);
const GENERATIONAL = new Set(['jr', 'sr', 'ii', 'iii', 'iv']);

// Lower-case surname particles that stay lower-case inside a name.
const PARTICLES = new Set([
  'de',
  'del',
  'della',
  'der',
  'den',
  'des',
  'di',
  'da',
  'das',
  'do',
  'dos',
  'du',
  'la',
  'le',
  'van',
  'von',
  'y',
  'e',
  'bin',
  'ibn',
  'al',
  'el',
  'st',
  "'t",
  'ter',
  'ten',
  'zu',
]);

// Role labels that diarizers and captioners use in place of a name.
const GENERIC_LABELS = new Set([
  'speaker',
  'speakers',
  'unknown',
  'unidentified',
  'audience',
  'member',
  'members',
  'interviewer',
  'interviewee',
  'narrator',
  'host',
  'cohost',
  'co-host',
  'moderator',
  'presenter',
  'announcer',
  'voice',
  'voiceover',
  'vo',
  'man',
  'woman',
  'male',
  'female',
  'boy',
  'girl',
  'child',
  'crowd',
  'participant',
  'panelist',
  'guest',
  'caller',
  'everyone',
  'all',
  'both',
  'together',
  'translator',
  'interpreter',
  'q',
  'a',
  'question',
  'answer',
  'video',
  'audio',
  'music',
  'applause',
  'laughter',
  'note',
  'notes',
  'step',
  'chapter',
  'part',
  'section',
  'update',
  'edit',
  'warning',
  'caution',
  'tip',
  'hint',
  'example',
  'source',
  'summary',
  'conclusion',
  'intro',
  'introduction',
  'outro',
  'title',
  'subject',
  'date',
  'time',
  'location',
  'link',
  'website',
  'email',
  'phone',
  'important',
  'disclaimer',
  'transcript',
  'transcription',
  'translation',
  'reminder',
  'bonus',
  'correction',
  'other',
  'others',
  'student',
  'teacher',
  'reporter',
  'correspondent',
  'anchor',
  'officer',
  'doctor',
  'nurse',
  'patient',
  'mom',
  'dad',
  'mother',
  'father',
  'the',
  'tedx',
  'ted',
]);

// Words that never belong to a name label, so "In Conclusion" or "The End" cannot be a speaker.
const FUNCTION_WORDS = new Set([
  'the',
  'a',
  'an',
  'and',
  'or',
  'but',
  'of',
  'in',
  'on',
  'at',
  'to',
  'for',
  'with',
  'by',
  'from',
  'this',
  'that',
  'these',
  'those',
  'is',
  'are',
  'was',
  'were',
  'my',
  'our',
  'your',
  'their',
  'his',
  'her',
  'its',
  'we',
  'i',
  'you',
  'he',
  'she',
  'they',
  'it',
  'how',
  'why',
  'what',
  'when',
  'where',
  'who',
  'not',
  'no',
  'yes',
]);

const stripDot = (w: string) => w.replace(/\.$/, '').toLowerCase();

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

function capitalizeWord(w: string): string {
  // Capitalize after apostrophes and hyphens too: "O'BRIEN" -> "O'Brien", "JEAN-PAUL" -> "Jean-Paul".
  return w
    .toLowerCase()
    .replace(/(^|[-'’.])(\p{Ll})/gu, (_m, sep: string, ch: string) => sep + ch.toUpperCase());
}

const hasLower = (s: string) => /\p{Ll}/u.test(s);
const hasUpper = (s: string) => /\p{Lu}/u.test(s);
const ROMAN = /^(?:ii|iii|iv|vi|vii|viii)$/i;

function titleCase(words: string[]): string[] {
  return words.map((w, i) => {
    if (ROMAN.test(w)) return w.toUpperCase();
    if (i > 0 && PARTICLES.has(w.toLowerCase()) && i < words.length - 1) return w.toLowerCase();
    return capitalizeWord(w);
  });
}

const CONTRACTION = /['’](?:ll|ve|re|d|m|t)$/iu;
const NAME_WORD = /^(?:\p{L}\.){1,3}$|^\p{L}[\p{L}\p{M}'’-]*\.?$/u;

/**
 * Display form: honorifics stripped ("Sir", "Dr.", "Prof.", "Dame", "Mr", "Mrs", "Ms", "Lord",
 * "Lady"...), "LAST, FIRST" inverted, ALL-CAPS title-cased. Returns null for things that are not a
 * plausible person name (empty, digits, 'Speaker 1', 'Unknown', 'Audience', 'Interviewer',
 * 'Narrator', etc.).
 */
export function normalizeSpeakerName(raw: string): string | null {
  let s = raw
    .normalize('NFC')
    .replace(/\([^)]*\)|\[[^\]]*\]/g, ' ')
    .replace(/[\s\u00a0]+/g, ' ')
    .trim()
    .replace(/^[\s"'“”‘’«»<>(){}[\]*_~:;,-]+|[\s"“”«»<>(){}[\]*_~:;,!?-]+$/gu, '')
    .replace(/(?:[’']s|(?<=s)[’'])$/iu, '')
    .trim();
  if (s === '' || /\d/.test(s)) return null;

  // "ROBINSON, KEN" -> "KEN ROBINSON"; but "Martin Luther King, Jr." keeps its order.
  const commaParts = s.split(/\s*,\s*/);
  if (commaParts.length === 2) {
    const [left = '', right = ''] = commaParts;
    const rightWords = right.split(' ').map(stripDot);
    if (rightWords.every((w) => GENERATIONAL.has(w) || POSTNOMINALS.has(w))) s = `${left} ${right}`;
    else s = `${right} ${left}`;
  } else if (commaParts.length > 2) return null;

  let words = s.split(' ').filter((w) => w !== '');
  while (words.length > 1 && HONORIFICS.has(stripDot(words[0] ?? ''))) words.shift();
  while (words.length > 1 && POSTNOMINALS.has(stripDot(words[words.length - 1] ?? ''))) words.pop();
  if (words.length === 0 || words.length > 6) return null;
  if (!words.every((w) => NAME_WORD.test(w) && !CONTRACTION.test(w))) return null;

  const lower = words.map(stripDot);
  if (lower.every((w) => GENERIC_LABELS.has(w) || w.length === 1)) return null;
  if (
    GENERIC_LABELS.has(lower[0] ?? '') &&
    lower.slice(1).every((w) => w.length <= 1 || GENERIC_LABELS.has(w))
  )
    return null;
  if (lower.some((w) => FUNCTION_WORDS.has(w) && !PARTICLES.has(w))) return null;
  if (lower.every((w) => HONORIFICS.has(w) || POSTNOMINALS.has(w))) return null;

  const joined = words.join(' ');
  if (!hasLower(joined) || !hasUpper(joined)) words = titleCase(words);
  else {
    // Mixed input: fix only the shouted words ("Ken ROBINSON").
    words = words.map((w) =>
      /\p{Lu}{3,}/u.test(w) && !hasLower(w) && !ROMAN.test(w) ? capitalizeWord(w) : w,
    );
  }
  return words.join(' ');
}

/**
 * Identity key: "Ken Robinson", "Sir Ken Robinson", "ROBINSON, KEN", "ken robinson" all give the
 * same key. Accents folded.
 */
export function speakerKey(name: string): string {
  const display = normalizeSpeakerName(name) ?? name;
  const tokens = fold(display)
    .replace(/[.'’]/g, ' ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter((t) => t !== '');
  // Initials are written "J.K.", "J. K." or "JK"; join runs of single letters so all agree.
  const out: string[] = [];
  let inInitials = false;
  for (const t of tokens) {
    if (t.length === 1 && inInitials && out.length > 0) out[out.length - 1] += t;
    else out.push(t);
    inInitials = t.length === 1 && /[a-z]/.test(t);
  }
  return out.join(' ');
}

// --- diarized transcripts -------------------------------------------------------------------

const TIMESTAMP = String.raw`(?:[[(]?\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?[\])]?)`;
const LABEL_LINE = new RegExp(
  String.raw`^\s*(?:${TIMESTAMP}\s*(?:[-–—|]\s*)?)?(?:>>\s*|-\s+)?([^:\n]{1,60}?)\s*(?:${TIMESTAMP}\s*)?:(?:\s+(.*))?$`,
  'u',
);
const VTT_VOICE = /<v(?:\.[\w.-]+)?\s+([^>]{1,60})>/gu;

function isNameLabel(label: string): boolean {
  const words = label.trim().split(/\s+/);
  if (words.length === 0 || words.length > 5) return false;
  let nameWords = 0;
  for (const w of words) {
    if (PARTICLES.has(w.toLowerCase()) && nameWords > 0) continue;
    if (HONORIFICS.has(stripDot(w)) && nameWords === 0) continue;
    if (!/^\p{Lu}/u.test(w)) return false;
    nameWords++;
  }
  return nameWords >= 1 && nameWords <= 4;
}

// Clear signs of a heading rather than a name: "Fun Fact", "Breaking News", "Key Takeaways".
const HEADING_TAGS = ['Adjective', 'Adverb', 'Verb', 'Gerund', 'Plural', 'Determiner', 'Preposition', 'Conjunction'];

/** Whether a capitalized label such as "Ken Robinson" or "Fun Fact" names a person. */
function labelIsPerson(name: string, occurrences: number): boolean {
  const words = name.split(' ');
  const lexTags = words.map((w) => lexiconTags(w));
  if (lexTags.some((tags) => hasTag(tags, NAME_LEXICON_TAGS))) return true;
  // compromise judges a name best in a sentence where it is the subject.
  const probe = nlp(`${name} said hello.`);
  if (probe.people().text().trim() === name) return true;
  const wordTags = words.map((w, i) => {
    const lex = lexTags[i] ?? [];
    return lex.length > 0 ? lex : guessedTags(w);
  });
  const distinctive = words.filter((w, i) => {
    const lex = lexTags[i] ?? [];
    const unknown = lex.length === 0 || lex.includes('Abbreviation');
    return unknown && !hasTag(wordTags[i] ?? [], HEADING_TAGS) && !COMMON_SUFFIX.test(w.toLowerCase());
  });
  if (distinctive.length === 0 || wordTags.some((tags) => hasTag(tags, HEADING_TAGS) && !tags.includes('Abbreviation')))
    return false;
  // A lone unknown word ("Background:") is a speaker only if it keeps taking turns.
  return words.length > 1 || occurrences >= 2;
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
    const m = LABEL_LINE.exec(line);
    const label = m?.[1];
    if (label === undefined || !isNameLabel(label)) continue;
    labels.push(label);
  }
  const names = labels.map(normalizeSpeakerName).filter((n): n is string => n !== null);
  const counts = new Map<string, number>();
  for (const n of names) counts.set(n, (counts.get(n) ?? 0) + 1);
  const verdict = new Map<string, boolean>();
  return names.filter((n) => {
    let ok = verdict.get(n);
    if (ok === undefined) {
      ok = labelIsPerson(n, counts.get(n) ?? 0);
      verdict.set(n, ok);
    }
    return ok;
  });
}

/**
 * Speaker names from diarized transcripts, in order of first appearance: lines like
 * "KEN ROBINSON: text", "Ken Robinson: text", "[00:01:02] Ken Robinson: text",
 * "00:01:02 Ken Robinson: text", "[00:01] Name: text".
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

interface Term {
  text: string;
  pre: string;
  post: string;
  tags: string[];
}

const TRANSCRIPT_NER_CHARS = 5000;

const PERSON_TAGS = ['Person', 'FirstName', 'LastName', 'MaleName', 'FemaleName'];
const FIRST_NAME_TAGS = ['FirstName', 'MaleName', 'FemaleName'];
const NAME_LEXICON_TAGS = [...FIRST_NAME_TAGS, 'LastName', 'Person', 'Honorific'];
// Lexicon classes that make a capitalized word a place, organization, date or function word.
const BLOCKING_TAGS = [
  'Place',
  'Country',
  'City',
  'Region',
  'Organization',
  'Month',
  'WeekDay',
  'Date',
  'Holiday',
  'Determiner',
  'Preposition',
  'Conjunction',
  'Pronoun',
  'QuestionWord',
  'Value',
  'Ordinal',
  'Cardinal',
];
// Lexicon classes of a word that is capitalized only because it opens the sentence or is a job title.
const NON_NAME_TAGS = [
  ...BLOCKING_TAGS,
  'Actor',
  'Adjective',
  'Comparative',
  'Superlative',
  'Adverb',
  'Verb',
  'Infinitive',
  'PastTense',
  'PresentTense',
  'Gerund',
  'Participle',
  'Modal',
  'Auxiliary',
  'Copula',
  'Imperative',
  'PhrasalVerb',
  'Expression',
  'Negative',
  'Plural',
];
const ROLE_TAGS = ['Actor', 'Adjective'];

const lexicon = (nlp.model() as { one: { lexicon: Record<string, string | string[] | undefined> } }).one
  .lexicon;
function lexiconTags(word: string): string[] {
  const entry = lexicon[stripPossessive(word).toLowerCase()];
  return entry === undefined ? [] : Array.isArray(entry) ? entry : [entry];
}

const POSSESSIVE = /(?:[’']s|(?<=s)[’'])$/iu;
const stripPossessive = (w: string) => w.replace(POSSESSIVE, '');
const INITIALS = /^\p{Lu}(?:\.\p{Lu}){0,2}\.?$|^\p{Lu}{2}$/u;

const hasTag = (tags: string[], wanted: string[]) => wanted.some((tag) => tags.includes(tag));
const isPersonTerm = (t: Term) => hasTag(t.tags, PERSON_TAGS);
// Capitalized, "Al" and "El" open a name ("Al Gore") rather than join one.
const isParticle = (t: Term) => PARTICLES.has(t.text.toLowerCase()) && !/^\p{Lu}/u.test(t.text);
const isHonorificTerm = (t: Term) => /^\p{Lu}/u.test(t.text) && HONORIFICS.has(stripDot(t.text));
// "Al", "Jun", "Penn" are abbreviations in the lexicon and names in a byline.
const isAbbreviation = (t: Term) => lexiconTags(t.text).includes('Abbreviation') && !t.post.startsWith('.');
const isFirstNameLex = (t: Term) => hasTag(lexiconTags(t.text), FIRST_NAME_TAGS);
const isNameLex = (t: Term) => hasTag(lexiconTags(t.text), NAME_LEXICON_TAGS);
const isAcronym = (t: Term) => /^\p{Lu}{3,}$/u.test(t.text);

// compromise's guess for a word it has no entry for, from the lower-cased word alone. Memoized:
// the same few thousand words recur across documents.
const guessCache = new Map<string, string[]>();
function guessedTags(word: string): string[] {
  const lower = stripPossessive(word).toLowerCase();
  let tags = guessCache.get(lower);
  if (tags === undefined) {
    const doc = nlp(lower).json() as { terms: Term[] }[];
    tags = doc[0]?.terms[0]?.tags ?? [];
    guessCache.set(lower, tags);
  }
  return tags;
}

// Abstract nouns and adjectives by their ending; compromise's lexicon lacks most of them.
const COMMON_SUFFIX =
  /(?:tion|sion|ment|ness|ity|ism|ogy|ture|ship|hood|ics|ance|ence|ical|ive|ous|able|ible)$/u;
// Not bare "-al"/"-ic": Iqbal, Kamal, Jovanovic.
const ADJECTIVE_SUFFIX = /^.{3,}(?:ous|ive|ful|less|able|ible|ary|ical|ional|ial|ual|tic|nic)$/u;
// Job titles compromise does not know still end like one: "Statistician", "Hotelier", "Pollster".
const ROLE_SUFFIX = /(?:ist|ian|ier|eer|man|woman|ster|er|or)$/u;

/** A dictionary word that is not also a name ("Truth", "Fellow"); particles and abbreviations excepted. */
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

function isBlocked(t: Term): boolean {
  if (isParticle(t) || isAbbreviation(t) || isNameLex(t)) return false;
  return hasTag(lexiconTags(t.text), BLOCKING_TAGS);
}

/** Role words, acronyms and sentence-initial capitals in front of a name ("Physicist", "TED Fellow"). */
function isLeadingNoise(t: Term, rest: Term[], sentenceInitial: boolean): boolean {
  if (isHonorificTerm(t)) return false;
  if (isAcronym(t)) return true;
  if (t.post === '-') return false; // first half of "Jean-Paul"
  const next = rest[0];
  // "MP Rory Stewart": two capitals before a first name and a surname are a title, not initials.
  if (INITIALS.test(t.text)) {
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
  if (lex.length > 0) return hasTag(lex, sentenceInitial ? NON_NAME_TAGS : [...ROLE_TAGS, ...BLOCKING_TAGS]);
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
  if (/^\s*$/.test(gap)) return false;
  if (gap === '-') return false; // "Jean-Paul" is tokenized as two terms
  // "Dr.", "J.", "St." keep their period inside a name.
  return !(
    /^\.\s*$/.test(gap) &&
    (isHonorificTerm(a) || INITIALS.test(a.text) || PARTICLES.has(a.text.toLowerCase()))
  );
}

function joinTerms(terms: Term[]): string {
  return terms
    .map((t, i) => {
      if (i === terms.length - 1) return t.text;
      if (t.post === '-') return `${t.text}-`;
      return t.post.trim() === '.' ? `${t.text}. ` : `${t.text} `;
    })
    .join('');
}

interface RunContext {
  prev: Term | undefined;
  next: Term | undefined;
  sentenceInitial: boolean;
}

// A capitalized run ending in one of these is an institution or a band, not a person.
const ORG_WORDS = new Set([
  'academy',
  'university',
  'college',
  'institute',
  'foundation',
  'school',
  'center',
  'centre',
  'project',
  'lab',
  'labs',
  'laboratory',
  'inc',
  'corp',
  'company',
  'group',
  'orchestra',
  'ensemble',
  'band',
  'choir',
  'trio',
  'quartet',
  'quintet',
  'society',
  'association',
  'council',
  'museum',
  'prize',
  'award',
  'awards',
  'festival',
  'conference',
  'summit',
  'index',
  'report',
  'times',
  'post',
  'journal',
  'magazine',
  'network',
  'studio',
  'studios',
  'initiative',
  'fund',
  'trust',
  'league',
  'club',
  'street',
  'avenue',
  'road',
  'park',
  'river',
  'mountain',
  'island',
  'valley',
  'city',
  'county',
  'state',
  'republic',
  'kingdom',
  'house',
  'hall',
  'church',
  'temple',
  'hospital',
  'bank',
  'agency',
  'ministry',
  'department',
]);
const SAYING_VERBS =
  /^(?:says|said|asks|asked|argues|argued|explains|explained|writes|wrote|notes|noted|suggests|suggested|believes)$/u;

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
  // "UK Prime Minister Gordon Brown", "State Senator ...": what precedes a title is not the name.
  const titleAt = terms.findIndex(
    (t, i) =>
      i > 0 &&
      i < terms.length - 1 &&
      terms[i - 1]!.post !== '-' &&
      t.post !== '-' &&
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
  // "U.S. Secretary", "District Attorney": a title with no name after it.
  if (isHonorificTerm(last) && terms[terms.length - 2]?.post !== '-') return null;

  const { prev, next } = ctx;
  const startsSentence = ctx.sentenceInitial && terms === run;
  const possessive = POSSESSIVE.test(last.text);
  const beforeVerb = next !== undefined && (next.tags.includes('Verb') || /^\p{Ll}+s$/u.test(next.text));
  // "astronomer Jill Tarter", "..., says Nigel Marsh": the context itself says a person follows.
  const strongCue =
    trimmedActor ||
    (prev !== undefined && (prev.tags.includes('Actor') || SAYING_VERBS.test(prev.text.toLowerCase())));
  const appositive =
    /,/.test(last.post) &&
    next !== undefined &&
    (hasTag(next.tags, ['Actor', 'Determiner']) || ROLE_SUFFIX.test(next.text) || next.text === 'who');
  const byline = prev?.text.toLowerCase() === 'by';
  const cue = strongCue || beforeVerb || possessive || appositive || startsSentence || byline;

  const honorific = lead > 0;
  // Quoted runs are titles ("An Inconvenient Truth"); runs compromise knows as a place are places.
  const quoted = /["“‘']/.test(run[0]!.pre);
  const place = names.every((t) => hasTag(t.tags, ['Place', 'Organization']) && !isPersonTerm(t));
  const placeButNamed = place && isFirstNameLex(first) && beforeVerb;
  if ((quoted || (place && !placeButNamed)) && !honorific && !strongCue) return null;
  // A token that is neither a place/organization nor a dictionary word: the likely name part.
  const distinctive = names.filter((t) => !isParticle(t) && !isBlocked(t) && !isCommonWord(t));
  const blocked = names.some(isBlocked);
  let accept: boolean;
  if (names.length === 1) {
    // A lone surname ("Robinson's") is kept to merge into a fuller name; a lone given name is too vague.
    const mononym = distinctive.length === 1 && beforeVerb && (startsSentence || trimmedActor);
    accept =
      !isFirstNameLex(first) &&
      !INITIALS.test(first.text) &&
      (honorific || mononym || (isPersonTerm(first) && distinctive.length === 1));
  } else {
    accept =
      honorific ||
      INITIALS.test(first.text) ||
      strongCue ||
      (isFirstNameLex(first) && (!blocked || cue)) ||
      (names.some(isPersonTerm) && cue) ||
      (distinctive.length > 0 && (cue || names.some(isPersonTerm)));
  }
  if (!accept) return null;
  const name = normalizeSpeakerName(joinTerms(terms));
  if (name === null) return null;
  const weak = names.length === 1 && !honorific && !lexiconTags(first.text).includes('LastName');
  return { name, weak };
}

interface ProseMention {
  name: string;
  /** A lone word that nothing but its position marks as a name; kept only if it recurs or merges. */
  weak: boolean;
}

function textPeople(text: string): ProseMention[] {
  if (text.trim() === '') return [];
  const found: ProseMention[] = [];
  const sentences = nlp(text).json() as { terms: Term[] }[];
  for (const { terms } of sentences) {
    let run: Term[] = [];
    let runStart = 0;
    const flush = (end: number) => {
      if (run.length > 0) {
        const mention = personFromRun(run, {
          prev: terms[runStart - 1],
          next: terms[end],
          sentenceInitial: runStart === 0,
        });
        if (mention !== null) found.push(mention);
      }
      run = [];
    };
    terms.forEach((t, i) => {
      const prev = terms[i - 1];
      if (run.length > 0 && prev !== undefined && breaksBetween(prev, t)) flush(i);
      if (!isNameToken(t, run.length > 0)) return flush(i);
      if (run.length === 0) runStart = i;
      run.push(t);
      if (POSSESSIVE.test(t.text) || /[,;:)"”!?]/.test(t.post)) flush(i + 1);
    });
    flush(terms.length);
  }
  return found;
}

// --- assembly -------------------------------------------------------------------------------

interface Candidate {
  name: string;
  key: string;
  source: 'ai' | 'manual';
  /** Fixed confidence of the strongest non-prose source; prose-only candidates are scored by mentions. */
  confidence: number;
  mentions: number;
  proseOnly: boolean;
  weak: boolean;
}

const MANUAL_CONFIDENCE = 1;
const DIARIZED_CONFIDENCE = 0.9;

function proseConfidence(name: string, mentions: number): number {
  // One mention of a full name is a fair guess; a bare surname much less so. Never reaches diarized.
  const base = name.includes(' ') ? 0.6 : 0.4;
  return Math.round(Math.min(0.85, base + 0.1 * (mentions - 1)) * 100) / 100;
}

const tokenCount = (key: string) => key.split(' ').length;

/** Keys a shorter mention of this person could have: the surname alone, and first + surname. */
function aliasKeys(key: string): string[] {
  const parts = key.split(' ');
  if (parts.length < 2) return [];
  let end = parts.length - 1;
  if (GENERATIONAL.has(parts[end] ?? '') && end > 1) end--;
  const surname = parts[end] ?? '';
  const aliases = [surname];
  if (end >= 2) aliases.push(`${parts[0] ?? ''} ${surname}`);
  return aliases;
}

const byRank = (a: ExtractedSpeaker, b: ExtractedSpeaker) =>
  (a.source === 'manual' ? 0 : 1) - (b.source === 'manual' ? 0 : 1) ||
  b.confidence - a.confidence ||
  b.mentions - a.mentions ||
  (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * All speakers: the given `speakers` field (source 'manual', confidence 1), diarized transcript
 * speakers (source 'ai', confidence 0.9), and person names found in title + description + the
 * start of the transcript (source 'ai', confidence from mention count, below 0.9).
 */
export function extractSpeakers(src: SpeakerSource): ExtractedSpeaker[] {
  const byKey = new Map<string, Candidate>();
  const add = (name: string, source: 'ai' | 'manual', confidence: number, weak: boolean) => {
    const key = speakerKey(name);
    if (key === '') return;
    const proseOnly = confidence === 0;
    const existing = byKey.get(key);
    if (!existing) {
      byKey.set(key, { name, key, source, confidence, mentions: 1, proseOnly, weak });
      return;
    }
    existing.mentions++;
    existing.confidence = Math.max(existing.confidence, confidence);
    existing.proseOnly &&= proseOnly;
    existing.weak &&= weak;
    if (source === 'manual' && existing.source !== 'manual') {
      existing.name = name;
      existing.source = 'manual';
    }
  };

  for (const raw of src.speakers) {
    const name = normalizeSpeakerName(raw);
    if (name !== null) add(name, 'manual', MANUAL_CONFIDENCE, false);
  }
  for (const name of diarizedTurns(src.transcript)) add(name, 'ai', DIARIZED_CONFIDENCE, false);
  const prose = [src.title, src.description, src.transcript.slice(0, TRANSCRIPT_NER_CHARS)].join('\n\n');
  for (const m of textPeople(prose)) add(m.name, 'ai', 0, m.weak);

  // Shorter forms ("Robinson", "Martin King") fold into the fuller name they abbreviate. Fuller
  // names claim aliases first; among equals the manual, then the most mentioned, wins.
  const candidates = [...byKey.values()].sort(
    (a, b) =>
      tokenCount(b.key) - tokenCount(a.key) ||
      (a.source === 'manual' ? 0 : 1) - (b.source === 'manual' ? 0 : 1) ||
      b.mentions - a.mentions,
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
    owner.weak = false;
    // A manual entry keeps its own spelling even when a fuller form was found in the text.
    if (c.source === 'manual' && owner.source !== 'manual') {
      owner.name = c.name;
      owner.source = 'manual';
    }
    byKey.delete(c.key);
  }

  return [...byKey.values()]
    .filter((c) => !(c.weak && c.mentions < 2))
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
