import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonColumn } from '../src/platform/db.js';
import { call, publishedInstructor, registerUser, startTestApp, type TestApp } from './harness.js';

type Mail = { to: string; subject: string; text: string; ics: string; contentType: string };

/** Delivers the outbox and returns the mails of one template, keyed by recipient. */
async function deliveredMails(app: TestApp, template: string): Promise<Map<string, Mail>> {
  await app.services.outbox.flush();
  const files = (await readdir(app.outboxDir).catch(() => [] as string[])).filter((f) => f.includes(`-${template}-`) && f.endsWith('.eml'));
  const mails = new Map<string, Mail>();
  for (const file of files) {
    const parsed: ParsedMail = await simpleParser(await readFile(path.join(app.outboxDir, file)));
    const to = Array.isArray(parsed.to) ? parsed.to.map((a) => a.text).join(',') : (parsed.to?.text ?? '');
    const calendars = parsed.attachments.filter((a) => a.contentType === 'text/calendar');
    expect(calendars).toHaveLength(1);
    mails.set(to, { to, subject: parsed.subject ?? '', text: parsed.text ?? '', ics: calendars[0]!.content.toString('utf8'), contentType: calendars[0]!.contentType });
  }
  return mails;
}

describe('booking mail', () => {
  let app: TestApp;
  let inst: Awaited<ReturnType<typeof publishedInstructor>>;
  let student: Awaited<ReturnType<typeof registerUser>>;
  let bookingId: string;
  /** The ICS SEQUENCE of the latest invite: each change must raise it, or calendars ignore the update. */
  let sequence = -1;
  const nextSequence = (mails: Map<string, Mail>) => {
    const seqs = new Set([...mails.values()].map((m) => Number(/SEQUENCE:(\d+)/.exec(m.ics)?.[1])));
    expect(seqs.size).toBe(1);
    const [seq] = [...seqs] as [number];
    expect(seq).toBeGreaterThan(sequence);
    sequence = seq;
  };

  beforeAll(async () => {
    app = await startTestApp();
    inst = await publishedInstructor(app, {
      timezone: 'Europe/Berlin',
      days: ['2026-07-06', '2026-07-07'].map((date) => ({ date, ranges: [{ start_time: '09:00', end_time: '17:00' }] })),
    });
    student = await registerUser(app, 'student', { timezone: 'America/New_York', full_name: 'Sam Student' });
  });
  afterAll(async () => app?.close());

  it('sends a confirmation to each participant, in their own local time, with an ICS invite', async () => {
    const res = await call(app, 'POST', '/v1/bookings', {
      token: student.token,
      body: { instructor_id: inst.id, service_id: inst.serviceId, date: '2026-07-06', start_time: '10:00', duration_minutes: 60, location_type: 'online' },
    });
    expect(res.status).toBe(201);
    bookingId = res.body.id;

    const mails = await deliveredMails(app, 'booking-confirmed');
    expect([...mails.keys()].sort()).toEqual([inst.email, student.email].sort());
    const toStudent = mails.get(student.email)!;
    const toInstructor = mails.get(inst.email)!;
    // 10:00 in Berlin (UTC+2) is 08:00Z, which is 04:00 in New York (UTC-4).
    expect(toStudent.text).toContain('04:00–05:00 (America/New_York)');
    expect(toStudent.text).not.toContain('10:00–11:00');
    expect(toInstructor.text).toContain('10:00–11:00 (Europe/Berlin)');
    expect(toInstructor.text).not.toContain('04:00–05:00');
    expect(toStudent.text).toContain('Monday, 6 July 2026');
    expect(toStudent.text).toContain(bookingId);
    expect(toInstructor.text).toContain('Sam Student');
    for (const mail of [toStudent, toInstructor]) {
      expect(mail.ics).toContain('METHOD:REQUEST');
      expect(mail.ics).toContain('BEGIN:VEVENT');
      expect(mail.ics).toContain(`UID:${bookingId}@instainstru`);
      expect(mail.ics).toContain('DTSTART:20260706T080000Z');
      expect(mail.ics).toContain('DTEND:20260706T090000Z');
    }
    nextSequence(mails);
  });

  it('writes the two mails in the booking\'s own transaction as facts, composed only at delivery', async () => {
    // What the booking's transaction stored for its mails: the change's facts, nothing rendered.
    const rows = (await app.db.models.Job.findAll({ where: { name: 'mail.send' } })).map((m) => m.get({ plain: true }));
    const ours = rows.map((r) => jsonColumn<{ to: string; composer?: string; data: { booking?: { id: string } }; attachments?: unknown }>(r.payload)).filter((p) => p.data.booking?.id === bookingId);
    expect(ours.map((p) => [p.to, p.composer]).sort()).toEqual([[inst.email, 'booking'], [student.email, 'booking']].sort());
    for (const p of ours) {
      expect(p.attachments).toBeUndefined();
      expect(JSON.stringify(p)).not.toMatch(/VCALENDAR|<html|Monday, 6 July/);
    }
    // No job stood between the booking and its mails.
    expect(await app.db.models.Job.count({ where: { name: 'booking.mail' } })).toBe(0);
  });

  it('sends a new time to both on reschedule, with the previous time', async () => {
    const res = await call(app, 'POST', `/v1/bookings/${bookingId}/reschedule`, { token: student.token, body: { date: '2026-07-07', start_time: '15:00' } });
    expect(res.status).toBe(200);
    const mails = await deliveredMails(app, 'booking-rescheduled');
    expect([...mails.keys()].sort()).toEqual([inst.email, student.email].sort());
    // 15:00 Berlin = 13:00Z = 09:00 New York.
    expect(mails.get(student.email)!.text).toContain('09:00–10:00 (America/New_York)');
    expect(mails.get(student.email)!.text).toContain('Was:        Monday, 6 July 2026, 04:00–05:00');
    expect(mails.get(inst.email)!.text).toContain('15:00–16:00 (Europe/Berlin)');
    expect(mails.get(inst.email)!.text).toContain('Was:        Monday, 6 July 2026, 10:00–11:00');
    for (const mail of mails.values()) {
      expect(mail.ics).toContain('METHOD:REQUEST');
      expect(mail.ics).toContain(`UID:${bookingId}@instainstru`);
      expect(mail.ics).toContain('DTSTART:20260707T130000Z');
    }
    nextSequence(mails);
  });

  it('sends a cancellation to both, with a METHOD:CANCEL invite', async () => {
    const res = await call(app, 'POST', `/v1/bookings/${bookingId}/cancel`, { token: inst.token, body: { reason: 'Ill' } });
    expect(res.status).toBe(200);
    const mails = await deliveredMails(app, 'booking-cancelled');
    expect([...mails.keys()].sort()).toEqual([inst.email, student.email].sort());
    expect(mails.get(student.email)!.subject).toContain('Tuesday, 7 July 2026');
    for (const mail of mails.values()) {
      expect(mail.ics).toContain('METHOD:CANCEL');
      expect(mail.ics).toContain('STATUS:CANCELLED');
      expect(mail.ics).toContain('BEGIN:VEVENT');
      expect(mail.ics).toContain(`UID:${bookingId}@instainstru`);
    }
    nextSequence(mails);
  });
});

describe('mail outbox recovery', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => app?.close());

  it('delivers a mail whose sender died mid-send once its claim has expired, and leaves a live claim alone', async () => {
    const now = app.clock.now().getTime();
    const message = (to: string, locked_until: Date) => ({
      name: 'mail.send',
      payload: { to, template: 'password-reset', data: { full_name: 'Ada', reset_url: 'https://app.example.com/reset?token=t', token: 't', expires_minutes: 30 }, attachments: [] },
      status: 'running' as const,
      run_at: new Date(now - 120_000),
      attempts: 1,
      max_attempts: 10,
      locked_until,
      lease_token: '00000000-0000-4000-8000-000000000001',
    });
    // Claimed long ago by an instance that crashed before recording the result: its lease ran out.
    const orphan = await app.db.models.Job.create(message('orphan@example.com', new Date(now - 60_000)));
    // Claimed just now by another instance that is still sending it.
    const live = await app.db.models.Job.create(message('live@example.com', new Date(now + 5 * 60_000)));
    await app.services.outbox.flush();
    const status = async (row: typeof orphan) => (await app.db.models.Job.findByPk(row.get({ plain: true }).id))?.get({ plain: true }).status;
    expect(await status(orphan)).toBe('done');
    expect(await status(live)).toBe('running');
    const files = await readdir(app.outboxDir);
    expect(files.filter((f) => f.includes('-password-reset-'))).toHaveLength(1);
  });
});

/** A new instructor and student, and a lesson booked between them (201). */
async function bookALesson(app: TestApp) {
  const inst = await publishedInstructor(app, { days: [{ date: '2026-07-06', ranges: [{ start_time: '09:00', end_time: '17:00' }] }] });
  const student = await registerUser(app, 'student');
  const res = await call(app, 'POST', '/v1/bookings', {
    token: student.token,
    body: { instructor_id: inst.id, service_id: inst.serviceId, date: '2026-07-06', start_time: '10:00', duration_minutes: 60, location_type: 'online' },
  });
  expect(res.status).toBe(201);
  return { inst, student, res };
}

describe('a booking.mail job of an earlier version', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => app?.close());

  it('still writes and delivers its two mails, once, however often it runs', async () => {
    const { res } = await bookALesson(app);
    await app.services.outbox.flush();
    const confirmations = async () => (await readdir(app.outboxDir)).filter((f) => f.includes('-booking-confirmed-')).length;
    const before = await confirmations();
    // What an earlier version wrote in the booking's transaction instead of the mails themselves.
    const booking = JSON.parse(JSON.stringify((await app.db.models.Booking.findByPk(res.body.id))!.get({ plain: true })));
    const legacy = { name: 'booking.mail', payload: { kind: 'booking-confirmed', booking, sequence: 0 }, status: 'pending' as const, run_at: app.clock.now(), attempts: 0, max_attempts: 10 };
    await app.db.models.Job.create(legacy);
    await app.db.models.Job.create(legacy);
    await app.services.outbox.flush();
    expect((await confirmations()) - before).toBe(2);
  });
});

describe('booking mail when the mail server is down', () => {
  let app: TestApp;
  beforeAll(async () => {
    // Nothing listens on port 1: every delivery fails with a connection error.
    app = await startTestApp({ env: { SMTP_URL: 'smtp://127.0.0.1:1' } });
  });
  afterAll(async () => app?.close());

  it('still books (201); the mails stay queued for a retry with the error recorded', async () => {
    const { inst, student, res } = await bookALesson(app);
    expect((await call(app, 'GET', `/v1/bookings/${res.body.id}`, { token: student.token })).body.status).toBe('confirmed');

    await app.services.outbox.flush();
    const mailJobs = async () => (await app.db.models.Job.findAll({ where: { name: 'mail.send' }, order: [['created_at', 'ASC']] })).map((m) => m.get({ plain: true }));
    const rows = await mailJobs();
    expect(rows.map((r) => jsonColumn<{ to: string }>(r.payload).to).sort()).toEqual([inst.email, student.email].sort());
    for (const row of rows) {
      expect({ status: row.status, attempts: row.attempts }).toEqual({ status: 'pending', attempts: 1 });
      expect(row.last_error).toMatch(/ECONNREFUSED|connect/i);
      expect(new Date(row.run_at).getTime()).toBeGreaterThan(app.clock.now().getTime());
    }

    // Nothing is retried before it is due; once due, the next attempt is counted.
    await app.services.outbox.flush();
    expect((await mailJobs()).map((r) => r.attempts)).toEqual([1, 1]);
    app.clock.set(new Date(app.clock.now().getTime() + 10 * 60_000));
    await app.services.outbox.flush();
    const retried = await mailJobs();
    expect(retried.map((r) => [r.status, r.attempts])).toEqual([
      ['pending', 2],
      ['pending', 2],
    ]);
  });
});
