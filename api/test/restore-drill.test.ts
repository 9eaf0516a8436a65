// The restore drill (docs/operations.md): back up a database while it takes writes, restore the
// backup into a fresh database with the operator commands, run a second API on it, and check
// that everything committed before the backup started came back, guards included.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryTypes } from 'sequelize';
import { call, freshDatabaseUrl, publishedInstructor, registerUser, startTestApp, type TestApp } from './harness.js';
import { bookableSlots, runOperatorCommand, writeLoad, type Booked } from './ops-helpers.js';
import { jsonColumn } from '../src/platform/db.js';

const DATES = ['2026-07-06', '2026-07-07', '2026-07-08', '2026-07-09', '2026-07-10'];

describe('restore drill: backup under write load, restore, second API', () => {
  let source: TestApp;
  let restored: TestApp;
  let dir: string;
  let booked: Booked[];
  let backupStartedAt: number;
  let backup: { code: number | null; stdout: string; stderr: string };
  let restore: { code: number | null; stdout: string; stderr: string };
  let loadFailures: string[];
  let edits: number;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'ii-drill-'));
    // The write load books many lessons per student; the per-instructor booking limit is not what this drill tests.
    source = await startTestApp({ env: { STUDENT_BOOKING_LIMIT: '100000' } });
    const instructors = await Promise.all([0, 1, 2, 3].map(() => publishedInstructor(source, { days: DATES.map((date) => ({ date, ranges: [{ start_time: '08:00', end_time: '20:00' }] })) })));
    const students = await Promise.all(Array.from({ length: 8 }, () => registerUser(source, 'student')));
    const slots = bookableSlots(instructors, students, DATES);
    const load = writeLoad(source, slots, instructors);
    await load.until(30);
    backupStartedAt = Date.now();
    const env = { DATABASE_URL: source.databaseUrl, BACKUP_DIR: dir, DATA_DIR: dir };
    backup = await runOperatorCommand('backup', [], env);
    const atBackupEnd = load.booked.length;
    await load.until(atBackupEnd + 15);
    await load.stop();
    booked = load.booked;
    loadFailures = load.failures;
    edits = load.edits();

    const fresh = await freshDatabaseUrl();
    const file = /Backup written: (\S+)/.exec(backup.stdout)?.[1] ?? '';
    restore = await runOperatorCommand('restore', [file], { DATABASE_URL: fresh.url, DATA_DIR: dir });
    restored = await startTestApp({ database: fresh, env: { STUDENT_BOOKING_LIMIT: '100000' } });
  }, 180_000);

  afterAll(async () => {
    await restored?.close();
    await source?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('took the backup and restored it while writes went on, with integrity and row counts checked', () => {
    expect(loadFailures).toEqual([]);
    expect(edits).toBeGreaterThan(0);
    expect(backup.code, backup.stderr).toBe(0);
    expect(booked.filter((b) => b.committedBy > backupStartedAt).length).toBeGreaterThanOrEqual(15);
    expect(restore.code, restore.stderr).toBe(0);
    expect(restore.stdout).toMatch(/checked: +integrity ok, \d+ rows in \d+ tables match the manifest/);
  });

  it('has every booking committed before the backup started, unchanged, with its history, held time and mail', async () => {
    // Answered no later than the millisecond the backup started (30 answers were in before it).
    const before = booked.filter((b) => b.committedBy <= backupStartedAt);
    expect(before.length).toBeGreaterThanOrEqual(30);
    // A booking's mails may still be in its booking.mail job at backup time: the restored API
    // finishes that outbox work, and then each booking has its two mails.
    await restored.services.jobs.runDue();
    const events = await restored.db.sequelize.query<{ booking_id: string; type: string }>('SELECT booking_id, type FROM booking_events', { type: QueryTypes.SELECT });
    const mails = (await restored.db.sequelize.query<{ payload: unknown }>("SELECT payload FROM jobs WHERE name = 'mail.send'", { type: QueryTypes.SELECT })).map((m) => jsonColumn<{ data: unknown }>(m.payload));
    const busy = await restored.db.sequelize.query<{ booking_id: string }>('SELECT booking_id FROM booking_participants', { type: QueryTypes.SELECT });
    const mailsFor = (id: string) => mails.filter((m) => jsonColumn<{ booking_id?: string }>(m.data).booking_id === id).length;
    for (const b of before) {
      const res = await call(restored, 'GET', `/v1/bookings/${b.id}`, { token: b.token });
      expect([res.status, res.body.status, res.body.start_at]).toEqual([200, 'confirmed', b.start_at]);
      expect(events.filter((e) => e.booking_id === b.id).map((e) => e.type)).toContain('created');
      expect(mailsFor(b.id)).toBe(2);
      expect(busy.filter((r) => r.booking_id === b.id)).toHaveLength(2); // the instructor's and the student's held time
    }
  });

  it('holds nothing the source database never had', async () => {
    const ids = async (app: TestApp) => (await app.db.sequelize.query<{ id: string }>('SELECT id FROM bookings', { type: QueryTypes.SELECT })).map((r) => r.id);
    const sourceIds = new Set(await ids(source));
    const restoredIds = await ids(restored);
    expect(restoredIds.filter((id) => !sourceIds.has(id))).toEqual([]);
    expect(restoredIds.length).toBeLessThan(sourceIds.size);
  });

  it('replays a restored Idempotency-Key with the original answer instead of booking again', async () => {
    const b = booked.find((x) => x.committedBy <= backupStartedAt)!;
    const replay = await call(restored, 'POST', '/v1/bookings', { token: b.token, body: b.body, headers: { 'Idempotency-Key': b.key } });
    expect([replay.status, replay.body.id]).toEqual([201, b.id]);
  });

  it('keeps the conflict guards: a storm on the restored database yields exactly one booking', async () => {
    const inst = await publishedInstructor(restored, { days: [{ date: '2026-07-13', ranges: [{ start_time: '09:00', end_time: '12:00' }] }] });
    const students = await Promise.all(Array.from({ length: 20 }, () => registerUser(restored, 'student')));
    const results = await Promise.all(
      students.map((s, k) =>
        call(restored, 'POST', '/v1/bookings', { token: s.token, body: { instructor_id: inst.id, service_id: inst.serviceId, date: '2026-07-13', start_time: k % 2 ? '10:00' : '10:30', duration_minutes: 60, location_type: 'online' } }),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409 && r.body.code === 'instructor_conflict')).toHaveLength(19);
  });
});
