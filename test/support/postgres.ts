import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A throwaway PostgreSQL server on loopback. */
export interface PostgresServer {
  /** `postgres://postgres@127.0.0.1:<port>/mlsight` (trust auth, loopback only). */
  url: string;
  port: number;
  /** Stops the server and deletes its data directory. */
  stop(): Promise<void>;
}

export interface StartPostgresOptions {
  /** fsync on commit; off makes tests faster, the benchmarks keep it on. Default true. */
  fsync?: boolean;
  /** Database created for the caller. Default `mlsight`. */
  database?: string;
}

const POSTGRES_ROOT = '/usr/lib/postgresql';

function findBinDir(): string | undefined {
  if (!existsSync(POSTGRES_ROOT)) return undefined;
  const versions = readdirSync(POSTGRES_ROOT)
    .filter((v) => existsSync(join(POSTGRES_ROOT, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(POSTGRES_ROOT, versions[0], 'bin') : undefined;
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/** Installs the Debian package when the binaries are missing (needs root, as on the CI machines). */
async function ensureInstalled(): Promise<string> {
  const found = findBinDir();
  if (found) return found;
  if (!isRoot())
    throw new Error(`PostgreSQL is not installed (no ${POSTGRES_ROOT}/*/bin/initdb); apt-get install postgresql`);
  await run('apt-get', ['update'], { maxBuffer: 64 * 1024 * 1024 });
  await run('apt-get', ['install', '-y', '--no-install-recommends', 'postgresql'], {
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  const installed = findBinDir();
  if (!installed) throw new Error('apt-get install postgresql finished but initdb is still missing');
  return installed;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function postgresIds(): Promise<{ uid: number; gid: number }> {
  const uid = Number((await run('id', ['-u', 'postgres'])).stdout.trim());
  const gid = Number((await run('id', ['-g', 'postgres'])).stdout.trim());
  return { uid, gid };
}

/**
 * Starts a fresh PostgreSQL server: `initdb` into a new temp directory and `pg_ctl start` on a free loopback port,
 * with the socket in that directory. PostgreSQL refuses to run as root, so as root every command runs as the
 * `postgres` user (`runuser -u postgres --`) on a directory it owns.
 */
export async function startPostgres(options: StartPostgresOptions = {}): Promise<PostgresServer> {
  const bin = await ensureInstalled();
  const database = options.database ?? 'mlsight';
  const dir = await mkdtemp(join(tmpdir(), 'mlsight-pg-'));
  const asPostgres = async (command: string, args: string[]) => {
    const file = join(bin, command);
    return isRoot() ? run('runuser', ['-u', 'postgres', '--', file, ...args]) : run(file, args);
  };
  let started = false;
  const data = join(dir, 'data');
  const stop = async () => {
    if (started) {
      started = false;
      await asPostgres('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']).catch(() => undefined);
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    if (isRoot()) {
      const { uid, gid } = await postgresIds();
      await chown(dir, uid, gid);
    }
    await asPostgres('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--no-sync']);
    for (let attempt = 0; ; attempt++) {
      const port = await freePort();
      const serverOptions = [
        `-p ${port}`,
        `-k ${dir}`,
        "-c listen_addresses='127.0.0.1'",
        `-c fsync=${options.fsync === false ? 'off' : 'on'}`,
        '-c max_connections=50',
      ].join(' ');
      try {
        await asPostgres('pg_ctl', [
          '-D',
          data,
          '-o',
          serverOptions,
          '-l',
          join(dir, 'server.log'),
          '-w',
          '-t',
          '60',
          'start',
        ]);
      } catch (err) {
        // Another process may have taken the port between the probe and the start: try another one.
        if (attempt < 3) continue;
        throw err;
      }
      started = true;
      await asPostgres('createdb', ['-h', dir, '-p', String(port), '-U', 'postgres', database]);
      return { url: `postgres://postgres@127.0.0.1:${port}/${database}`, port, stop };
    }
  } catch (err) {
    await stop();
    throw err;
  }
}
