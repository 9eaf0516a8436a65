import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishedInstructor, registerUser } from '../../api/test/harness.js';
import { instru, instruJson, loginAs, startCliTestApp } from './helpers.js';

let env: Awaited<ReturnType<typeof startCliTestApp>>;
let teacher: Awaited<ReturnType<typeof publishedInstructor>>;
let student: Awaited<ReturnType<typeof registerUser>>;

// The harness clock stands at Wednesday 2026-07-01T08:00Z (10:00 in Berlin).
beforeAll(async () => {
  env = await startCliTestApp();
  teacher = await publishedInstructor(env.app, {
    skill: 'Cello',
    areas: ['Potsdam'],
    days: [
      { date: '2026-07-01', ranges: [{ start_time: '13:00', end_time: '18:00' }] },
      { date: '2026-07-02', ranges: [{ start_time: '09:00', end_time: '12:00' }] },
      { date: '2026-07-03', ranges: [{ start_time: '09:00', end_time: '17:00' }] },
    ],
  });
  student = await registerUser(env.app, 'student', { full_name: 'Sam Student' });
});
afterAll(async () => {
  await env?.close();
});

describe('a student finds and books; the instructor manages the lessons', () => {
  it('searches instructors and lists start times without logging in', async () => {
    const search = await instru('instructors', 'search', '--skill', 'cello', '--area', 'potsdam', '--available-on', '2026-07-02', '--max-price', '80', '--sort', 'price');
    expect(search.exitCode).toBe(0);
    expect(search.stdout).toMatch(new RegExp(`^${teacher.id}\\s+instructor \\d+\\s+Cello\\s+Potsdam\\s+EUR 60\\.00$`, 'm'));
    expect((await instruJson('instructors', 'search', '--max-price', '50')).data).toEqual([]);

    const times = await instru('instructors', 'availability', teacher.id, '--date', '2026-07-02', '--duration', '60');
    expect(times.stdout).toBe('Start times for 60 min (Europe/Berlin):\nThu 2026-07-02  09:00 09:15 09:30 09:45 10:00 10:15 10:30 10:45 11:00\n');
  });

  it('books as a student with `instru book`, and a conflict is one line with its code', async () => {
    await loginAs(student.email);
    const lesson = ['--instructor', teacher.id, '--service', teacher.serviceId, '--duration', '60', '--location', 'online'];
    const booked = await instru('book', ...lesson, '--date', '2026-07-02', '--time', '10:00', '--note', 'First lesson');
    expect(booked.exitCode).toBe(0);
    expect(booked.stdout).toMatch(/When:\s+2026-07-02 08:00-09:00 UTC, 60 min \(2026-07-02 10:00-11:00 Europe\/Berlin for the instructor\)/);
    expect(booked.stdout).toMatch(/Price:\s+EUR 60\.00/);
    await instruJson('book', ...lesson, '--date', '2026-07-01', '--time', '14:00');
    await instruJson('book', ...lesson, '--date', '2026-07-03', '--time', '09:00');

    const clash = await instru('book', ...lesson, '--date', '2026-07-02', '--time', '10:30');
    expect(clash.exitCode).toBe(1);
    expect(clash.stderr.trim().split('\n')).toHaveLength(1);
    expect(clash.stderr).toMatch(/^Error: .+ from 2026-07-02 08:00 UTC to 2026-07-02 09:00 UTC.+ \(instructor_conflict\) See free start times with `instru instructors availability`\.\n$/);
    const outside = await instru('book', ...lesson, '--date', '2026-07-02', '--time', '11:30');
    expect(outside.stderr).toMatch(/^Error: .+ \(outside_availability\) See free start times with `instru instructors availability`\.\n$/);
  });

  it('lists bookings with --json through every page, then cancels, reschedules and finishes them as the instructor', async () => {
    await loginAs(teacher.email);
    const all = await instruJson('bookings', 'list', '--role', 'instructor');
    expect(all.data.map((b: any) => `${b.date} ${b.start_time}`)).toEqual(['2026-07-01 14:00', '2026-07-02 10:00', '2026-07-03 09:00']);
    expect(all.data[1]).toMatchObject({ status: 'confirmed', note: 'First lesson', student: { full_name: 'Sam Student' } });
    // In the user's own zone (this test's TZ is Berlin, like the instructor); the instructor column would only show the instructor.
    process.env.TZ = 'Europe/Berlin';
    try {
      const table = await instru('bookings', 'list', '--from', '2026-07-02', '--to', '2026-07-02', '--output', 'table');
      expect(table.stdout).toMatch(/^ID\s+WHEN\s+SKILL\s+STUDENT\s+STATUS\s+PRICE\s+PAYMENT$/m);
      expect(table.stdout).toMatch(/^\S+\s+2026-07-02 10:00-11:00 GMT\+2\s+Cello\s+Sam Student\s+confirmed\s+EUR 60\.00\s+authorized$/m);
      // Piped: TSV without a header (like gh); CSV with one; chosen and sorted columns; a narrow terminal cuts cells with an ellipsis.
      const tsv = await instru('bookings', 'list', '--columns', 'when,status', '--sort', '-when');
      expect(tsv.stdout).toBe(['2026-07-03 09:00-10:00 GMT+2\tconfirmed', '2026-07-02 10:00-11:00 GMT+2\tconfirmed', '2026-07-01 14:00-15:00 GMT+2\tconfirmed', ''].join('\n'));
      const csv = await instru('bookings', 'list', '--from', '2026-07-02', '--to', '2026-07-02', '--output', 'csv', '--columns', 'skill,student,price');
      expect(csv.stdout).toBe('skill,student,price\nCello,Sam Student,EUR 60.00\n');
      const rows = await instru('bookings', 'list', '--output', 'json', '--columns', 'skill,price', '--sort', 'when');
      expect(JSON.parse(rows.stdout)).toEqual([
        { skill: 'Cello', price: 'EUR 60.00' },
        { skill: 'Cello', price: 'EUR 60.00' },
        { skill: 'Cello', price: 'EUR 60.00' },
      ]);
      const unknown = await instru('bookings', 'list', '--columns', 'date');
      expect(unknown).toMatchObject({ exitCode: 2, stderr: 'Error: --columns: there is no column "date" (invalid_input) Columns: id, when, skill, student, instructor, status, price, payment.\n' });
      expect((await instru('bookings', 'list', '--sort', 'nope')).stderr).toMatch(/^Error: --sort: there is no column "nope" \(invalid_input\)/);
    } finally {
      delete process.env.TZ;
    }
    const [today, thursday, friday] = all.data;

    const shown = await instru('bookings', 'show', thursday.id);
    expect(shown.stdout).toMatch(/Note:\s+First lesson/);

    const moved = await instruJson('bookings', 'reschedule', friday.id, '--date', '2026-07-03', '--time', '15:00', '--duration', '90');
    expect(moved).toMatchObject({ date: '2026-07-03', start_time: '15:00', end_time: '16:30', duration_minutes: 90 });

    const cancelled = await instru('bookings', 'cancel', thursday.id, '--reason', 'Ill, sorry');
    expect(cancelled.stdout).toMatch(/Status:\s+cancelled/);
    expect(cancelled.stdout).toMatch(/Cancelled:\s+.+ by instructor: Ill, sorry/);
    expect((await instruJson('bookings', 'list', '--status', 'cancelled')).data.map((b: any) => b.id)).toEqual([thursday.id]);
    const again = await instru('bookings', 'cancel', thursday.id);
    expect(again.stderr).toMatch(/^Error: .+ \(invalid_transition\)\n$/);

    const early = await instru('bookings', 'complete', today.id);
    expect(early.stderr).toMatch(/^Error: The lesson has not started yet.+ \(invalid_transition\)\n$/);
    env.app.clock.set(new Date('2026-07-03T16:00:00Z'));
    expect((await instruJson('bookings', 'complete', today.id)).status).toBe('completed');
    expect((await instruJson('bookings', 'no-show', friday.id)).status).toBe('no_show');
    env.app.clock.set(new Date('2026-07-01T08:00:00Z'));

    const missing = await instru('bookings', 'show', '00000000-0000-4000-8000-000000000000');
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toMatch(/^Error: .+ \(not_found\) Check the id/);
  });

  it('prints the dashboard once, as text or JSON, when not in a terminal', async () => {
    const data = await instruJson('dashboard');
    expect(data.role).toBe('instructor');
    expect(data.month.counts).toMatchObject({ completed: 1, no_show: 1, cancelled: 1 });
    // Money captured this month: the completed hour (EUR 60) and the no-show fee of the 90-minute lesson (100 % by default, EUR 90).
    expect(data.month.earnings).toEqual({ amount: 15000, currency: 'EUR' });
    const text = await instru('dashboard');
    expect(text.stdout).toContain('Today:\n');
    expect(text.stdout).toContain('Next 7 days:\n');
    expect(text.stdout).toContain('Earnings: EUR 150.00');
  });

  it('refuses to start the week editor without a terminal', async () => {
    const r = await instru('availability', 'edit', '--week', '2026-07-06');
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toBe(
      'Error: The week editor needs an interactive terminal (not_a_tty) Use `instru availability set <date> <ranges...>` or `instru availability copy-week` in scripts.\n',
    );
  });
});

describe('payments', () => {
  it('lists, saves and removes the student\'s cards, and shows each booking\'s payment', async () => {
    const learner = await registerUser(env.app, 'student', { full_name: 'Pat Payer', card: false });
    await loginAs(learner.email);
    const none = await instru('payments', 'methods', '--output', 'table');
    expect(none.stdout).toContain('No saved cards. Save one with --add.');
    const added = await instruJson('payments', 'methods', '--add', 'pm_card_visa');
    expect(added.data).toEqual([{ id: expect.stringMatching(/^pm_off_/), brand: 'visa', last4: '4242', exp_month: 12, exp_year: 2034, is_default: true }]);
    const table = await instru('payments', 'methods', '--output', 'table');
    expect(table.stdout).toMatch(/^ID\s+BRAND\s+LAST4\s+EXPIRES\s+DEFAULT$/m);
    expect(table.stdout).toMatch(/visa\s+4242\s+12\/2034\s+yes/);
    const bad = await instru('payments', 'methods', '--add', 'pm_card_nope');
    expect([bad.exitCode, bad.stderr]).toEqual([2, expect.stringMatching(/\(invalid_payment_method\)/)]);
    await instruJson('book', '--instructor', teacher.id, '--service', teacher.serviceId, '--duration', '30', '--location', 'online', '--date', '2026-07-03', '--time', '11:00');
    const list = await instru('bookings', 'list', '--output', 'table');
    expect(list.stdout).toMatch(/EUR 30\.00\s+authorized$/m);
    const removed = await instruJson('payments', 'methods', '--remove', added.data[0].id);
    expect(removed.data).toEqual([]);
  });
});
