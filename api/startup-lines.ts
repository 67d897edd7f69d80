/** Where the database is, for a person reading the log: the server's host, never its credentials. */
export function databaseDescription(config: { DATABASE_URL?: string | undefined; DATA_DIR: string }): string {
  if (!config.DATABASE_URL) return `embedded PGlite at ${config.DATA_DIR}`;
  try {
    const url = new URL(config.DATABASE_URL);
    return `Postgres at ${url.host}${url.pathname}`;
  } catch {
    return 'Postgres (DATABASE_URL)';
  }
}

/**
 * The line that says the service is up and where to go: the API, the web UI and the API docs, and
 * the backends in use. A wildcard listening address is shown as localhost, which a browser can open.
 */
export function readyLine(args: {
  host: string;
  port: number;
  database: string;
  queue: 'bullmq' | 'in-process';
}): string {
  const host = ['0.0.0.0', '::', ''].includes(args.host)
    ? 'localhost'
    : args.host.includes(':')
      ? `[${args.host}]`
      : args.host;
  const base = `http://${host}:${args.port}`;
  const queue = args.queue === 'bullmq' ? 'BullMQ on Redis' : 'in-process queue';
  return `media discovery service ready: API ${base}, web UI ${base}/ui, API docs ${base}/docs (${args.database}, ${queue})`;
}
