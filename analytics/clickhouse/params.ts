/**
 * Query parameters for ClickHouse. Statements name their values `{name:Type}`, the syntax of the
 * HTTP interface's `param_<name>` since ClickHouse 19.x. A server that has it gets the values as
 * parameters; ClickHouse 18.16 (Debian's package) refuses `param_*` ("Unknown setting"), so for it
 * `bindParams` writes each value into the statement as a literal of its declared type. Only the
 * types below are used, and each value is checked against its type before it is written, so a
 * value can never become SQL.
 */

export type ParamValue = string | number | readonly string[];
export type Params = Record<string, ParamValue>;

const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*):([A-Za-z0-9()]+)\}/g;

/** A ClickHouse string literal: backslash and quote escaped (the only two characters that end or bend one). */
export function quoteString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function literal(name: string, type: string, value: ParamValue | undefined): string {
  if (value === undefined) throw new Error(`ClickHouse statement: no value for {${name}:${type}}`);
  switch (type) {
    case 'String':
      if (typeof value !== 'string') throw new Error(`ClickHouse parameter ${name}: expected a string`);
      return quoteString(value);
    case 'UInt8':
    case 'UInt32':
    case 'UInt64':
      if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
        throw new Error(`ClickHouse parameter ${name}: expected a non-negative integer`);
      }
      return String(value);
    case 'Float64':
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        throw new Error(`ClickHouse parameter ${name}: expected a finite number`);
      }
      return String(value);
    case 'Array(String)':
      if (!Array.isArray(value))
        throw new Error(`ClickHouse parameter ${name}: expected an array of strings`);
      // `[]` alone is Array(Nothing) on 18.16, which `has`/`IN` refuse: say the element type.
      if (value.length === 0) return 'CAST([] AS Array(String))';
      return `[${(value as readonly unknown[])
        .map((v) => {
          if (typeof v !== 'string')
            throw new Error(`ClickHouse parameter ${name}: expected an array of strings`);
          return quoteString(v);
        })
        .join(', ')}]`;
    default:
      throw new Error(`ClickHouse parameter ${name}: type ${type} is not supported here`);
  }
}

/**
 * The statement with its `{name:Type}` placeholders replaced by their values as checked literals:
 * all of them, or those named in `only`.
 */
export function bindParams(sql: string, params: Params, only?: ReadonlySet<string>): string {
  return sql.replace(PLACEHOLDER, (whole: string, name: string, type: string) =>
    only && !only.has(name) ? whole : literal(name, type, params[name]),
  );
}

/**
 * Placeholders written as literals even where the server takes parameters: a LIMIT takes a
 * parameter only in recent releases, a `LIMIT n BY` (`pairsPerAsset`, co-views.ts) on none.
 */
export const ALWAYS_LITERAL: ReadonlySet<string> = new Set(['limit', 'pairsPerAsset']);

/**
 * A time window's placeholders: `fromMs`/`toMs` bound the events exactly (`occurred_ms`), and
 * `fromS`/`toS`, whole seconds around them, let `occurred_at` prune the months outside.
 */
export function windowParams(from: Date, to: Date): Params {
  const fromMs = from.getTime();
  const toMs = to.getTime();
  return { fromMs, toMs, fromS: Math.floor(fromMs / 1000), toS: Math.ceil(toMs / 1000) };
}
