// The restore drill (docs/operations.md): back up a database while it takes writes, restore the
// backup into a fresh database with the operator commands, run a second API on it, and check
// that everything committed before the backup started came back, payments and guards included.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryTypes } from 'sequelize';
import { call, freshDatabaseUrl, publishedInstructor, registerAdmin, registerUser, startTestApp, type ApiResponse, type TestApp } from './harness.js';
import { bookableSlots, runOperatorCommand, writeLoad, type Booked } from './ops-helpers.js';
import { jsonColumn } from '../src/platform/db.js';

const DATES = ['2026-07-06', '2026-07-07', '2026-07-08', '2026-07-09', '2026-07-10'];

/**
 * Paid lessons (offline processor, 60 min at 6000/h) brought into every payment state before the
 * load starts: [date, start (Europe/Berlin)], booked at 2026-07-01 10:00 Berlin.
 */
const PAID = {
  completed: ['2026-07-01', '12:00'], // held, then captured when the lesson was marked completed
  refunded: ['2026-07-01', '14:00'], // captured, then 2000 refunded by an admin
  lateCancel: ['2026-07-01', '18:00'], // cancelled by the student 8 h before: the 50 % fee captured
  held: ['2026-07-02', '12:00'], // an authorized hold, captured only after the restore
  released: ['2026-07-04', '12:00'], // cancelled early: the hold released
  saved: ['2026-08-20', '12:00'], // too far out to hold: card saved, authorized off-session later
} as const;
type PaidName = keyof typeof PAID;

/** What the processor holds for a booking: its PaymentIntent (offline processor) and the idempotency keys of its calls. */
async function ledger(app: TestApp, bookingIds: string[]) {
  const intents = await app.db.sequelize.query<{ booking_id: string; intent_id: string | null; data: unknown }>(
    'SELECT bp.booking_id, bp.intent_id, oi.data FROM booking_payments bp LEFT JOIN offline_payment_intents oi ON oi.id = bp.intent_id WHERE bp.booking_id IN (:ids) ORDER BY bp.booking_id',
    { replacements: { ids: bookingIds }, type: QueryTypes.SELECT },
  );
  const keys = await app.db.sequelize.query<{ idempotency_key: string; result: unknown }>("SELECT idempotency_key, result FROM offline_requests WHERE idempotency_key LIKE 'booking:%' ORDER BY idempotency_key", { type: QueryTypes.SELECT });
  return {
    intents: intents.map((r) => ({ booking_id: r.booking_id, intent_id: r.intent_id, intent: r.data === null ? null : jsonColumn(r.data) })),
    requests: keys.filter((k) => bookingIds.some((id) => k.idempotency_key.startsWith(`booking:${id}:`))).map((k) => ({ key: k.idempotency_key, result: jsonColumn(k.result) })),
  };
}
const intentCount = async (app: TestApp) => Number((await app.db.sequelize.query<{ n: number | string }>('SELECT COUNT(*) AS n FROM offline_payment_intents', { type: QueryTypes.SELECT }))[0]!.n);

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
  // The paid lessons: their instructor and student, the 201 of each booking (with its key) and the booking as it was just before the backup.
  let payInst: Awaited<ReturnType<typeof publishedInstructor>>;
  let payer: Awaited<ReturnType<typeof registerUser>>;
  const paid = {} as Record<PaidName, { key: string; body: Record<string, unknown>; created: Record<string, any>; atBackup: Record<string, any> }>;
  let ledgerAtBackup: Awaited<ReturnType<typeof ledger>>;
  const paidIds = () => Object.values(paid).map((p) => p.created.id as string);

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'ii-drill-'));
    // The write load books many lessons per student; the per-instructor booking limit is not what this drill tests.
    source = await startTestApp({ env: { STUDENT_BOOKING_LIMIT: '100000' } });
    const instructors = await Promise.all([0, 1, 2, 3].map(() => publishedInstructor(source, { days: DATES.map((date) => ({ date, ranges: [{ start_time: '08:00', end_time: '20:00' }] })) })));
    const students = await Promise.all(Array.from({ length: 8 }, () => registerUser(source, 'student')));
    await seedPayments();
    const slots = bookableSlots(instructors, students, DATES);
    const load = writeLoad(source, slots, instructors);
    await load.until(30);
    // The paid lessons as the API shows them now; nothing touches them while the load runs.
    for (const p of Object.values(paid)) p.atBackup = (await call(source, 'GET', `/v1/bookings/${p.created.id}`, { token: payer.token })).body;
    ledgerAtBackup = await ledger(source, paidIds());
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
    // The restored API's clock goes on from the source's (the test clock only moves forward).
    restored = await startTestApp({ database: fresh, now: source.clock.now(), env: { STUDENT_BOOKING_LIMIT: '100000' } });
  }, 180_000);

  /** Books the paid lessons and moves each payment to its state; leaves the source's clock at 2026-07-01 13:30 UTC. */
  async function seedPayments() {
    payInst = await publishedInstructor(source, { days: [...new Set(Object.values(PAID).map(([date]) => date))].map((date) => ({ date, ranges: [{ start_time: '08:00', end_time: '20:00' }] })) });
    payer = await registerUser(source, 'student');
    const admin = await registerAdmin(source);
    const ok = (res: ApiResponse, status: number, what: string) => {
      if (res.status !== status) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    };
    for (const [name, [date, start_time]] of Object.entries(PAID) as [PaidName, readonly [string, string]][]) {
      const key = `paid-${name}`;
      const body = { instructor_id: payInst.id, service_id: payInst.serviceId, date, start_time, duration_minutes: 60, location_type: 'online' };
      const created = ok(await call(source, 'POST', '/v1/bookings', { token: payer.token, body, headers: { 'Idempotency-Key': key } }), 201, `booking ${name}`);
      paid[name] = { key, body, created, atBackup: {} };
    }
    const act = async (who: { token: string }, name: PaidName, action: string, body: unknown = {}) => ok(await call(source, 'POST', `/v1/bookings/${paid[name].created.id}/${action}`, { token: who.token, body }), 200, `${action} ${name}`);
    await act(payer, 'lateCancel', 'cancel');
    await act(payer, 'released', 'cancel');
    source.clock.set(new Date('2026-07-01T13:30:00Z')); // both of the day's first lessons have started
    await act(payInst, 'completed', 'complete');
    await act(payInst, 'refunded', 'complete');
    await act(admin, 'refunded', 'refund', { amount: 2000 });
  }

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
    // A booking's two mails are mail.send jobs written in its own transaction (the facts of the
    // change, composed at delivery): the restored API has them whether or not they were sent.
    await restored.services.jobs.runDue();
    const events = await restored.db.sequelize.query<{ booking_id: string; type: string }>('SELECT booking_id, type FROM booking_events', { type: QueryTypes.SELECT });
    const mails = (await restored.db.sequelize.query<{ payload: unknown }>("SELECT payload FROM jobs WHERE name = 'mail.send'", { type: QueryTypes.SELECT })).map((m) => jsonColumn<{ data: unknown }>(m.payload));
    const busy = await restored.db.sequelize.query<{ booking_id: string }>('SELECT booking_id FROM booking_participants', { type: QueryTypes.SELECT });
    const mailsFor = (id: string) => mails.filter((m) => jsonColumn<{ booking?: { id: string } }>(m.data).booking?.id === id).length;
    for (const b of before) {
      const res = await call(restored, 'GET', `/v1/bookings/${b.id}`, { token: b.token });
      expect([res.status, res.body.status, res.body.start_at]).toEqual([200, 'confirmed', b.start_at]);
      // Its payment (a hold, or a saved card for the later days) as the source shows it.
      const there = (await call(source, 'GET', `/v1/bookings/${b.id}`, { token: b.token })).body;
      expect([res.body.payment_status, res.body.payment]).toEqual([there.payment_status, there.payment]);
      expect(['authorized', 'card_saved']).toContain(res.body.payment_status);
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

  it('has every payment as it was before the backup: holds, saved cards, captures, fees, releases and refunds', async () => {
    const shown = (b: Record<string, any>) => [b.status, b.payment_status, b.payment.authorized_amount, b.payment.captured_amount, b.payment.fee_amount, b.payment.refunded_amount];
    // The states the seed produced (so this test compares something worth comparing).
    expect(Object.fromEntries(Object.entries(paid).map(([name, p]) => [name, shown(p.atBackup)]))).toEqual({
      completed: ['completed', 'captured', 6000, 6000, 0, 0],
      refunded: ['completed', 'partially_refunded', 6000, 6000, 0, 2000],
      lateCancel: ['cancelled', 'captured', 6000, 3000, 3000, 0],
      held: ['confirmed', 'authorized', 6000, 0, 0, 0],
      released: ['cancelled', 'released', 0, 0, 0, 0],
      saved: ['confirmed', 'card_saved', 0, 0, 0, 0],
    });
    expect(paid.saved.atBackup.payment.authorize_at).toBe('2026-08-16T10:00:00.000Z');
    expect(paid.held.atBackup.payment.capture_before).toBe('2026-07-08T08:00:00.000Z');
    for (const [name, p] of Object.entries(paid)) {
      const res = await call(restored, 'GET', `/v1/bookings/${p.created.id}`, { token: payer.token });
      expect([name, res.status, res.body]).toEqual([name, 200, p.atBackup]);
    }
    // The processor's side came back too: each PaymentIntent and the record of every call made for these bookings.
    expect(await ledger(restored, paidIds())).toEqual(ledgerAtBackup);
    expect(ledgerAtBackup.requests.map((r) => r.key.replace(/^booking:[^:]+:/, '')).sort()).toEqual(['authorize:1', 'authorize:1', 'authorize:1', 'authorize:1', 'authorize:1', 'capture', 'capture', 'capture', 'refund:0:2000', 'release:1']);
    // And the saved card's off-session authorization is still scheduled, for its time.
    const job = await restored.db.sequelize.query<{ status: string; run_at: string | Date }>('SELECT status, run_at FROM jobs WHERE key = :key', { replacements: { key: `booking:${paid.saved.created.id}:authorize` }, type: QueryTypes.SELECT });
    expect(job.map((j) => [j.status, new Date(j.run_at).toISOString()])).toEqual([['pending', paid.saved.atBackup.payment.authorize_at]]);
  });

  it('moves no money twice after the restore: repeated requests and processor calls replay, the restored hold is captured once', async () => {
    const intentsBefore = await intentCount(restored);
    // A student retrying a paid booking with its key gets the first answer: no second booking, no second hold.
    for (const p of Object.values(paid)) {
      const replay = await call(restored, 'POST', '/v1/bookings', { token: payer.token, body: p.body, headers: { 'Idempotency-Key': p.key } });
      expect([replay.status, replay.headers.get('idempotent-replayed'), replay.body]).toEqual([201, 'true', p.created]);
    }
    // Reconciliation repeats a step with its recorded key: the restored processor answers with the first outcome.
    const intentOf = (name: PaidName) => ledgerAtBackup.intents.find((i) => i.booking_id === paid[name].created.id)!;
    const { processor } = restored.services;
    const again = await processor.capture(intentOf('completed').intent_id!, 6000, `booking:${paid.completed.created.id}:capture`);
    expect([again.id, again.status, again.amount_received]).toEqual([intentOf('completed').intent_id, 'succeeded', 6000]);
    const hold = await processor.authorize({ amount: 6000, currency: 'EUR', customerId: 'ignored', paymentMethodId: 'ignored', offSession: false, manualCapture: true, idempotencyKey: `booking:${paid.held.created.id}:authorize:1`, metadata: { booking_id: paid.held.created.id } });
    expect([hold.id, hold.status, hold.amount_capturable]).toEqual([intentOf('held').intent_id, 'requires_capture', 6000]);
    const refundKey = `booking:${paid.refunded.created.id}:refund:0:2000`;
    const refund = await processor.refund(intentOf('refunded').intent_id!, 2000, refundKey);
    expect(refund).toEqual({ id: (ledgerAtBackup.requests.find((r) => r.key === refundKey)!.result as { refund: string }).refund, amount: 2000 });
    expect(await ledger(restored, paidIds())).toEqual(ledgerAtBackup);
    // No PaymentIntent anywhere came from those repeats. (Later, once the clock moves, the restored API may
    // rightly finish a hold that was in flight at backup time: a booking the backup has as `authorizing`.)
    expect(await intentCount(restored)).toBe(intentsBefore);

    // The hold taken before the backup is captured on the restored API, once.
    restored.clock.set(new Date('2026-07-02T10:30:00Z'));
    const done = await call(restored, 'POST', `/v1/bookings/${paid.held.created.id}/complete`, { token: payInst.token });
    expect([done.status, done.body.payment_status, done.body.payment.captured_amount]).toEqual([200, 'captured', 6000]);
    const twice = await call(restored, 'POST', `/v1/bookings/${paid.held.created.id}/complete`, { token: payInst.token });
    expect([twice.status, twice.body.code]).toEqual([409, 'invalid_transition']);
    const after = (await call(restored, 'GET', `/v1/bookings/${paid.held.created.id}`, { token: payer.token })).body;
    expect([after.payment_status, after.payment.captured_amount]).toEqual(['captured', 6000]);
    // Captured from the same PaymentIntent; the only new processor call for it is that one capture.
    const held = await ledger(restored, [paid.held.created.id]);
    expect([held.intents[0]!.intent_id, (held.intents[0]!.intent as { status: string }).status, (held.intents[0]!.intent as { amount_received: number }).amount_received]).toEqual([intentOf('held').intent_id, 'succeeded', 6000]);
    expect(held.requests.map((r) => r.key.replace(/^booking:[^:]+:/, ''))).toEqual(['authorize:1', 'capture']);
  });
});
