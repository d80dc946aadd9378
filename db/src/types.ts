/** What both backends offer: the one code path ingest, api and tests run on. */
export interface Queryable {
  /** Runs one statement with bind parameters. */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<T>>;
  /** Runs several statements separated by semicolons, without parameters (migrations, fixtures). */
  exec(sql: string): Promise<void>;
}

export interface QueryResult<T> {
  rows: T[];
  rowCount: number;
}

export type BackendKind = 'pglite' | 'postgres';

export interface Db extends Queryable {
  readonly kind: BackendKind;
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Subscribes to a NOTIFY channel; resolves to an unsubscribe function. */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  /** Whether the backend's PostGIS has ST_AsMVT (real PostGIS) or tiles are encoded in JS (PGlite). */
  readonly hasAsMvt: boolean;
  close(): Promise<void>;
}
