/**
 * The little SQL surface both engines offer the shared store code. SQL is written once with `?` placeholders;
 * the engines differ only in list parameters (`json_each` vs `ANY`), bulk inserts (multi-row VALUES vs `unnest`)
 * and how a write transaction takes its lock.
 */

export type Dialect = 'sqlite' | 'postgres';

export type SqlScalar = string | number | null | Buffer;
export type SqlParam = SqlScalar | readonly string[] | readonly number[];

export type ColumnType = 'bigint' | 'int' | 'double' | 'text' | 'blob';

export interface BulkColumn {
  name: string;
  type: ColumnType;
}

export interface SqlExecutor {
  all<T extends object>(sql: string, params?: readonly SqlParam[]): Promise<T[]>;
  /** Rows as arrays of column values (cheaper to materialise than objects, for big reads). */
  allArrays(sql: string, params?: readonly SqlParam[]): Promise<unknown[][]>;
  /** @returns rows changed */
  run(sql: string, params?: readonly SqlParam[]): Promise<number>;
  /**
   * A list parameter for `column IN (...)`: returns the SQL fragment (to splice into the statement) and its
   * single parameter value.
   */
  inList(
    column: string,
    values: readonly string[] | readonly number[],
    type: 'bigint' | 'text'
  ): { sql: string; param: SqlParam };
  /**
   * A derived table `alias(ts, id)` of (bigint, text) pairs, to join against: returns the FROM-clause fragment
   * and its parameters.
   */
  pairTable(alias: string, pairs: ReadonlyArray<readonly [number, string]>): { sql: string; params: SqlParam[] };
  /** Inserts many rows in few statements; `conflict` is an `ON CONFLICT …` clause. */
  insertMany(
    table: string,
    columns: readonly BulkColumn[],
    rows: readonly SqlScalar[][],
    conflict?: string
  ): Promise<void>;
}

export interface SqlClient extends SqlExecutor {
  readonly dialect: Dialect;
  /**
   * Runs `fn` in a write transaction. `lockKeys` serialise writers of the same keys across processes (PostgreSQL
   * advisory locks; SQLite has one writer anyway). Commits when `fn` resolves, rolls back when it throws.
   */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>, lockKeys?: readonly number[]): Promise<T>;
  /** Runs `fn` on one consistent snapshot. */
  read<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Advisory-lock namespace of MLSight (first key of PostgreSQL's two-key advisory locks). */
export const LOCK_NAMESPACE = 0x4d4c53;
/** Lock key that serialises schema migrations. */
export const MIGRATION_LOCK = 0;
