import { execFile, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './processes.js';

const run = promisify(execFile);
const VERSIONS_DIR = '/usr/lib/postgresql';

/** The newest installed Postgres's binaries (initdb, pg_ctl), or PG_BIN_DIR. */
function binDir(): string | null {
  if (process.env.PG_BIN_DIR) return process.env.PG_BIN_DIR;
  if (!existsSync(VERSIONS_DIR)) return null;
  const versions = readdirSync(VERSIONS_DIR)
    .filter((v) => existsSync(join(VERSIONS_DIR, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(VERSIONS_DIR, versions[0], 'bin') : null;
}

/** initdb refuses to run as root: then the cluster belongs to the `postgres` user. */
function runAs(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  const id = (flag: string) => Number(spawnSync('id', [flag, 'postgres']).stdout?.toString().trim());
  return { uid: id('-u'), gid: id('-g') };
}

/**
 * A Postgres cluster of the test's own (initdb into a temporary directory, on a free loopback
 * port), so a suite can stop the server for a while and start it again; the machine's shared server
 * stays up.
 */
export class PostgresCluster {
  private constructor(
    private readonly bin: string,
    private readonly dir: string,
    readonly port: number,
    private readonly owner: { uid: number; gid: number } | null,
  ) {}

  /** Why no cluster can be made here, or null when one can. */
  static unavailable(): string | null {
    const bin = binDir();
    if (!bin) return `no Postgres binaries under ${VERSIONS_DIR} (set PG_BIN_DIR)`;
    const owner = runAs();
    if (owner && !Number.isInteger(owner.uid)) return 'running as root, and there is no postgres user';
    if (owner && spawnSync('runuser', ['--help']).status !== 0) return 'running as root, and no runuser';
    return null;
  }

  /** Makes a cluster (not yet started) with trust authentication for `postgres` on loopback. */
  static async create(): Promise<PostgresCluster> {
    const reason = PostgresCluster.unavailable();
    if (reason) throw new Error(`no private Postgres cluster: ${reason}`);
    const owner = runAs();
    const dir = mkdtempSync(join(tmpdir(), 'mdisc-pg-'));
    if (owner) chownSync(dir, owner.uid, owner.gid);
    const cluster = new PostgresCluster(binDir()!, dir, await freePort(), owner);
    await cluster.pg('initdb', [
      '-D',
      cluster.data,
      '--auth=trust',
      '-U',
      'postgres',
      '-E',
      'UTF8',
      '--no-sync',
    ]);
    return cluster;
  }

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  private get data(): string {
    return join(this.dir, 'data');
  }

  /** Starts the server and waits until it accepts connections. */
  async start(): Promise<void> {
    const options = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
    await this.pg('pg_ctl', ['-D', this.data, '-o', options, '-l', join(this.dir, 'log'), '-w', 'start']);
  }

  /** Stops the server as a restart does (fast: sessions are ended, transactions rolled back). */
  async stop(): Promise<void> {
    await this.pg('pg_ctl', ['-D', this.data, '-m', 'fast', '-w', 'stop']);
  }

  /** Stops the server if it runs and removes its files. */
  async remove(): Promise<void> {
    await this.pg('pg_ctl', ['-D', this.data, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async pg(tool: string, args: string[]): Promise<void> {
    const path = join(this.bin, tool);
    await (this.owner ? run('runuser', ['-u', 'postgres', '--', path, ...args]) : run(path, args));
  }
}
