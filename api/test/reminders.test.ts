import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, publishedInstructor, registerUser, startTestApp, type TestApp } from './harness.js';


describe('lesson reminders', () => {
  let app: TestApp;
  let inst: Awaited<ReturnType<typeof publishedInstructor>>;
  const seen = new Set<string>();

  /** Reminder mails delivered since the last call: recipient, subject and text. */
  async function newReminders(): Promise<{ to: string; subject: string; text: string }[]> {
    await app.services.jobs.runDue();
    const files = (await readdir(app.outboxDir).catch(() => [] as string[])).filter((f) => /-lesson-reminder(-de)?-[0-9a-f]{6}\.eml$/.test(f) && !seen.has(f));
    const mails = [];
    for (const f of files) {
      seen.add(f);
      const m = await simpleParser(await readFile(path.join(app.outboxDir, f)));
      mails.push({ to: Array.isArray(m.to) ? m.to[0]!.text : (m.to?.text ?? ''), subject: m.subject ?? '', text: m.text ?? '' });
    }
    return mails;
  }
  const until = async (iso: string) => {
    app.clock.set(new Date(iso));
    return newReminders();
  };
  const book = async (token: string, date: string, start_time: string) => {
    const res = await call(app, 'POST', '/v1/bookings', { token, body: { instructor_id: inst.id, service_id: inst.serviceId, date, start_time, duration_minutes: 60, location_type: 'online' } });
    expect(res.status).toBe(201);
    // Reminders are planned by the booking's booking.changed job, which the API runs right after commit.
    await app.services.jobs.runDue();
    return res.body.id as string;
  };

  beforeAll(async () => {
    app = await startTestApp({ now: new Date('2026-07-01T08:00:00Z') });
    inst = await publishedInstructor(app, { timezone: 'Europe/Berlin', days: ['2026-07-03', '2026-07-06', '2026-07-07', '2026-07-08'].map((date) => ({ date, ranges: [{ start_time: '08:00', end_time: '18:00' }] })) });
  });
  afterAll(async () => app?.close());

  it('has defaults of 24 h and 1 h in English, and takes other offsets and German', async () => {
    const s = await registerUser(app, 'student');
    expect((await call(app, 'GET', '/v1/me/notification-preferences', { token: s.token })).body).toEqual({ reminder_minutes_before: [1440, 60], language: 'en' });
    const put = await call(app, 'PUT', '/v1/me/notification-preferences', { token: s.token, body: { reminder_minutes_before: [60, 2880, 60] } });
    expect(put.body).toEqual({ reminder_minutes_before: [2880, 60], language: 'en' });
    expect((await call(app, 'PUT', '/v1/me/notification-preferences', { token: s.token, body: { reminder_minutes_before: [1] } })).status).toBe(400);
    expect((await call(app, 'PUT', '/v1/me/notification-preferences', { token: s.token, body: { language: 'fr' } })).status).toBe(400);
    expect((await call(app, 'GET', '/v1/me/notification-preferences')).status).toBe(401);
  });

  it('reminds both participants 24 h and 1 h before, in their own time and language, once, at the rescheduled time', async () => {
    const student = await registerUser(app, 'student', { timezone: 'America/New_York', full_name: 'Sam Student' });
    await call(app, 'PUT', '/v1/me/notification-preferences', { token: student.token, body: { language: 'de' } });
    const hook = (await call(app, 'POST', '/v1/me/webhooks', { token: student.token, body: { url: 'http://127.0.0.1:9/r', events: ['lesson.reminder'] } })).body;
    // Booked for 2026-07-06 10:00 Berlin, then moved to 2026-07-07 15:00 Berlin (13:00Z) before any reminder.
    const id = await book(student.token, '2026-07-06', '10:00');
    expect((await call(app, 'POST', `/v1/bookings/${id}/reschedule`, { token: student.token, body: { date: '2026-07-07', start_time: '15:00' } })).status).toBe(200);

    // The old time's reminders never come.
    expect(await until('2026-07-06T07:59:00Z')).toEqual([]);
    expect(await until('2026-07-06T12:59:00Z')).toEqual([]);
    const day = await until('2026-07-06T13:00:00Z');
    expect(day.map((m) => m.to).sort()).toEqual([inst.email, student.email].sort());
    const toStudent = day.find((m) => m.to === student.email)!;
    const toInst = day.find((m) => m.to === inst.email)!;
    expect(toStudent.subject).toBe(`Erinnerung: Piano mit ${(await call(app, 'GET', `/v1/bookings/${id}`, { token: student.token })).body.instructor.full_name} in 24 Stunden`);
    expect(toStudent.text).toContain('09:00–10:00 (America/New_York)');
    expect(toStudent.text).toContain('Dienstag, 7. Juli 2026');
    expect(toInst.subject).toBe('Reminder: Piano with Sam Student in 24 hours');
    expect(toInst.text).toContain('15:00–16:00 (Europe/Berlin)');
    expect(toInst.text).toContain('Tuesday, 7 July 2026');

    expect(await until('2026-07-07T11:59:00Z')).toEqual([]);
    const hourBefore = await until('2026-07-07T12:00:00Z');
    expect(hourBefore.map((m) => m.subject).sort()).toEqual([expect.stringContaining('in 1 Stunde'), expect.stringContaining('in 1 hour')].sort());
    // Nothing more, ever.
    expect(await until('2026-07-09T00:00:00Z')).toEqual([]);

    const events = (await call(app, 'GET', `/v1/me/webhooks/${hook.id}/deliveries`, { token: student.token })).body.data;
    expect(events.map((d: { event_type: string }) => d.event_type)).toEqual(['lesson.reminder', 'lesson.reminder']);
  });

  it('drops the reminders of a cancelled lesson', async () => {
    app.clock.set(new Date('2026-07-01T08:00:00Z'));
    const student = await registerUser(app, 'student');
    const id = await book(student.token, '2026-07-08', '09:00');
    expect((await call(app, 'POST', `/v1/bookings/${id}/cancel`, { token: inst.token, body: {} })).status).toBe(200);
    expect(await until('2026-07-08T09:00:00Z')).toEqual([]);
  });

  it('sends no reminder whose time had passed at booking, and none once the lesson started', async () => {
    app.clock.set(new Date('2026-07-03T06:00:00Z'));
    const student = await registerUser(app, 'student');
    // 11:00 Berlin = 09:00Z, three hours ahead: too late for the 24 h one.
    await book(student.token, '2026-07-03', '11:00');
    const oneHour = await until('2026-07-03T08:00:00Z');
    expect(oneHour.map((m) => m.to).sort()).toEqual([inst.email, student.email].sort());
    expect(oneHour.every((m) => m.subject.endsWith('in 1 hour'))).toBe(true);
    // A lesson whose reminder time came while the server was down (the clock jumps past its start) gets none.
    app.clock.set(new Date('2026-07-03T06:00:00Z'));
    const late = await registerUser(app, 'student');
    await book(late.token, '2026-07-03', '12:00');
    expect(await until('2026-07-03T10:30:00Z')).toEqual([]);
  });

  it('uses each person\'s own offsets, and moves upcoming reminders when they change', async () => {
    app.clock.set(new Date('2026-07-01T08:00:00Z'));
    const student = await registerUser(app, 'student');
    await book(student.token, '2026-07-06', '16:00');
    await call(app, 'PUT', '/v1/me/notification-preferences', { token: student.token, body: { reminder_minutes_before: [120] } });
    // 16:00 Berlin = 14:00Z; the instructor keeps 24 h and 1 h, the student now wants 2 h only.
    const dayBefore = await until('2026-07-05T14:00:00Z');
    expect(dayBefore.map((m) => m.to)).toEqual([inst.email]);
    const twoHours = await until('2026-07-06T12:00:00Z');
    expect(twoHours.map((m) => [m.to, m.subject.split(' in ')[1]])).toEqual([[student.email, '2 hours']]);
    const oneHour = await until('2026-07-06T13:00:00Z');
    expect(oneHour.map((m) => m.to)).toEqual([inst.email]);
  });
});
