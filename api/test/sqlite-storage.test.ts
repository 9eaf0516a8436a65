// The embedded SQLite file's storage fails under the API: the disk fills up, or the file turns
// read-only. Writes answer 503 with a clear code, reads go on, nothing is corrupted, and
// writes work again once the storage is back. Uses a size-limited tmpfs (and chattr +i) when
// running as root, else SQLite's own size limit (max_page_count) and a read-only file mode.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryTypes } from 'sequelize';
import { call, publishedInstructor, registerUser, startTestApp, type TestApp } from './harness.js';

const tryRun = (cmd: string, args: string[]) => {
  try {
    execFileSync(cmd, args, { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
};

describe('SQLite storage full or read-only', () => {
  let dir: string;
  let app: TestApp;
  let mounted = false;
  let inst: Awaited<ReturnType<typeof publishedInstructor>>;
  let student: Awaited<ReturnType<typeof registerUser>>;
  const edit = (end: string) => call(app, 'PUT', '/v1/me/availability', { token: inst.token, body: { days: [{ date: '2026-07-20', ranges: [{ start_time: '09:00', end_time: end }] }] } });
  const book = (start_time: string) =>
    call(app, 'POST', '/v1/bookings', { token: student.token, body: { instructor_id: inst.id, service_id: inst.serviceId, date: '2026-07-06', start_time, duration_minutes: 30, location_type: 'online' } });
  // Through the writer queue: FTS5's part of the check takes the write lock, which a write that
  // follows a booking (the search index, a job) may hold at that moment.
  const integrity = async () =>
    app.db.transaction(async (transaction) => (await app.db.sequelize.query<{ integrity_check: string }>('PRAGMA integrity_check', { type: QueryTypes.SELECT, transaction }))[0]?.integrity_check);

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'ii-storage-'));
    mounted = process.getuid?.() === 0 && tryRun('mount', ['-t', 'tmpfs', '-o', 'size=3m', 'tmpfs', dir]);
    const file = path.join(dir, 'api.db');
    app = await startTestApp({ database: { url: `sqlite:${file}`, drop: async () => undefined } });
    inst = await publishedInstructor(app, { days: [{ date: '2026-07-06', ranges: [{ start_time: '08:00', end_time: '20:00' }] }] });
    student = await registerUser(app, 'student');
  });

  afterAll(async () => {
    await app?.close();
    if (mounted) tryRun('umount', ['-l', dir]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('disk full: writes answer 503 storage_full, reads go on, nothing is lost or corrupted, writes resume', async () => {
    const filler = path.join(dir, 'filler');
    const fill = () => {
      if (mounted) {
        // Take every free byte of the 3 MB file system.
        try {
          writeFileSync(filler, Buffer.alloc(3 * 1024 * 1024));
        } catch {
          // ENOSPC: the file system is now full
        }
      } else {
        // SQLite's own limit on every connection it opens from now on (Sequelize opens one per transaction).
        app.db.sequelize.addHook('afterConnect', 'full', (conn: unknown) => (conn as { run(sql: string): void }).run('PRAGMA max_page_count = 1'));
      }
    };
    const ok = await book('08:00');
    expect(ok.status).toBe(201);
    fill();
    const refused: { status: number; code?: string; retry?: string | null }[] = [];
    for (let k = 0; k < 40; k++) {
      const res = await edit(k % 2 ? '12:00' : '13:00');
      if (res.status !== 200) refused.push({ status: res.status, code: res.body.code, retry: res.headers.get('retry-after') });
    }
    expect(refused.length).toBeGreaterThan(0);
    expect(refused).toEqual(refused.map(() => ({ status: 503, code: 'storage_full', retry: '60' })));
    const read = await call(app, 'GET', `/v1/bookings/${ok.body.id}`, { token: student.token });
    expect([read.status, read.body.id]).toEqual([200, ok.body.id]);
    expect((await call(app, 'GET', '/v1/me', { token: student.token })).status).toBe(200);

    if (mounted) rmSync(filler, { force: true });
    else app.db.sequelize.removeHook('afterConnect', 'full');
    const after = await book('09:00');
    expect(after.status).toBe(201);
    expect(await integrity()).toBe('ok');
    expect((await call(app, 'GET', '/v1/bookings', { token: student.token })).body.data.map((b: { id: string }) => b.id).sort()).toEqual([ok.body.id, after.body.id].sort());
  });

  it('read-only file: writes answer 503 database_read_only, reads go on, writes resume', async () => {
    const file = path.join(dir, 'api.db');
    const asRoot = process.getuid?.() === 0;
    // Root ignores file modes, but not the immutable attribute.
    // The database and its WAL: SQLite appends commits to the WAL through connections it keeps open.
    const files = [file, `${file}-wal`, `${file}-shm`];
    const lock = () => files.forEach((f) => (asRoot ? execFileSync('chattr', ['+i', f]) : chmodSync(f, 0o444)));
    const unlock = () => files.forEach((f) => (asRoot ? execFileSync('chattr', ['-i', f]) : chmodSync(f, 0o644)));
    lock();
    try {
      const res = await book('11:00');
      expect([res.status, res.body.code, res.headers.get('retry-after')]).toEqual([503, 'database_read_only', '60']);
      const reads = await call(app, 'GET', '/v1/bookings', { token: student.token });
      expect(reads.status).toBe(200);
      expect(reads.body.data).toHaveLength(2);
    } finally {
      unlock();
    }
    expect((await book('11:00')).status).toBe(201);
    expect(await integrity()).toBe('ok');
  });
});
