import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import { existingFile, numberFlag } from './cli.js';

/** The asset input a TED talk becomes; the shape POST /v1/assets takes. */
export interface TedAsset {
  type: 'VIDEO';
  title: string;
  description: string;
  fileHash: string;
  sourceSystem: 'ted';
  sourceId: string;
  tags: string[];
  speakers: string[];
  technicalMetadata: { durationSeconds?: number; viewCount?: number; platform: 'ted' };
  createdAt?: string;
}

interface TedRow {
  title: string;
  description: string;
  main_speaker: string;
  tags: string;
  url: string;
  film_date: string;
  /** Seconds. */
  duration?: string;
  views?: string;
}

/** A count or a length in the file: a finite number not below 0, or nothing. */
const numberIn = (text: string | undefined): number | undefined => {
  const n = text === undefined || text.trim() === '' ? NaN : Number(text);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
};

/** Tags are written as a Python list literal: ['children', "women's rights"]. */
export function parsePythonList(text: string): string[] {
  const items: string[] = [];
  for (const m of text.matchAll(/'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"/g)) {
    const item = (m[1] ?? m[2] ?? '').replace(/\\(.)/g, '$1').trim();
    if (item) items.push(item);
  }
  return items;
}

export function tedRowToAsset(row: TedRow): TedAsset {
  const url = row.url.trim();
  const filmed = Number(row.film_date);
  const duration = numberIn(row.duration);
  const views = numberIn(row.views);
  return {
    type: 'VIDEO',
    title: row.title.trim(),
    description: row.description.trim(),
    // The talk's URL identifies its video; the same talk imported twice is the same file.
    fileHash: createHash('sha256').update(url).digest('hex'),
    sourceSystem: 'ted',
    sourceId: url,
    tags: parsePythonList(row.tags).slice(0, 200),
    speakers: row.main_speaker.trim() ? [row.main_speaker.trim()] : [],
    // durationMin/durationMax and the CSV export read the duration from here; sort=popularity the views.
    technicalMetadata: {
      ...(duration === undefined ? {} : { durationSeconds: duration }),
      ...(views === undefined ? {} : { viewCount: Math.round(views) }),
      platform: 'ted',
    },
    ...(Number.isFinite(filmed) && filmed > 0 ? { createdAt: new Date(filmed * 1000).toISOString() } : {}),
  };
}

/** Reads talks from a file in the ted_main.csv format, in file order. */
export async function* readTedCsv(path: string): AsyncGenerator<TedAsset> {
  const parser = createReadStream(path).pipe(parse({ columns: true, bom: true, relax_column_count: true }));
  for await (const row of parser as AsyncIterable<TedRow>) {
    if (row.title?.trim()) yield tedRowToAsset(row);
  }
}

/** The first `sample` talks of a file in the ted_main.csv format (all when it holds fewer), in file order. */
export async function readTedSample(path: string, sample: number): Promise<TedAsset[]> {
  const talks: TedAsset[] = [];
  for await (const talk of readTedCsv(path)) {
    talks.push(talk);
    if (talks.length === sample) break;
  }
  return talks;
}

/**
 * The flags of the evaluations that make queries of TED's tags (eval:blend, derive-ted-collection):
 * the file (`--csv`), its first `--sample` talks, and the tags on `--tag-min` to `--tag-max` of them.
 */
export async function tedTagSample(values: {
  csv: string;
  sample: string;
  'tag-min': string;
  'tag-max': string;
}): Promise<{ talks: TedAsset[]; tagMin: number; tagMax: number }> {
  const file = existingFile(values.csv, 'csv', 'a file in the ted_main.csv format');
  const sample = numberFlag('sample', values.sample, { min: 1 });
  const [tagMin, tagMax] = [
    numberFlag('tag-min', values['tag-min']),
    numberFlag('tag-max', values['tag-max']),
  ];
  return { talks: await readTedSample(file, sample), tagMin, tagMax };
}
