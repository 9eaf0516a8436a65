import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { render } from 'ink-testing-library';
import { createClient, type InstaInstruClient } from '@instainstru/sdk';
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
