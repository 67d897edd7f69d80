import neo4j, { type Driver, type Integer, type ManagedTransaction } from 'neo4j-driver';
import type { EntityType } from '../../domain/entities.js';
import type { GraphEdge } from '../graph-store.js';

/* What the Neo4j adapter's parts share: managed transactions, and reading what comes back. */

type Moment = { start: number; end: number };
/** Integers come back from Neo4j as driver Integers; floats as numbers. */
export type Num = Integer | number;

/** No statement of this adapter should run longer; the server aborts it past this. */
const TRANSACTION = { timeout: 30_000 };

export async function read<T>(driver: Driver, work: (tx: ManagedTransaction) => Promise<T>): Promise<T> {
  const session = driver.session();
  try {
    return await session.executeRead(work, TRANSACTION);
  } finally {
    await session.close();
  }
}

/** A managed write transaction: retried by the driver on transient errors such as a deadlock. */
export async function write<T>(driver: Driver, work: (tx: ManagedTransaction) => Promise<T>): Promise<T> {
  const session = driver.session();
  try {
    return await session.executeWrite(work, TRANSACTION);
  } finally {
    await session.close();
  }
}

export const toNumber = (v: Num): number => (neo4j.isInt(v) ? v.toNumber() : v);
export const round4 = (x: number) => Math.round(x * 10_000) / 10_000;
/** An entity's public node id. */
export const entityId = (type: EntityType, key: string) => `${type}:${key}`;

/** Moments are stored as a JSON string on the link; anything else reads as none. */
export function parseMoments(json: string | null): Moment[] | undefined {
  if (!json) return undefined;
  const value: unknown = JSON.parse(json);
  if (!Array.isArray(value)) return undefined;
  const moments = value.filter(
    (m): m is Moment =>
      typeof m === 'object' &&
      m !== null &&
      typeof (m as Record<string, unknown>).start === 'number' &&
      typeof (m as Record<string, unknown>).end === 'number',
  );
  return moments.length > 0 ? moments : undefined;
}

export function edgeOf(row: {
  assetId: string;
  type: EntityType;
  key: string;
  weight: number;
  moments: string | null;
}): GraphEdge {
  const moments = parseMoments(row.moments);
  return {
    source: row.assetId,
    target: entityId(row.type, row.key),
    weight: round4(row.weight),
    ...(moments ? { moments } : {}),
  };
}

/** A fixed order of strings: any will do, as long as every transaction uses the same. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
