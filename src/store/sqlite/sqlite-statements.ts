/**
 * Runs kysely-built queries on better-sqlite3 directly: synchronously, with prepared statements cached by
 * SQL text, and inside better-sqlite3's own transactions (`BEGIN IMMEDIATE` for writes).
 *
 * Why not kysely's executor: its SQLite driver prepares every statement again, goes through several
 * promise hops per query, and begins transactions deferred. Kysely still writes all the SQL (the portable
 * builders in ../queries.ts and ../batch-plan.ts); only execution lives here. Inserts reuse one prepared
 * one-row statement per table: kysely needs about 25 µs to compile a one-row insert (a quarter second for
 * 10,000 tasks), and multi-row statements of 10 to 200 rows measured no faster than the cached one-row one.
 */
import type Database from 'better-sqlite3';
import type { Compilable, Kysely } from 'kysely';
import { type InsertWrite, insertQuery } from '../batch-plan.ts';
import type { StoreDatabase } from '../schema.ts';

/** Enough for every query shape the store uses; patches vary by the fields they set. */
const MAX_CACHED_STATEMENTS = 512;

export class SqliteStatements {
  readonly #sqlite: Database.Database;
  readonly #db: Kysely<StoreDatabase>;
  readonly #cache = new Map<string, Database.Statement>();
  /** Statements of fixed-shape queries (allOf, firstOf) by shape name: a handful, never evicted. */
  readonly #shapes = new Map<string, Database.Statement>();
  /** One-row insert statements by table and column list: a handful, never evicted. */
  readonly #inserts = new Map<string, Database.Statement>();
  readonly #transaction: Database.Transaction<(body: () => unknown) => unknown>;
  #writes = 0;

  constructor(sqlite: Database.Database, db: Kysely<StoreDatabase>) {
    this.#sqlite = sqlite;
    this.#db = db;
    this.#transaction = sqlite.transaction((body: () => unknown) => body());
  }

  #prepare(sql: string): Database.Statement {
    let statement = this.#cache.get(sql);
    if (statement === undefined) {
      statement = this.#sqlite.prepare(sql);
      if (this.#cache.size >= MAX_CACHED_STATEMENTS) {
        this.#cache.delete(this.#cache.keys().next().value as string);
      }
      this.#cache.set(sql, statement);
    }
    return statement;
  }

  all<Row>(query: Compilable<Row>): Row[] {
    const { sql, parameters } = query.compile();
    return this.#prepare(sql).all(parameters) as Row[];
  }

  first<Row>(query: Compilable<Row>): Row | undefined {
    const { sql, parameters } = query.compile();
    return this.#prepare(sql).get(parameters) as Row | undefined;
  }

  /**
   * all() for a query whose SQL text is the same whatever its values (rows of one run, say): kysely
   * compiles it once, later calls only bind `parameters` (compiling costs about 20 µs a query, a tenth of
   * a hot API read). `parameters` must be what the built query binds, in order: checked the first time.
   */
  allOf<Row>(shape: string, parameters: readonly unknown[], build: () => Compilable<Row>): Row[] {
    return this.#shaped(shape, parameters, build).all(parameters) as Row[];
  }

  /** first() for a fixed-shape query (see allOf). */
  firstOf<Row>(shape: string, parameters: readonly unknown[], build: () => Compilable<Row>): Row | undefined {
    return this.#shaped(shape, parameters, build).get(parameters) as Row | undefined;
  }

  #shaped(shape: string, parameters: readonly unknown[], build: () => Compilable): Database.Statement {
    let statement = this.#shapes.get(shape);
    if (statement === undefined) {
      const compiled = build().compile();
      if (
        compiled.parameters.length !== parameters.length ||
        compiled.parameters.some((value, index) => value !== parameters[index])
      )
        throw new Error(`internal: query shape '${shape}' binds other parameters than it was given`);
      statement = this.#sqlite.prepare(compiled.sql);
      this.#shapes.set(shape, statement);
    }
    return statement;
  }

  /** Writes made through this connection (data_version does not count a connection's own commits). */
  get writeCount(): number {
    return this.#writes;
  }

  /** Executes a write; returns the number of rows it changed. */
  run(query: Compilable): number {
    const { sql, parameters } = query.compile();
    this.#writes++;
    return this.#prepare(sql).run(parameters).changes;
  }

  /**
   * Inserts the write's rows through one cached one-row statement (rows share a column order, so the
   * statement is found by table and columns, without compiling anything after the first time).
   */
  insert(write: InsertWrite): void {
    const [first] = write.rows;
    if (first === undefined) return;
    this.#writes++;
    const shape = `${write.table}|${write.ignoreDuplicates}|${Object.keys(first).join()}`;
    let statement = this.#inserts.get(shape);
    if (statement === undefined) {
      statement = this.#sqlite.prepare(insertQuery(this.#db, write, [first]).compile().sql);
      this.#inserts.set(shape, statement);
    }
    for (const row of write.rows) statement.run(Object.values(row));
  }

  /** Runs `body` in a write transaction that holds the write lock from its start (BEGIN IMMEDIATE). */
  write<T>(body: () => T): T {
    try {
      return this.#transaction.immediate(body) as T;
    } finally {
      this.#writes++;
    }
  }

  /** Runs `body` in a read transaction: one consistent snapshot across several queries. */
  read<T>(body: () => T): T {
    return this.#transaction.deferred(body) as T;
  }
}
