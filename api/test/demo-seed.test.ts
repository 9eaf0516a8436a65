// The demo a newcomer meets after `npm start`: the start-up of api/src/main.ts itself (startServer,
// with SEED_DEMO at its default) on a fresh database, restarted on the same data, and the seed's
// lessons at a fixed time (the harness's clock) on both databases.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startServer } from '../src/main.js';
import { loadConfig } from '../src/platform/config.js';
import { seedDemo } from '../src/demo/seed.js';
import { ensureDemoWidget } from '../src/widget/demo.js';
import { addDays } from '../src/platform/time.js';
import { call, freePort, freshDatabaseUrl, registerAdmin, startTestApp, type TestApp } from './harness.js';

const onPostgres = process.env.DATABASE_URL?.startsWith('postgres') ?? false;

// What the README promises a newcomer (read from it, so the docs and the demo cannot drift apart).
const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const [, STUDENT_EMAIL, PASSWORD] = /Sign in as the student with\s+`([^`]+)` \/ `([^`]+)`/.exec(README) ?? [];
const [, INSTRUCTOR_EMAIL] = /or as an instructor, e\.g\.\s+`([^`]+)`, with the same password/.exec(README) ?? [];
const PUBLISHED = Number(/demo data: (\d+) published instructors and a demo student/.exec(README)?.[1]);
const NAMES = ['Anna Schmidt', 'Kenji Tanaka', 'Lucía García', 'Marco Rossi', 'Oliver Brown', 'Priya Patel', 'Sarah Johnson'];

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

interface Lesson {
  id: string;
  status: string;
  payment_status: string;
  start_at: string;
  end_at: string;
  price: { amount: number; currency: string };
  payment: { amount: number; authorized_amount: number; captured_amount: number; fee_amount: number; authorize_at: string | null; capture_before: string | null };
  instructor: { full_name: string };
  cancelled_by: string | null;
}

type Api = { url: string };
async function login(app: Api, email: string, password: string) {
  const res = await call(app, 'POST', '/v1/auth/login', { body: { email, password } });
  expect(res.status, `${email} signs in`).toBe(200);
  return { token: res.body.access_token as string, user: res.body.user as { id: string; full_name: string; role: string } };
}
const names = async (app: Api) => {
  const res = await call(app, 'GET', '/v1/instructors?limit=50');
  expect(res.status).toBe(200);
  return (res.body.data as { full_name: string }[]).map((i) => i.full_name).sort();
};

/** The demo page as a browser gets it: its widget script, instructor and publishable key. */
async function demoPage(app: Api) {
  const res = await fetch(`${app.url}/demo`);
  const html = await res.text();
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/html/);
  expect(html).toContain('<script src="/widget/v1/widget.js" type="module" async></script>');
  const [, instructor, key] = /<instainstru-booking instructor="([^"]+)" publishable-key="([^"]+)">/.exec(html) ?? [];
  expect(key).toMatch(/^pk_live_/);
  return { html, instructor: instructor!, key: key! };
}

/** The widget script the page loads is served (a module, so with CORS). */
async function widgetLoads(app: Api) {
  const res = await fetch(`${app.url}/widget/v1/widget.js`, { headers: { origin: app.url } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/javascript/);
  expect((await res.text()).length).toBeGreaterThan(1000);
}

/** A browser on `origin` asks whether the widget may book from there (CORS preflight, answered only for a key's origins). */
async function mayBookFrom(app: Api, origin: string) {
  const res = await fetch(`${app.url}/v1/bookings`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type,x-publishable-key' } });
  return res.headers.get('access-control-allow-origin') === origin;
}

/** The first free start of a 60-minute lesson in the next two weeks (what the widget's month view offers). */
async function firstFreeTime(app: Api, instructorId: string, from: string) {
  const res = await call(app, 'GET', `/v1/instructors/${instructorId}/availability?from=${from}&to=${addDays(from, 13)}&duration_minutes=60`);
  expect(res.status).toBe(200);
  const day = (res.body.days as { date: string; start_times?: string[] }[]).find((d) => d.start_times?.length);
  return day && { date: day.date, start_time: day.start_times![0]! };
}

describe('npm start on a fresh database (api/src/main.ts startServer, SEED_DEMO default)', () => {
  /** `npm start` with DATA_DIR and DATABASE_URL (the harness's fresh database for this file), on a known port. */
  async function npmStart(dataDir: string, databaseUrl: string, port: number) {
    const started = await startServer(loadConfig({ DATA_DIR: dataDir, DATABASE_URL: databaseUrl, PORT: String(port), LOG_LEVEL: 'silent' }));
    return { ...started, url: `http://127.0.0.1:${port}` };
  }

  const seedsTheDemo = async () => {
    const database = await freshDatabaseUrl();
    const dataDir = mkdtempSync(path.join(tmpdir(), 'ii-demo-'));
    dirs.push(dataDir);
    const port = await freePort();
    let server = await npmStart(dataDir, database.url, port);
    try {
      // The README's accounts.
      expect([STUDENT_EMAIL, PASSWORD, INSTRUCTOR_EMAIL]).toEqual(['student@demo.instainstru.dev', 'demo-lessons-2026', 'anna@demo.instainstru.dev']);
      const student = await login(server, STUDENT_EMAIL!, PASSWORD!);
      expect(student.user).toMatchObject({ full_name: 'Sam Student', role: 'student' });
      const anna = await login(server, INSTRUCTOR_EMAIL!, PASSWORD!);
      expect(anna.user).toMatchObject({ full_name: 'Anna Schmidt', role: 'instructor' });
      // Search shows the README's number of published instructors.
      expect(await names(server)).toEqual(NAMES);
      expect(NAMES).toHaveLength(PUBLISHED);
      // The student has the paid lessons (details at a fixed time below), one cancelled late with its fee.
      const lessons = (await call(server, 'GET', '/v1/bookings', { token: student.token })).body.data as Lesson[];
      expect(lessons).toHaveLength(4);
      expect(lessons.filter((b) => b.status === 'cancelled').map((b) => b.payment.fee_amount)).toEqual([3000]);

      // /demo: the page loads the widget for Anna, with a key for this server's origins (both loopback names).
      const page = await demoPage(server);
      await widgetLoads(server);
      expect(page.instructor).toBe(anna.user.id);
      const profile = await call(server, 'GET', `/v1/instructors/${page.instructor}`);
      expect(profile.body).toMatchObject({ full_name: 'Anna Schmidt', services: [{ skill: 'Piano' }] });
      expect(await mayBookFrom(server, server.url)).toBe(true);
      expect(await mayBookFrom(server, `http://localhost:${port}`)).toBe(true);
      expect(await mayBookFrom(server, 'https://elsewhere.example')).toBe(false);
      const keys = async () => (await call(server, 'GET', '/v1/me/api-keys', { token: anna.token })).body.data as { id: string; type: string; allowed_origins: string[] }[];
      const [demoKey, ...others] = await keys();
      expect(others).toEqual([]);
      expect(demoKey).toMatchObject({ type: 'publishable', allowed_origins: [server.url, `http://localhost:${port}`] });

      // A restart on the same data (tokens stay valid: the dev secret lives in DATA_DIR).
      const before = { names: await names(server), lessons, page: page.html, keys: await keys() };
      await server.stop();
      server = await npmStart(dataDir, database.url, port);
      const again = (await call(server, 'GET', '/v1/bookings', { token: student.token })).body.data;
      expect({ names: await names(server), lessons: again, page: (await demoPage(server)).html, keys: await keys() }).toEqual(before);

      // The visitor books Anna on /demo: through the page's key, from the page's origin.
      const service = profile.body.services[0].id as string;
      const at = await firstFreeTime(server, page.instructor, new Date().toISOString().slice(0, 10));
      expect(at).toBeDefined();
      const lesson = { instructor_id: page.instructor, service_id: service, ...at, duration_minutes: 60, location_type: 'online' };
      const elsewhere = await call(server, 'POST', '/v1/bookings', { token: student.token, headers: { origin: 'https://elsewhere.example', 'x-publishable-key': page.key }, body: lesson });
      expect([elsewhere.status, elsewhere.body.code]).toEqual([403, 'origin_not_allowed']);
      const booked = await call(server, 'POST', '/v1/bookings', { token: student.token, headers: { origin: server.url, 'x-publishable-key': page.key }, body: lesson });
      expect(booked.status).toBe(201);
      expect(booked.headers.get('access-control-allow-origin')).toBe(server.url);
      expect(booked.body).toMatchObject({ status: 'confirmed', source: { kind: 'widget', key_id: demoKey!.id } });
      expect(['authorized', 'card_saved']).toContain(booked.body.payment_status);

      // `PORT=8013 npm start` on the same data: /demo gets a key for the new origin; nothing else changes.
      await server.stop();
      const moved = await freePort();
      server = await npmStart(dataDir, database.url, moved);
      const newPage = await demoPage(server);
      expect(newPage.instructor).toBe(page.instructor);
      expect(newPage.key).not.toBe(page.key);
      expect(await mayBookFrom(server, server.url)).toBe(true);
      expect((await keys()).map((k) => k.allowed_origins)).toEqual(expect.arrayContaining([[server.url, `http://localhost:${moved}`], demoKey!.allowed_origins]));
      expect(await names(server)).toEqual(NAMES);
      expect(((await call(server, 'GET', '/v1/bookings', { token: student.token })).body.data as Lesson[]).map((b) => b.id).sort()).toEqual([...lessons.map((b) => b.id), booked.body.id].sort());
    } finally {
      await server.stop();
      await database.drop();
    }
  };

  const seedsNothing = async () => {
    const database = await freshDatabaseUrl();
    const dataDir = mkdtempSync(path.join(tmpdir(), 'ii-demo-'));
    dirs.push(dataDir);
    const server = await npmStart(dataDir, database.url, await freePort());
    try {
      expect(await names(server)).toEqual([]);
      const denied = await call(server, 'POST', '/v1/auth/login', { body: { email: STUDENT_EMAIL, password: PASSWORD } });
      expect([denied.status, denied.body.code]).toEqual([401, 'invalid_credentials']);
      const demo = await call(server, 'GET', '/demo');
      expect([demo.status, demo.body.code]).toEqual([404, 'not_found']);
      expect(demo.body.detail ?? demo.body.message).toMatch(/SEED_DEMO/);
    } finally {
      await server.stop();
      await database.drop();
    }
  };

  it(onPostgres ? 'on PostgreSQL seeds nothing (README: demo data only in an empty embedded SQLite database) and /demo says how to get it' : 'seeds the demo once: README accounts sign in, the instructors are found, /demo books with its key; a restart changes nothing, one on another port gets a key for it', () => (onPostgres ? seedsNothing() : seedsTheDemo()), 180_000);
});

/**
 * The seed as main.ts runs it (seedDemo with the test clock's travel, then ensureDemoWidget for the
 * seeded instructor), on the harness's database and clock at `now`.
 */
async function seededAt(now: Date) {
  const app = await startTestApp({ now });
  const dataDir = path.dirname(app.outboxDir);
  const seed = () => seedDemo(app.db, app.services, app.clock, (ms) => app.clock.advance(ms));
  const seeded = await seed();
  const demo = await ensureDemoWidget(app.services.apiKeys, dataDir, app.url, seeded?.widgetInstructorId);
  const student = await login(app, STUDENT_EMAIL!, PASSWORD!);
  const lessons = async () => {
    const res = await call(app, 'GET', '/v1/bookings', { token: student.token });
    expect(res.status).toBe(200);
    return res.body.data as Lesson[];
  };
  /** The student's lessons as they see them: who with, status, payment. */
  const byTeacher = async () => {
    const all = await lessons();
    return (name: string, status: string) => all.find((b) => b.instructor.full_name === name && b.status === status);
  };
  return { app, dataDir, seed, seeded, demo, student, lessons, byTeacher };
}

describe('the demo lessons at a fixed time (seedDemo and ensureDemoWidget, as main.ts calls them)', () => {
  let app: TestApp | undefined;
  afterAll(() => app?.close());

  it('one lesson given and paid, one cancelled late with the fee charged, one held this week, one further out with the card saved; a second run changes nothing', async () => {
    const NOW = new Date('2026-07-01T08:00:00Z');
    const s = await seededAt(NOW);
    app = s.app;
    expect(s.seeded).toMatchObject({ instructors: PUBLISHED, student: STUDENT_EMAIL, password: PASSWORD, lessons: 4 });
    // History was booked three days back; the clock is put back to now.
    expect(s.app.clock.now().toISOString()).toBe(NOW.toISOString());
    expect(await names(s.app)).toEqual(NAMES);

    const find = await s.byTeacher();
    const given = find('Oliver Brown', 'completed');
    expect(given).toMatchObject({ payment_status: 'captured', price: { amount: 4000, currency: 'GBP' }, payment: { captured_amount: 4000 } });
    expect(new Date(given!.start_at) < NOW).toBe(true);
    const late = find('Anna Schmidt', 'cancelled');
    // Anna: free until 7 days before, then 50 %: half of 60 minutes at 60 EUR an hour.
    expect(late).toMatchObject({ payment_status: 'captured', cancelled_by: 'student', price: { amount: 6000, currency: 'EUR' }, payment: { fee_amount: 3000, captured_amount: 3000 } });
    const held = find('Anna Schmidt', 'confirmed');
    expect(held).toMatchObject({ payment_status: 'authorized', payment: { authorized_amount: 6000, captured_amount: 0 } });
    expect(new Date(held!.end_at).getTime() - NOW.getTime()).toBeLessThanOrEqual(6 * 86_400_000);
    expect(new Date(held!.payment.capture_before!) > new Date(held!.end_at)).toBe(true);
    const later = find('Marco Rossi', 'confirmed');
    expect(later).toMatchObject({ payment_status: 'card_saved', price: { amount: 4500, currency: 'EUR' }, payment: { authorized_amount: 0 } });
    // Authorized off-session 4 days (PAYMENT_AUTHORIZE_AHEAD_DAYS) before the start.
    expect(new Date(later!.start_at).getTime() - new Date(later!.payment.authorize_at!).getTime()).toBe(4 * 86_400_000);
    expect((await s.lessons()).length).toBe(4);

    // The student's own views: the saved test card, two lessons ahead, one given and one cancelled.
    const cards = await call(s.app, 'GET', '/v1/me/payment-methods', { token: s.student.token });
    expect(cards.body.data).toMatchObject([{ brand: 'visa', last4: '4242', is_default: true }]);
    const dashboard = await call(s.app, 'GET', '/v1/me/dashboard', { token: s.student.token });
    expect(dashboard.body.upcoming.map((b: Lesson) => b.instructor.full_name).sort()).toEqual(['Anna Schmidt', 'Marco Rossi']);
    expect(dashboard.body.history).toMatchObject({ completed: 1, cancelled: 1 });

    // /demo: Anna's page with the key for this server's origin.
    const page = await demoPage(s.app);
    await widgetLoads(s.app);
    expect([page.instructor, page.key]).toEqual([s.demo!.instructor_id, s.demo!.publishable_key]);
    expect((await call(s.app, 'GET', `/v1/instructors/${page.instructor}`)).body.full_name).toBe('Anna Schmidt');
    expect(await mayBookFrom(s.app, s.app.url)).toBe(true);
    expect(await firstFreeTime(s.app, page.instructor, '2026-07-02')).toBeDefined();

    // A restart: the seed sees its data and does nothing; the page keeps its key.
    const before = { names: await names(s.app), lessons: await s.lessons(), page: page.html };
    expect(await s.seed()).toBeNull();
    expect(await ensureDemoWidget(s.app.services.apiKeys, s.dataDir, s.app.url)).toEqual(s.demo);
    expect({ names: await names(s.app), lessons: await s.lessons(), page: (await demoPage(s.app)).html }).toEqual(before);
    expect(await s.app.db.models.User.count()).toBe(PUBLISHED + 1);

    // The README's test clock on the demo: the saved card is authorized 4 days before Marco's lesson.
    const admin = await registerAdmin(s.app);
    const seconds = Math.ceil((new Date(later!.payment.authorize_at!).getTime() - NOW.getTime()) / 1000) + 60;
    expect((await call(s.app, 'POST', '/v1/admin/test-clock', { token: admin.token, body: { advance_seconds: seconds } })).status).toBe(200);
    const now = await call(s.app, 'GET', `/v1/bookings/${later!.id}`, { token: s.student.token });
    expect(now.body).toMatchObject({ status: 'confirmed', payment_status: 'authorized', payment: { authorized_amount: 4500 } });
  }, 120_000);

  // The seed books the lesson given at Oliver's first free time after "four days ago" + 2 h: from his
  // last Friday start to Monday 08:00 London is 71 h over the October clock change, still in the past.
  it('a start on the Monday after the October clock change also has a lesson given and paid', async () => {
    const s = await seededAt(new Date('2026-10-26T07:30:00Z'));
    try {
      const find = await s.byTeacher();
      expect(find('Oliver Brown', 'completed')).toMatchObject({ payment_status: 'captured' });
      expect(s.seeded?.lessons).toBe(4);
    } finally {
      await s.app.close();
    }
  }, 120_000);
});
