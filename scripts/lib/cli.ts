import { existsSync, statSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';

/**
 * A failure the user can act on. Its message says what failed, then what to do, in one line; the
 * runner prints it without a stack.
 */
export class CliError extends Error {
  override readonly name = 'CliError';
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** `--verbose` (every script takes it) or DEBUG in the environment: failures print their stack. */
const verbose = () => process.argv.includes('--verbose') || Boolean(process.env.DEBUG);

/**
 * The command line, parsed strictly: an unknown flag, a missing value or a stray argument is a
 * CliError naming it, with the usage. `--help` prints the usage and exits 0.
 */
export function parseCli<O extends Options>(
  usage: string,
  options: O,
  { allowPositionals = false }: { allowPositionals?: boolean } = {},
) {
  const all = {
    ...options,
    help: { type: 'boolean', short: 'h' },
    verbose: { type: 'boolean' },
  } as const satisfies Options;
  let parsed;
  try {
    parsed = parseArgs({ options: all, allowPositionals, strict: true });
  } catch (err) {
    if (isNodeError(err) && err.code?.startsWith('ERR_PARSE_ARGS')) {
      // Node's message may run over lines; one line here.
      const message = err.message
        .split('\n')
        .map((l) => l.trim())
        .join(' ');
      throw new CliError(`${message.replace(/\.$/, '')}; usage: ${usage}`);
    }
    throw err;
  }
  if ((parsed.values as { help?: boolean }).help) {
    console.log(`usage: ${usage}`);
    process.exit(0);
  }
  return parsed;
}

/** A number flag: a CliError naming the flag unless the value is a number within the bounds. */
export function numberFlag(
  flag: string,
  value: string | undefined,
  { min = 0, max = Number.MAX_SAFE_INTEGER, integer = true } = {},
): number {
  const n = Number(value);
  if (
    value === undefined ||
    value.trim() === '' ||
    !Number.isFinite(n) ||
    (integer && !Number.isInteger(n))
  ) {
    throw new CliError(`--${flag} must be ${integer ? 'a whole number' : 'a number'}, not "${value ?? ''}"`);
  }
  if (n < min || n > max) throw new CliError(`--${flag} must be between ${min} and ${max}, not ${n}`);
  return n;
}

/** A flag that takes one of `choices` (undefined when not given), or a CliError listing them. */
export function choiceFlag<C extends string>(
  flag: string,
  value: string | undefined,
  choices: readonly C[],
): C | undefined {
  if (value === undefined) return undefined;
  const choice = choices.find((c) => c === value);
  if (!choice) throw new CliError(`--${flag} is ${choices.join(', ')}, not "${value}"`);
  return choice;
}

/** A name written into SQL as it is (a database's): lower-case letters, digits and _, or a CliError. */
export function plainNameFlag(flag: string, value: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(value))
    throw new CliError(`--${flag} must be a plain name (a-z, 0-9, _), not "${value}"`);
  return value;
}

/** A comma-separated list of numbers (`--flag 0.1,0.5,1`), each as `numberFlag` checks it; empty: none. */
export function numberListFlag(
  flag: string,
  value: string | undefined,
  range: { min?: number; max?: number; integer?: boolean } = {},
): number[] {
  if (!value?.trim()) return [];
  return value.split(',').map((v) => numberFlag(flag, v.trim(), range));
}

/** The path of an existing file, or a CliError saying which flag to point at one. */
export function existingFile(path: string, flag: string, what: string): string {
  if (!existsSync(path)) throw new CliError(`no file at ${path}: pass --${flag} with the path to ${what}`);
  if (statSync(path).isDirectory())
    throw new CliError(`${path} is a directory: pass --${flag} with the path to ${what}`);
  return path;
}

interface NodeError extends Error {
  code?: string;
  address?: string;
  port?: number;
  path?: string;
  errors?: unknown[];
}

const isNodeError = (err: unknown): err is NodeError => err instanceof Error;

/** The system error under `err` (fetch's `cause`, pg's AggregateError), if any. */
export function systemCause(err: unknown): NodeError | undefined {
  for (let e: unknown = err, depth = 0; isNodeError(e) && depth < 5; depth++) {
    if (e.code && /^E[A-Z]+$/.test(e.code)) return e;
    e = e.cause ?? e.errors?.[0];
  }
  return undefined;
}

const NETWORK_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'no such host',
  EAI_AGAIN: 'host name lookup failed',
  ECONNRESET: 'connection reset',
  ETIMEDOUT: 'timed out',
  EHOSTUNREACH: 'host unreachable',
};

/** "connection refused" for a network failure under `err`, else the innermost cause's message. */
export function networkFailure(err: unknown): string {
  const code = systemCause(err)?.code;
  if (code) return NETWORK_CODES[code] ?? code;
  let e: unknown = err;
  while (e instanceof Error && e.cause instanceof Error) e = e.cause;
  return e instanceof Error ? e.message : String(e);
}

const SERVER_VARIABLES = ['DATABASE_URL', 'REDIS_URL', 'ELASTICSEARCH_URL', 'NEO4J_URL'];

/** One line for any failure: a CliError's message, or the best account of an unexpected error. */
export function describeFailure(err: unknown): string {
  if (err instanceof CliError) return err.message;
  const cause = systemCause(err);
  if (cause?.code && NETWORK_CODES[cause.code]) {
    const where = cause.address ? `${cause.address}${cause.port ? `:${cause.port}` : ''}` : 'a server';
    // The variable that names this server, when one does.
    const variable = SERVER_VARIABLES.find(
      (v) => cause.port !== undefined && process.env[v]?.includes(`:${cause.port}`),
    );
    return `cannot reach ${where} (${NETWORK_CODES[cause.code]}): start that server, or correct ${variable ?? SERVER_VARIABLES.join(', ')}`;
  }
  if (cause?.code === 'ENOENT' && cause.path) return `no file at ${cause.path}: check the path`;
  if (err instanceof Error) return err.message.split('\n')[0] ?? String(err);
  return String(err);
}

/**
 * Runs a script's main. On failure: one line on stderr saying what failed and what to do, exit 1;
 * the stack only with --verbose or DEBUG set. A main that sets process.exitCode keeps it.
 */
export function runCli(main: () => Promise<void>): void {
  Promise.resolve().then(main).catch(exitWithFailure);
}

/**
 * The options of a script that runs at the top level (top-level await, no `main` for runCli):
 * `parse` (parseCli and its checks) at once, a failure reported and exited on as runCli does.
 */
export function cliOptions<T>(parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    return exitWithFailure(err);
  }
}

function exitWithFailure(err: unknown): never {
  console.error(`error: ${describeFailure(err)}`);
  if (verbose()) console.error(err);
  process.exit(1);
}

/** Zod's issues with the flags: "--role: Invalid option…"; positionals and self-naming messages as they are. */
export function describeIssues(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
  positionals: readonly string[] = [],
): string {
  return issues
    .map((i) => {
      const name = i.path[0] === undefined ? undefined : String(i.path[0]);
      return name === undefined || positionals.includes(name) || i.message.startsWith(name)
        ? i.message
        : `--${i.path.map(String).join('.')}: ${i.message}`;
    })
    .join('; ');
}
