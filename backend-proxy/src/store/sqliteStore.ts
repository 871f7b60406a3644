import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { migrate } from './migrations';
import type { BulkColumn, SqlClient, SqlExecutor, SqlParam, SqlScalar } from './sql';
import { SqlDriftStore } from './sqlStore';
import type { DriftStore, StoreOptions } from './types';

/** SQLite binds at most 32766 variables per statement; stay well below. */
const MAX_VARIABLES = 30_000;
const MAX_ROWS_PER_INSERT = 2_000;

type Statement = Database.Statement<unknown[], unknown>;

/**
 * better-sqlite3 behind the async SqlClient surface. Durability: WAL with `synchronous = FULL`, i.e. the WAL is
 * fsynced at every commit. NORMAL would already survive `kill -9` of the proxy (a committed transaction is in the
 * OS page cache), but only FULL also survives a power cut or kernel crash — and "a 2xx means durable" should mean
 * that. The cost is one fsync per batch, which is one transaction.
 *
 * better-sqlite3 is synchronous, but the store's code awaits between statements; a promise chain runs one store
 * operation at a time, so no other request's statements interleave with an open transaction.
 */
export class SqliteClient implements SqlClient {
  readonly dialect = 'sqlite' as const;
  private readonly statements = new Map<string, Statement>();
  private readonly rawStatements = new Map<string, Statement>();
  private tail: Promise<unknown> = Promise.resolve();
  private depth = 0;

  constructor(readonly db: Database.Database) {}

  private statement(sql: string): Statement {
    let stmt = this.statements.get(sql);
    if (!stmt) {
      stmt = this.db.prepare(sql);
      this.statements.set(sql, stmt);
    }
    return stmt;
  }

  private bind(params: readonly SqlParam[]): unknown[] {
    return params.map((p) => (Array.isArray(p) ? JSON.stringify(p) : p));
  }

  async all<T extends object>(sql: string, params: readonly SqlParam[] = []): Promise<T[]> {
    return this.statement(sql).all(...this.bind(params)) as T[];
  }

  async allArrays(sql: string, params: readonly SqlParam[] = []): Promise<unknown[][]> {
    let stmt = this.rawStatements.get(sql);
    if (!stmt) {
      stmt = this.db.prepare(sql).raw(true);
      this.rawStatements.set(sql, stmt);
    }
    return stmt.all(...this.bind(params)) as unknown[][];
  }

  async run(sql: string, params: readonly SqlParam[] = []): Promise<number> {
    const stmt = this.statement(sql);
    if (stmt.reader) return stmt.all(...this.bind(params)).length;
    return stmt.run(...this.bind(params)).changes;
  }

  inList(column: string, values: readonly string[] | readonly number[]): { sql: string; param: SqlParam } {
    return { sql: `${column} IN (SELECT value FROM json_each(?))`, param: values };
  }

  pairTable(alias: string, pairs: ReadonlyArray<readonly [number, string]>): { sql: string; params: SqlParam[] } {
    return {
      sql: `(SELECT json_extract(value, '$[0]') AS ts, json_extract(value, '$[1]') AS id FROM json_each(?)) AS ${alias}`,
      params: [JSON.stringify(pairs)],
    };
  }

  async insertMany(
    table: string,
    columns: readonly BulkColumn[],
    rows: readonly SqlScalar[][],
    conflict = ''
  ): Promise<void> {
    if (rows.length === 0) return;
    const perStatement = Math.max(1, Math.min(MAX_ROWS_PER_INSERT, Math.floor(MAX_VARIABLES / columns.length)));
    const tuple = `(${columns.map(() => '?').join(', ')})`;
    const head = `INSERT INTO ${table} (${columns.map((c) => c.name).join(', ')}) VALUES `;
    for (let start = 0; start < rows.length; start += perStatement) {
      const slice = rows.slice(start, start + perStatement);
      const sql = `${head}${new Array(slice.length).fill(tuple).join(', ')} ${conflict}`;
      this.statement(sql).run(...slice.flat());
    }
  }

  /** Runs store operations one at a time (see the class comment). */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.tail.then(fn, fn);
    this.tail = run.catch(() => undefined);
    return run;
  }

  async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.exclusive(() => this.inTransaction('BEGIN IMMEDIATE', fn));
  }

  async read<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.exclusive(() => this.inTransaction('BEGIN', fn));
  }

  private async inTransaction<T>(begin: string, fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    if (this.depth > 0) return fn(this);
    this.db.exec(begin);
    this.depth++;
    try {
      const result = await fn(this);
      this.db.exec('COMMIT');
      return result;
    } catch (err) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      throw err;
    } finally {
      this.depth--;
    }
  }

  async close(): Promise<void> {
    await this.exclusive(async () => {
      this.statements.clear();
      this.rawStatements.clear();
      if (this.db.open) this.db.close();
    });
  }
}

/** Opens (creating if needed) a SQLite drift store file and applies pending migrations. */
export async function openSqliteStore(path: string, options: StoreOptions = {}): Promise<DriftStore> {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  db.pragma('cache_size = -65536');
  db.pragma('temp_store = MEMORY');
  const client = new SqliteClient(db);
  await migrate(client);
  return new SqlDriftStore(client, options);
}
