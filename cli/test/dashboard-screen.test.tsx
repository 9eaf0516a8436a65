import { describe, expect, it, vi } from 'vitest';
import { render } from 'ink-testing-library';
import type { Booking, Dashboard } from '@instainstru/sdk';
import { clockTime, DashboardScreen } from '../src/ui/dashboard-screen.js';

const lesson = (over: Partial<Booking>): Booking =>
  ({
    id: 'b1',
    status: 'confirmed',
    date: '2026-07-01',
    start_time: '14:00',
    end_time: '15:00',
    skill: 'Piano',
    student: { id: 's1', full_name: 'Sam Student' },
    instructor: { id: 'i1', full_name: 'Anna' },
    ...over,
  }) as Booking;

const settle = () => new Promise((r) => setTimeout(r, 30));

describe('the dashboard screen', () => {
  it("renders today's lessons, the next 7 days and the month, and refreshes on its timer", async () => {
    let calls = 0;
    const load = async (): Promise<Dashboard> => {
      calls++;
      return {
        role: 'instructor',
        timezone: 'Europe/Berlin',
        today: [lesson({})],
        next_7_days: calls > 1 ? [lesson({ id: 'b2', date: '2026-07-03', start_time: '09:00', end_time: '10:30', skill: 'Cello' })] : [],
        month: { counts: { pending: 0, confirmed: 2, completed: 3, cancelled: 1, no_show: 0 }, earnings: { amount: 18000, currency: 'EUR' }, earnings_by_currency: [{ amount: 18000, currency: 'EUR' }] },
      };
    };
    const ui = render(<DashboardScreen load={load} intervalMs={100} describeError={String} />);
    // The first frame with data, whenever it came (a loaded machine may already have refreshed).
    await vi.waitFor(() => expect(ui.frames.some((f) => f.includes('Today'))).toBe(true));
    const first = ui.frames.find((f) => f.includes('Today'))!;
    expect(first).toContain('InstaInstru dashboard (Europe/Berlin)');
    expect(first).toMatch(/Today\s+Wed 2026-07-01 14:00-15:00 Piano with Sam Student \(confirmed\)/);
    expect(first).toMatch(/Next 7 days\s+none/);
    expect(first).toContain('2 confirmed, 0 pending, 3 completed, 1 cancelled, 0 no-show');
    expect(first).toContain('Earnings: EUR 180.00');
    expect(first).toContain('every 0 s · r refresh · q quit');

    await vi.waitFor(() => expect(ui.lastFrame()).toContain('Fri 2026-07-03 09:00-10:30 Cello with Sam Student'));
    expect(calls).toBeGreaterThan(1);
    ui.stdin.write('q');
    ui.unmount();
  });

  it('keeps the last data and shows the error line when a refresh fails', async () => {
    const ui = render(<DashboardScreen load={() => Promise.reject(new Error('down'))} intervalMs={60_000} describeError={(e) => `${(e as Error).message} (network_error)`} />);
    await settle();
    expect(ui.lastFrame()).toContain('Refresh failed: down (network_error)');
    ui.unmount();
  });
});

describe("the dashboard's clock", () => {
  it("shows the time in the instructor's zone, 24-hour where the locale writes it so", async () => {
    const at = new Date('2026-07-01T12:34:56Z');
    expect(clockTime(at, 'Europe/Berlin', 'de-DE')).toBe('14:34:56 MESZ');
    expect(clockTime(at, 'Europe/Berlin', 'en-GB')).toBe('14:34:56 CEST');
    expect(clockTime(at, 'America/New_York', 'en-US')).toBe('08:34:56 AM EDT');
    const load = async (): Promise<Dashboard> => ({ role: 'student', timezone: 'Asia/Tokyo', upcoming: [], history: { completed: 0, cancelled: 0, no_show: 0 } }) as unknown as Dashboard;
    const ui = render(<DashboardScreen load={load} intervalMs={60_000} describeError={String} now={() => at} />);
    await settle();
    expect(ui.lastFrame()).toContain(`Updated ${clockTime(at, 'Asia/Tokyo')}`);
    expect(ui.lastFrame()).toMatch(/Updated 0?9:34:56/);
    ui.unmount();
  });
});
