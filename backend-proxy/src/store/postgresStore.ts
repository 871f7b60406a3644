import { Pool, type PoolClient, type PoolConfig, types } from 'pg';
import { migrate } from './migrations';
import type { BulkColumn, ColumnType, SqlClient, SqlExecutor, SqlParam, SqlScalar } from './sql';
import { LOCK_NAMESPACE } from './sql';
import { SqlDriftStore } from './sqlStore';
import type { DriftStore, StoreOptions } from './types';

const INT8_OID = 20;
const NUMERIC_OID = 1700;

/**
 * BIGINT columns hold epoch ms, ids and 53-bit hashes, all below 2^53: read them as numbers (node-pg's default is
 * strings, to be safe for larger values). Scoped to this pool, not set globally.
 */
const storeTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID || oid === NUMERIC_OID) return (value: string) => Number(value);
    return format === 'binary' ? types.getTypeParser(oid, 'binary') : types.getTypeParser(oid, 'text');
  },
} as PoolConfig['types'];

/** The PostgreSQL protocol allows 65535 parameters per statement. */
const MAX_PARAMETERS = 60_000;

const SCALAR_TYPE: Record<ColumnType, string> = {
  bigint: 'bigint',
  int: 'integer',
  double: 'double precision',
  text: 'text',
  blob: 'bytea',
};

const ARRAY_TYPE: Record<ColumnType, string> = {
  bigint: 'bigint[]',
  int: 'integer[]',
  double: 'double precision[]',
  text: 'text[]',
  blob: 'bytea[]',
};

/** `?` placeholders → `$1, $2, …` (the store's SQL has no `?` inside literals). */
export function toPositional(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

class PgExecutor implements SqlExecutor {
  constructor(private readonly client: Pool | PoolClient) {}

  async all<T extends object>(sql: string, params: readonly SqlParam[] = []): Promise<T[]> {
    const result = await this.client.query(toPositional(sql), params as unknown[]);
    return result.rows as T[];
  }

  async allArrays(sql: string, params: readonly SqlParam[] = []): Promise<unknown[][]> {
    const result = await this.client.query<unknown[]>({
      text: toPositional(sql),
      values: params as unknown[],
      rowMode: 'array',
    });
    return result.rows;
  }

  async run(sql: string, params: readonly SqlParam[] = []): Promise<number> {
    const result = await this.client.query(toPositional(sql), params as unknown[]);
    return result.rowCount ?? 0;
  }

  inList(
    column: string,
    values: readonly string[] | readonly number[],
    type: 'bigint' | 'text'
  ): { sql: string; param: SqlParam } {
    return { sql: `${column} = ANY(?::${type}[])`, param: values };
  }

  pairTable(alias: string, pairs: ReadonlyArray<readonly [number, string]>): { sql: string; params: SqlParam[] } {
    return {
      sql: `unnest(?::bigint[], ?::text[]) AS ${alias}(ts, id)`,
      params: [pairs.map((p) => p[0]), pairs.map((p) => p[1])],
    };
  }

  /**
   * `INSERT … SELECT FROM unnest(…)`: one parameter per column however many rows. Rows with binary columns go as
   * multi-row VALUES instead, so each Buffer travels as a binary parameter rather than hex inside an array literal.
   */
  async insertMany(
    table: string,
    columns: readonly BulkColumn[],
    rows: readonly SqlScalar[][],
    conflict = ''
  ): Promise<void> {
    if (rows.length === 0) return;
    const names = columns.map((c) => c.name).join(', ');
    if (columns.some((c) => c.type === 'blob')) {
      const perStatement = Math.max(1, Math.floor(MAX_PARAMETERS / columns.length));
      for (let start = 0; start < rows.length; start += perStatement) {
        const slice = rows.slice(start, start + perStatement);
        let n = 0;
        const tuples = slice.map(() => `(${columns.map((c) => `$${++n}::${SCALAR_TYPE[c.type]}`).join(', ')})`);
        await this.client.query(
          `INSERT INTO ${table} (${names}) VALUES ${tuples.join(', ')} ${conflict}`,
          slice.flat()
        );
      }
      return;
    }
    const arrays = columns.map((_, c) => rows.map((row) => row[c] ?? null));
    const casts = columns.map((col, i) => `$${i + 1}::${ARRAY_TYPE[col.type]}`).join(', ');
    await this.client.query(`INSERT INTO ${table} (${names}) SELECT * FROM unnest(${casts}) ${conflict}`, arrays);
  }
}

/**
 * PostgreSQL for shared deployments: several stateless proxy replicas on one database. Writers of one model are
 * serialised with a transaction-scoped advisory lock (its dedupe check, sketch read-merge-write and idempotency
 * record then need no in-process state); readers never wait for it.
 */
export class PostgresClient extends PgExecutor implements SqlClient {
  readonly dialect = 'postgres' as const;

  constructor(private readonly pool: Pool) {
    super(pool);
  }

  async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>, lockKeys: readonly number[] = []): Promise<T> {
    return this.withClient('BEGIN', fn, lockKeys);
  }

  async read<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.withClient('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', fn, []);
  }

  private async withClient<T>(
    begin: string,
    fn: (tx: SqlExecutor) => Promise<T>,
    lockKeys: readonly number[]
  ): Promise<T> {
    const client = await this.pool.connect();
    let broken = false;
    try {
      await client.query(begin);
      for (const key of [...lockKeys].sort((a, b) => a - b)) {
        await client.query('SELECT pg_advisory_xact_lock($1, $2)', [LOCK_NAMESPACE, key]);
      }
      const result = await fn(new PgExecutor(client));
      await client.query('COMMIT');
      return result;
    } catch (err) {
      try {
        await client.query('ROLLBACK');
      } catch {
        broken = true;
      }
      throw err;
    } finally {
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** Connects to PostgreSQL (a `postgres://` URL), applies pending migrations and returns the store. */
export async function openPostgresStore(
  connectionString: string,
  options: StoreOptions & { poolSize?: number } = {}
): Promise<DriftStore> {
  const pool = new Pool({ connectionString, max: options.poolSize ?? 10, types: storeTypes });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  const client = new PostgresClient(pool);
  try {
    await migrate(client);
  } catch (err) {
    await pool.end();
    throw err;
  }
  return new SqlDriftStore(client, options);
}
