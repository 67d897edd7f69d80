import { parseTimeCode, TIME_CODE } from '../domain/time-code.js';

export const MOMENT_EXTRACTOR_VERSION = 1;

/** Times in seconds. */
export interface TranscriptSegment {
  start: number;
  end: number;
  speaker: string | null;
  text: string;
}

/** Speech rate used to estimate how long the last segment lasts. */
const WORDS_PER_SECOND = 2.5;
const MIN_LAST_SEGMENT_SECONDS = 1;
export const DEFAULT_MOMENT_SECONDS = 60;

/** WebVTT/SRT timing line: "00:00:01.000 --> 00:00:04.000" plus optional cue settings. */
const CUE_TIMING = new RegExp(String.raw`^\s*(${TIME_CODE})\s*-->\s*(${TIME_CODE})(?:\s.*)?$`);
/** A timestamp opening a line: bracketed, parenthesized or bare, followed by the text (if any). */
const LINE_TIMESTAMP = new RegExp(
  String.raw`^\s*(?:\[(${TIME_CODE})\]|\((${TIME_CODE})\)|(${TIME_CODE})(?=\s|$))\s*(?:[-–—|]\s+)?(.*)$`,
);
/**
 * 1-4 capitalized or all-caps words before a colon ("Dr. Jane Smith:", "HOST:"), optionally
 * numbered ("Speaker 2:"), which transcription services use for unidentified voices.
 */
const SPEAKER_LABEL = /^((?:\p{Lu}[\p{L}'’.-]*)(?:\s+\p{Lu}[\p{L}'’.-]*){0,3}(?:\s+\d{1,3})?)\s*:\s*(.*)$/u;
const VOICE_TAG = /<v(?:\.[^\s>]*)?\s+([^>]+)>/;
/** Markup inside cue text: <i>, </v>, <c.yellow>, inline <00:00:01.000> times, SSA "{\an8}" positioning. */
const MARKUP = /<[^>]*>|\{\\[^}]*\}/g;

interface Draft {
  start: number;
  /** Explicit cue end (WebVTT/SRT), else null and derived from the next segment. */
  end: number | null;
  speaker: string | null;
  lines: string[];
}

const wordCount = (text: string) => text.split(/\s+/).filter(Boolean).length;

/**
 * Parses timed transcripts. Supports lines "[00:01:02] Name: text", "[01:02] text",
 * "00:01:02 Name: text", "(00:01:02) text", and WebVTT/SRT cue blocks (timing line, then text
 * lines, optional "<v Name>" voice tags, SRT numeric indices). Lines without a timestamp continue
 * the previous segment; the first text of a segment may carry its speaker label.
 *
 * A segment ends where the next one starts, except a cue with an explicit end, which keeps it;
 * the last segment lasts an estimate from its word count. Ends are capped by `durationSeconds`.
 * Returns [] when the transcript has no timestamps.
 */
export function parseTimedTranscript(transcript: string, durationSeconds?: number): TranscriptSegment[] {
  const lines = transcript.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const drafts: Draft[] = [];
  let current: Draft | null = null;
  let inNote = false;

  const addText = (draft: Draft, line: string) => {
    let text = line;
    if (draft.lines.length === 0 && draft.speaker === null) {
      const voice = VOICE_TAG.exec(text);
      if (voice) draft.speaker = voice[1]!.trim();
    }
    text = text.replace(MARKUP, '').trim();
    if (!text) return;
    if (draft.lines.length === 0 && draft.speaker === null) {
      const label = SPEAKER_LABEL.exec(text);
      if (label) {
        draft.speaker = label[1]!;
        text = label[2]!.trim();
        if (!text) return;
      }
    }
    draft.lines.push(text);
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const blank = line.trim() === '';
    const afterBlank = i === 0 || lines[i - 1]!.trim() === '';
    if (inNote) {
      inNote = !blank;
      continue;
    }
    if (blank) continue;
    // WebVTT comment blocks would otherwise read as text continuing the previous cue.
    if (afterBlank && /^NOTE(?:\s|$)/.test(line)) {
      inNote = true;
      continue;
    }
    const cue = CUE_TIMING.exec(line);
    if (cue) {
      const start = parseTimeCode(cue[1]!);
      const end = parseTimeCode(cue[2]!);
      if (start !== null) {
        current = { start, end: end !== null && end > start ? end : null, speaker: null, lines: [] };
        drafts.push(current);
        continue;
      }
    }
    // A cue identifier (SRT index, WebVTT id) is the line just above a timing line.
    if (afterBlank) {
      const following = lines[i + 1];
      if (following !== undefined && CUE_TIMING.test(following)) continue;
    }
    const stamped = LINE_TIMESTAMP.exec(line);
    const start = stamped ? parseTimeCode((stamped[1] ?? stamped[2] ?? stamped[3])!) : null;
    if (stamped && start !== null) {
      current = { start, end: null, speaker: null, lines: [] };
      drafts.push(current);
      addText(current, stamped[4]!);
      continue;
    }
    // Text before the first timestamp (a title, the WEBVTT header) belongs to no segment.
    if (current) addText(current, line);
  }

  const kept = drafts.filter((d) => d.lines.length > 0).sort((a, b) => a.start - b.start);
  const cap = durationSeconds !== undefined && Number.isFinite(durationSeconds) ? durationSeconds : Infinity;
  return kept.map((draft, index) => {
    const text = draft.lines.join(' ');
    const next = kept[index + 1];
    const end =
      draft.end ??
      (next
        ? next.start
        : draft.start + Math.max(MIN_LAST_SEGMENT_SECONDS, wordCount(text) / WORDS_PER_SECOND));
    return {
      start: draft.start,
      end: Math.max(draft.start, Math.min(end, cap)),
      speaker: draft.speaker,
      text,
    };
  });
}

/**
 * Merges consecutive segments of the same speaker (unlabelled segments count as one speaker) into
 * moments of at most `maxSeconds`, so that a moment is a useful unit to link to. A single segment
 * longer than that stays whole rather than being cut mid-sentence.
 */
export function groupIntoMoments(
  segments: TranscriptSegment[],
  maxSeconds: number = DEFAULT_MOMENT_SECONDS,
): TranscriptSegment[] {
  if (!(maxSeconds > 0)) throw new RangeError(`maxSeconds must be positive, got ${maxSeconds}`);
  const moments: TranscriptSegment[] = [];
  let current: TranscriptSegment | null = null;
  for (const segment of segments) {
    if (current && current.speaker === segment.speaker && segment.end - current.start <= maxSeconds) {
      current.end = Math.max(current.end, segment.end);
      current.text = `${current.text} ${segment.text}`;
    } else {
      current = { ...segment };
      moments.push(current);
    }
  }
  return moments;
}
