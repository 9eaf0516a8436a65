import type { Booking, Dashboard } from '@instainstru/sdk';
import { weekday } from './dates.js';
import { formatMoney } from './money.js';

/** A lesson as one line, e.g. `Wed 2026-07-01 10:00-11:00 Piano with Sam Student (confirmed)`. */
export function lessonLine(b: Booking, role: 'instructor' | 'student' | 'admin'): string {
  const other = role === 'instructor' ? b.student.full_name : b.instructor.full_name;
  return `${weekday(b.date)} ${b.date} ${b.start_time}-${b.end_time} ${b.skill} with ${other} (${b.status})`;
}

/** The dashboard as plain-text sections (used when printing once, and by the ink screen). */
export function dashboardSections(d: Dashboard): { title: string; lines: string[] }[] {
  const lessons = (list: Booking[]) => (list.length === 0 ? ['none'] : list.map((b) => lessonLine(b, d.role)));
  if (d.role === 'instructor') {
    const c = d.month.counts;
    return [
      { title: 'Today', lines: lessons(d.today) },
      { title: 'Next 7 days', lines: lessons(d.next_7_days) },
      {
        title: 'This month',
        lines: [`${c.confirmed} confirmed, ${c.pending} pending, ${c.completed} completed, ${c.cancelled} cancelled, ${c.no_show} no-show`, `Earnings: ${formatMoney(d.month.earnings)}`],
      },
    ];
  }
  return [
    { title: 'Upcoming lessons', lines: lessons(d.upcoming) },
    { title: 'History', lines: [`${d.history.completed} completed, ${d.history.cancelled} cancelled, ${d.history.no_show} missed`] },
  ];
}

/** The dashboard as text. */
export function dashboardText(d: Dashboard): string {
  return dashboardSections(d)
    .map((s) => [`${s.title}:`, ...s.lines.map((l) => `  ${l}`)].join('\n'))
    .join('\n\n');
}
