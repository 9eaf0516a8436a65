import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { render } from 'ink-testing-library';
import { createClient, type AvailabilityDay, type Booking, type InstaInstruClient } from '@instainstru/sdk';
import { call, publishedInstructor, registerUser, startTestApp, type TestApp } from '../../api/test/harness.js';
import { WeekEditor } from '../src/ui/week-editor.js';

const DOWN = '\u001B[B';
const UP = '\u001B[A';
const CTRL_U = '\u0015';

let app: TestApp;
let client: InstaInstruClient;
beforeAll(async () => {
  app = await startTestApp();
  const teacher = await publishedInstructor(app, { days: [{ date: '2026-07-08', ranges: [{ start_time: '09:00', end_time: '12:00' }] }] });
  const student = await registerUser(app, 'student', { full_name: 'Sam Student' });
  const booked = await call(app, 'POST', '/v1/bookings', {
    token: student.token,
    body: { instructor_id: teacher.id, service_id: teacher.serviceId, date: '2026-07-08', start_time: '10:00', duration_minutes: 60, location_type: 'online' },
  });
  expect(booked.status).toBe(201);
  client = createClient({ baseUrl: app.url, token: teacher.token });
});
afterAll(async () => {
  await app?.close();
});

const sample = { status: 'confirmed', student: { id: 's', full_name: 'Sam' }, instructor: { id: 'i', full_name: 'Tess' } } as unknown as Booking;

const settle = () => new Promise((r) => setTimeout(r, 30));

async function until(frame: () => string | undefined, text: string): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const current = frame() ?? '';
    if (current.includes(text)) return current;
    await settle();
  }
  throw new Error(`"${text}" never appeared in:\n${frame()}`);
}

describe('the week editor', () => {
  it('moves with arrows, edits ranges as text, warns about lessons outside, and saves the week in one call', async () => {
    const monday = '2026-07-06';
    const [calendar, page] = await Promise.all([client.availability.get({ from: monday, to: '2026-07-12' }), client.bookings.list({ role: 'instructor' })]);
    const saves: unknown[] = [];
    const ui = render(
      <WeekEditor
        monday={monday}
        timezone={calendar.timezone}
        days={calendar.days}
        bookings={page.data}
        save={(days) => (saves.push(days), client.availability.saveDays({ days }))}
        describeError={(e) => String(e)}
      />,
    );
    const press = async (keys: string) => {
      ui.stdin.write(keys);
      await settle();
    };
    await settle();
    expect(ui.lastFrame()).toContain('Week of 2026-07-06 (Europe/Berlin)');
    expect(ui.lastFrame()).toMatch(/Wed 2026-07-08\s+09:00-12:00\s+10:00-11:00 Piano/);

    await press('09:00-12:00 14:00-17:00');
    expect(ui.lastFrame()).toMatch(/> Mon 2026-07-06\s+09:00-12:00 14:00-17:00_/);
    expect(ui.lastFrame()).toContain('unsaved');

    await press(DOWN);
    await press(DOWN);
    await press(CTRL_U);
    await press('14:00-18:00');
    expect(ui.lastFrame()).toMatch(/> Wed 2026-07-08\s+14:00-18:00_\s+10:00-11:00 Piano \(1 outside!\)/);

    await press(UP);
    await press('8:00-1');
    await press('s');
    expect(ui.lastFrame()).toContain('Not saved: Tue "8:00-1" is not a time range like 09:00-12:00.');
    for (let i = 0; i < 6; i++) await press('\u007F');
    await press('10:00-11:30');
    await press('s');
    const saved = await until(() => ui.lastFrame(), 'Saved. Warning: 1 lesson(s) now outside your availability');
    expect(saved.replace(/\s+/g, ' ')).toContain('(still booked): Wed 2026-07-08 10:00-11:00 (confirmed)');
    expect(saves).toHaveLength(1);

    const week = await client.availability.get({ from: monday, to: '2026-07-12' });
    expect(week.days.filter((d) => d.ranges.length > 0)).toEqual([
      { date: '2026-07-06', ranges: [{ start_time: '09:00', end_time: '12:00' }, { start_time: '14:00', end_time: '17:00' }] },
      { date: '2026-07-07', ranges: [{ start_time: '10:00', end_time: '11:30' }] },
      { date: '2026-07-08', ranges: [{ start_time: '14:00', end_time: '18:00' }] },
    ]);

    await press('q');
    ui.unmount();
  });

  it('handles keys that arrive in one chunk (paste, fast typing, SSH) one by one, commands included', async () => {
    const saves: AvailabilityDay[][] = [];
    const ui = render(<WeekEditor monday="2026-07-13" timezone="Europe/Berlin" days={[]} bookings={[]} save={async (days) => (saves.push(days), { days, bookings_outside: [] })} describeError={String} />);
    await settle();
    ui.stdin.write(`09:00-12:00${DOWN}`);
    await settle();
    ui.stdin.write('10:00-11:0014:00-15:00s');
    await until(() => ui.lastFrame(), 'Saved the week.');
    expect(saves).toHaveLength(1);
    expect(saves[0]!.slice(0, 2)).toEqual([
      { date: '2026-07-13', ranges: [{ start_time: '09:00', end_time: '12:00' }] },
      { date: '2026-07-14', ranges: [{ start_time: '10:00', end_time: '11:00' }, { start_time: '14:00', end_time: '15:00' }] },
    ]);
    ui.unmount();
  });

  it('fits 80 and 60 columns with several lessons: no line wider than the screen, lessons under the day when they do not fit beside it', async () => {
    const lessons = ['09:00', '10:00', '11:00', '14:00'].map((t, i) => ({ ...sample, id: `b${i}`, date: '2026-07-15', start_time: t, end_time: `${String(Number(t.slice(0, 2)) + 1).padStart(2, '0')}:00`, skill: 'Piano' }));
    for (const width of [80, 60]) {
      const ui = render(
        <WeekEditor monday="2026-07-13" timezone="Europe/Berlin" days={[{ date: '2026-07-15', ranges: [{ start_time: '09:00', end_time: '17:00' }] }]} bookings={lessons} save={async () => ({ days: [], bookings_outside: [] })} describeError={String} width={width} />,
      );
      await settle();
      const lines = ui.lastFrame()!.split('\n');
      expect(lines.every((l) => l.length <= width)).toBe(true);
      const wed = lines.findIndex((l) => l.includes('Wed 2026-07-15'));
      expect(lines[wed]).toMatch(/Wed 2026-07-15\s+09:00-17:00$/);
      expect(lines[wed + 1]).toMatch(/^\s{4}09:00-10:00 Piano, 10:00-11:00 Piano/);
      expect(lines[wed + 2]).toMatch(/Thu 2026-07-16/);
      ui.unmount();
    }
  });

  it('goes to the previous and next week with [ and ], asking before it drops unsaved changes', async () => {
    const loaded: string[] = [];
    const loadWeek = async (monday: string) => (loaded.push(monday), { days: [{ date: monday, ranges: [{ start_time: '08:00', end_time: '09:00' }] }], bookings: [] });
    const ui = render(<WeekEditor monday="2026-07-13" timezone="Europe/Berlin" days={[]} bookings={[]} save={async () => ({ days: [], bookings_outside: [] })} loadWeek={loadWeek} describeError={String} />);
    await settle();
    ui.stdin.write(']');
    await until(() => ui.lastFrame(), 'Week of 2026-07-20');
    expect(ui.lastFrame()).toMatch(/Mon 2026-07-20\s+08:00-09:00/);
    ui.stdin.write('10:00-11:00');
    await settle();
    ui.stdin.write('[');
    await until(() => ui.lastFrame(), 'Unsaved changes: press [ or ] again to drop them');
    expect(loaded).toEqual(['2026-07-20']);
    ui.stdin.write('[');
    await until(() => ui.lastFrame(), 'Week of 2026-07-13');
    expect(loaded).toEqual(['2026-07-20', '2026-07-13']);
    ui.unmount();
  });

  it('asks before quitting with unsaved changes', async () => {
    const ui = render(<WeekEditor monday="2026-07-13" timezone="Europe/Berlin" days={[]} bookings={[]} save={async () => ({ days: [], bookings_outside: [] })} describeError={String} />);
    await settle();
    ui.stdin.write('09:00-10:00');
    await settle();
    ui.stdin.write('q');
    await settle();
    expect(ui.lastFrame()).toContain('Unsaved changes: press q again to quit without saving');
    ui.unmount();
  });
});
