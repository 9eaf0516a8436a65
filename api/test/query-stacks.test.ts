// Sequelize's SQLite dialect read the stack of an Error it makes for every query, even one that
// succeeds; under tsx (source maps on) that cost 11 % of the API's busy time in the booking-writes
// bench. patches/sequelize+6.37.8.patch makes it read the stack only when the query fails, as the
// PostgreSQL dialect already does. These tests fail if the patch is not applied.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './harness.js';

describe('query errors and stack traces', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => app?.close());

  /** Runs fn with V8 calling a counting Error.prepareStackTrace for each stack it formats. */
  async function stacksFormatted(fn: () => Promise<unknown>): Promise<{ count: number; error: unknown }> {
    const original = Error.prepareStackTrace;
    let count = 0;
    Error.prepareStackTrace = (err, frames) => {
      count++;
      return `${String(err)}\n${frames.map((f) => `    at ${f.getFunctionName() ?? '<anonymous>'} (${f.getFileName() ?? '?'}:${f.getLineNumber() ?? 0})`).join('\n')}`;
    };
    try {
      return { count: await fn().then(() => count), error: undefined };
    } catch (error) {
      return { count, error };
    } finally {
      Error.prepareStackTrace = original;
    }
  }

  it('formats no stack trace for queries that succeed', async () => {
    const { count, error } = await stacksFormatted(async () => {
      for (let i = 0; i < 5; i++) await app.db.sequelize.query('SELECT 1 AS one');
      await app.db.sequelize.transaction(async (transaction) => app.db.sequelize.query('SELECT 2 AS two', { transaction }));
    });
    expect(error).toBeUndefined();
    expect(count).toBe(0);
  });

  it('still gives a failing query a stack that names the calling code', async () => {
    const callingCode = () => app.db.sequelize.query('SELECT * FROM no_such_table');
    const { count, error } = await stacksFormatted(callingCode);
    expect(count).toBeGreaterThan(0);
    expect((error as Error).name).toBe('SequelizeDatabaseError');
    expect((error as Error).stack).toContain('query-stacks.test.ts');
  });
});
