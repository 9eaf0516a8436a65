import { readdir, readFile } from 'node:fs/promises';
import ICAL from 'ical.js';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, publishedInstructor, registerUser, startTestApp, type TestApp } from './harness.js';

type FeedEvent = { uid: string; start: string; end: string; status: string; sequence: number; summary: string };

/** Parses a feed with ical.js (a real iCalendar parser) into its events. */
function parseFeed(text: string): FeedEvent[] {
  const cal = new ICAL.Component(ICAL.parse(text));
  expect(cal.name).toBe('vcalendar');
  expect(cal.getFirstPropertyValue('version')).toBe('2.0');
  return cal.getAllSubcomponents('vevent').map((v) => {
    const e = new ICAL.Event(v);
    return { uid: e.uid, start: e.startDate.toJSDate().toISOString(), end: e.endDate.toJSDate().toISOString(), status: String(v.getFirstPropertyValue('status')), sequence: e.sequence, summary: e.summary };
  });
}

/** The path of a feed URL (the test app serves on its own port). */
const pathOf = (url: string) => new URL(url).pathname;

describe('calendar feed', () => {
  let app: TestApp;
  let inst: Awaited<ReturnType<typeof publishedInstructor>>;
  let student: Awaited<ReturnType<typeof registerUser>>;
  let other: Awaited<ReturnType<typeof registerUser>>;
  const book = async (token: string, date: string, start_time: string) => {
    const res = await call(app, 'POST', '/v1/bookings', { token, body: { instructor_id: inst.id, service_id: inst.serviceId, date, start_time, duration_minutes: 60, location_type: 'online' } });
    expect(res.status).toBe(201);
    return res.body as { id: string; start_at: string; end_at: string };
  };

  beforeAll(async () => {
    app = await startTestApp();
    inst = await publishedInstructor(app, { skill: 'Cello', days: ['2026-07-06', '2026-07-07'].map((date) => ({ date, ranges: [{ start_time: '09:00', end_time: '17:00' }] })) });
    student = await registerUser(app, 'student', { full_name: 'Sam Student', timezone: 'America/New_York' });
    other = await registerUser(app, 'student', { full_name: 'Olga Other' });
  });
  afterAll(async () => app?.close());

  it('gives each person one stable private URL, and anonymous callers none', async () => {
    const first = await call(app, 'GET', '/v1/me/calendar-feed', { token: student.token });
    expect(first.status).toBe(200);
    expect(first.body.url).toMatch(/^http:\/\/127\.0\.0\.1:8000\/v1\/calendar\/[A-Za-z0-9_-]{43}\.ics$/);
    const again = await call(app, 'GET', '/v1/me/calendar-feed', { token: student.token });
    expect(again.body.url).toBe(first.body.url);
    const theirs = await call(app, 'GET', '/v1/me/calendar-feed', { token: other.token });
    expect(theirs.body.url).not.toBe(first.body.url);
    expect((await call(app, 'GET', '/v1/me/calendar-feed')).status).toBe(401);
  });

  it('lists the lessons with the UIDs and SEQUENCE of the mails, cancelled ones as CANCELLED', async () => {
    const kept = await book(student.token, '2026-07-06', '10:00');
    const moved = await book(student.token, '2026-07-06', '12:00');
    const dropped = await book(student.token, '2026-07-07', '09:00');
    const notMine = await book(other.token, '2026-07-07', '14:00');
    expect((await call(app, 'POST', `/v1/bookings/${moved.id}/reschedule`, { token: student.token, body: { date: '2026-07-07', start_time: '11:00' } })).status).toBe(200);
    expect((await call(app, 'POST', `/v1/bookings/${dropped.id}/cancel`, { token: inst.token, body: { reason: 'Ill' } })).status).toBe(200);

    const { url } = (await call(app, 'GET', '/v1/me/calendar-feed', { token: student.token })).body;
    const res = await fetch(`${app.url}${pathOf(url)}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    const events = parseFeed(await res.text());
    expect(events.map((e) => e.uid)).toEqual([`${kept.id}@instainstru`, `${dropped.id}@instainstru`, `${moved.id}@instainstru`]);
    const byUid = new Map(events.map((e) => [e.uid, e]));
    expect(byUid.get(`${kept.id}@instainstru`)).toMatchObject({ start: '2026-07-06T08:00:00.000Z', end: '2026-07-06T09:00:00.000Z', status: 'CONFIRMED', sequence: 0, summary: `Cello lesson with ${(await call(app, 'GET', `/v1/bookings/${kept.id}`, { token: student.token })).body.instructor.full_name}` });
    // Rescheduled once: the new time, SEQUENCE 1 like the reschedule mail's invite.
    expect(byUid.get(`${moved.id}@instainstru`)).toMatchObject({ start: '2026-07-07T09:00:00.000Z', status: 'CONFIRMED', sequence: 1 });
    expect(byUid.get(`${dropped.id}@instainstru`)).toMatchObject({ status: 'CANCELLED', sequence: 1 });
    expect(events.some((e) => e.uid.startsWith(notMine.id))).toBe(false);

    // The instructor's feed has all four, each titled with the student's name.
    const instUrl = (await call(app, 'GET', '/v1/me/calendar-feed', { token: inst.token })).body.url;
    const instEvents = parseFeed(await (await fetch(`${app.url}${pathOf(instUrl)}`)).text());
    expect(instEvents).toHaveLength(4);
    expect(instEvents.find((e) => e.uid === `${kept.id}@instainstru`)?.summary).toBe('Cello lesson with Sam Student');
  });

  it('shares UID and SEQUENCE with the ICS file the mail attached', async () => {
    await app.services.outbox.flush();
    const files = (await readdir(app.outboxDir)).filter((f) => f.includes('-booking-rescheduled-'));
    expect(files.length).toBeGreaterThan(0);
    const mail = await simpleParser(await readFile(`${app.outboxDir}/${files[0]}`));
    const eml = mail.attachments.find((a) => a.contentType === 'text/calendar')!.content.toString('utf8');
    const uid = /UID:([^\s]+)/.exec(eml)?.[1];
    const seq = Number(/SEQUENCE:(\d+)/.exec(eml)?.[1]);
    const { url } = (await call(app, 'GET', '/v1/me/calendar-feed', { token: student.token })).body;
    const event = parseFeed(await (await fetch(`${app.url}${pathOf(url)}`)).text()).find((e) => e.uid === uid);
    expect(event?.sequence).toBe(seq);
  });

  it('revalidates with its ETag (304, no body) until a lesson changes; privately cacheable', async () => {
    const path = pathOf((await call(app, 'GET', '/v1/me/calendar-feed', { token: student.token })).body.url);
    const first = await fetch(`${app.url}${path}`);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    expect(first.headers.get('cache-control')).toBe('private, max-age=300');
    const same = await fetch(`${app.url}${path}`, { headers: { 'if-none-match': etag } });
    expect(same.status).toBe(304);
    expect(await same.text()).toBe('');
    expect(same.headers.get('etag')).toBe(etag);
    // A new booking changes the feed, so the old tag no longer matches.
    await book(student.token, '2026-07-06', '15:00');
    const changed = await fetch(`${app.url}${path}`, { headers: { 'if-none-match': etag } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
  });

  it('rotating replaces the URL: the old one is 404 at once', async () => {
    const old = pathOf((await call(app, 'GET', '/v1/me/calendar-feed', { token: other.token })).body.url);
    const rotated = await call(app, 'POST', '/v1/me/calendar-feed/rotate', { token: other.token });
    expect(rotated.status).toBe(200);
    const fresh = pathOf(rotated.body.url);
    expect(fresh).not.toBe(old);
    const gone = await call(app, 'GET', old);
    expect(gone.status).toBe(404);
    expect(gone.body.code).toBe('not_found');
    expect((await fetch(`${app.url}${fresh}`)).status).toBe(200);
    expect((await call(app, 'GET', '/v1/me/calendar-feed', { token: other.token })).body.url).toBe(rotated.body.url);
  });

  it('refuses tokens it never issued with 404 problems', async () => {
    for (const token of ['x', 'A'.repeat(43), `${'B'.repeat(43)}`]) {
      const res = await call(app, 'GET', `/v1/calendar/${token}.ics`);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
  });

  it('keeps 30 days of past lessons: one that ended 10 days ago stays, those that ended 31 days ago drop out', async () => {
    const DAY_MS = 86_400_000;
    // A lesson three weeks after the others: 2026-07-28, 10:00 in Berlin (08:00Z-09:00Z).
    expect((await call(app, 'PUT', '/v1/me/availability/2026-07-28', { token: inst.token, body: { ranges: [{ start_time: '09:00', end_time: '17:00' }] } })).status).toBe(200);
    const recent = await book(student.token, '2026-07-28', '10:00');
    const { url } = (await call(app, 'GET', '/v1/me/calendar-feed', { token: student.token })).body;
    const before = parseFeed(await (await fetch(`${app.url}${pathOf(url)}`)).text());
    const july = before.filter((e) => e.uid !== `${recent.id}@instainstru`);
    expect(july.length).toBeGreaterThan(0);
    expect(before.map((e) => e.uid)).toContain(`${recent.id}@instainstru`);
    // 2026-08-07T16:00Z: the lessons of 2026-07-06/07 all ended 31 days ago or more; the one of 2026-07-28 ended 10 days ago.
    app.clock.set(new Date('2026-08-07T16:00:00Z'));
    const now = app.clock.now().getTime();
    for (const e of july) expect(now - Date.parse(e.end), e.uid).toBeGreaterThanOrEqual(31 * DAY_MS);
    const after = parseFeed(await (await fetch(`${app.url}${pathOf(url)}`)).text());
    expect(after.map((e) => e.uid)).toEqual([`${recent.id}@instainstru`]);
    expect(after[0]).toMatchObject({ start: recent.start_at, end: recent.end_at, status: 'CONFIRMED', sequence: 0 });
    const ago = now - Date.parse(after[0]!.end);
    expect(ago).toBeGreaterThan(10 * DAY_MS);
    expect(ago).toBeLessThan(11 * DAY_MS);
    app.clock.set(new Date('2026-07-01T08:00:00Z'));
  });
});

describe('calendar feed rate limit', () => {
  let app: TestApp;
  beforeAll(async () => {
    // 0.05 x 120 = 6 fetches of one feed an hour (and one registration).
    app = await startTestApp({ env: { RATE_LIMIT_MULTIPLIER: '0.05' } });
  });
  afterAll(async () => app?.close());

  it('answers 429 with Retry-After past the per-feed budget', async () => {
    const user = await registerUser(app, 'student');
    const path = pathOf((await call(app, 'GET', '/v1/me/calendar-feed', { token: user.token })).body.url);
    for (let i = 0; i < 6; i++) expect((await fetch(`${app.url}${path}`)).status).toBe(200);
    const limited = await call(app, 'GET', path);
    expect(limited.status).toBe(429);
    expect(limited.body.code).toBe('rate_limited');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
