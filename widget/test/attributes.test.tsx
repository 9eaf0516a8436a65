// The element's `service` and `duration` attributes, against a stubbed API (fetch, the network edge):
// the visitor sees the lesson the partner chose preselected, and free times for exactly that lesson.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { fireEvent, waitFor, within } from '@testing-library/preact';
import { define, TAG } from '../src/element.js';
import { visitorZone } from '../src/time.js';
import type { InstructorDetail } from '../src/api.js';

const API = 'https://api.example';
const PIANO = 'svc-piano';
const THEORY = 'svc-theory';
// In the visitor's own zone, so a start time reads as it is ("10:00"), without the instructor's beside it.
const ZONE = visitorZone();
const INSTRUCTOR = {
  id: 'i-1',
  full_name: 'Anna Schmidt',
  bio: '',
  timezone: ZONE,
  min_advance_hours: 2,
  buffer_minutes: 0,
  service_areas: [],
  cancellation_policy: [{ hours_before: 24, fee_percent: 0 }],
  services: [
    { id: PIANO, skill: 'Piano', hourly_rate: 6000, currency: 'EUR', durations: [30, 45, 60], location_types: ['online'] },
    { id: THEORY, skill: 'Music theory', hourly_rate: 4000, currency: 'EUR', durations: [45, 60, 90], location_types: ['online'] },
  ],
} as unknown as InstructorDetail;

/** Free start times on the 15th of the month shown; they differ by lesson length, as the API's do. */
const TIMES: Record<string, string[]> = { 30: ['09:00', '09:30'], 45: ['09:00', '11:15'], 60: ['10:00', '14:30'], 90: ['16:00'] };
const requested: URL[] = [];

beforeAll(() => {
  vi.stubGlobal('fetch', async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(new Request(input, init).url);
    requested.push(url);
    const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
    if (url.pathname === '/v1/instructors/i-1') return json(INSTRUCTOR);
    if (url.pathname === '/v1/instructors/i-1/availability') {
      const from = url.searchParams.get('from')!;
      const duration = url.searchParams.get('duration_minutes')!;
      return json({ instructor_id: 'i-1', timezone: ZONE, days: [{ date: `${from.slice(0, 8)}15`, ranges: [{ start_time: '09:00', end_time: '18:00' }], start_times: TIMES[duration] ?? [] }] });
    }
    return json({ code: 'not_found', message: url.pathname }, 404);
  });
  define();
});
afterAll(() => vi.unstubAllGlobals());
afterEach(() => {
  document.body.replaceChildren();
  requested.length = 0;
});

/** Puts the element on the page as a partner would, and returns queries inside its shadow root. */
async function embed(attributes: string) {
  document.body.innerHTML = `<${TAG} instructor="i-1" publishable-key="pk_live_x" api="${API}" locale="en-GB" ${attributes}></${TAG}>`;
  const el = document.querySelector(TAG)!;
  const view = within(el.shadowRoot as unknown as HTMLElement);
  await view.findByRole('heading', { name: 'Choose a time' });
  return { el, view };
}

/** The lesson and length the visitor sees chosen. */
const chosen = (view: ReturnType<typeof within>) => {
  const selected = (name: string) => {
    const select = view.queryByRole('combobox', { name }) as HTMLSelectElement | null;
    return select && select.options[select.selectedIndex]?.textContent;
  };
  return { lesson: selected('Lesson'), length: selected('Length') };
};

/** Opens the 15th (the day with free times) and reads the start times offered. */
async function timesOn15th(view: ReturnType<typeof within>) {
  const day = await view.findByRole('button', { name: /15 \w+, free times$/ });
  fireEvent.click(day);
  const list = await view.findByRole('list', { name: 'Start times, in your time zone' });
  return within(list).getAllByRole('button').map((b) => b.textContent);
}

const durationsAsked = () => requested.filter((u) => u.pathname.endsWith('/availability')).map((u) => u.searchParams.get('duration_minutes'));

describe('<instainstru-booking service duration>', () => {
  it('without them: the first service and its first length are chosen (what the attributes change)', async () => {
    const { view } = await embed('');
    await waitFor(() => expect(chosen(view)).toEqual({ lesson: 'Piano', length: '30 min' }));
    expect(await timesOn15th(view)).toEqual(['9:00', '9:30']);
  });

  it('service="<id>" preselects that service, duration="60" that length: the times offered are for a 60-minute lesson of it', async () => {
    const { view } = await embed(`service="${THEORY}" duration="60"`);
    await waitFor(() => expect(chosen(view)).toEqual({ lesson: 'Music theory', length: '60 min' }));
    expect(await timesOn15th(view)).toEqual(['10:00', '14:30']);
    // Only 60-minute times were asked for: never the service's first length first.
    expect(new Set(durationsAsked())).toEqual(new Set(['60']));
  });

  it('duration alone preselects that length of the first service; one the service does not offer falls back to its first', async () => {
    const { view } = await embed('duration="60"');
    await waitFor(() => expect(chosen(view)).toEqual({ lesson: 'Piano', length: '60 min' }));
    expect(await timesOn15th(view)).toEqual(['10:00', '14:30']);
    document.body.replaceChildren();
    requested.length = 0;
    const other = await embed(`service="${THEORY}" duration="30"`);
    await waitFor(() => expect(chosen(other.view)).toEqual({ lesson: 'Music theory', length: '45 min' }));
    expect(await timesOn15th(other.view)).toEqual(['9:00', '11:15']);
    // The length it lacks is never asked for (an answer for it could arrive last and show its times).
    expect(new Set(durationsAsked())).toEqual(new Set(['45']));
  });

  it('follows the attributes when the page changes them after the widget is shown', async () => {
    const { el, view } = await embed(`service="${PIANO}" duration="30"`);
    await waitFor(() => expect(chosen(view)).toEqual({ lesson: 'Piano', length: '30 min' }));
    expect(await timesOn15th(view)).toEqual(['9:00', '9:30']);
    el.setAttribute('duration', '60');
    await waitFor(() => expect(chosen(view)).toEqual({ lesson: 'Piano', length: '60 min' }));
    await waitFor(() => expect(within(view.getByRole('list', { name: 'Start times, in your time zone' })).getAllByRole('button').map((b) => b.textContent)).toEqual(['10:00', '14:30']));
    el.setAttribute('service', THEORY);
    el.setAttribute('duration', '90');
    await waitFor(() => expect(chosen(view)).toEqual({ lesson: 'Music theory', length: '90 min' }));
    await waitFor(() => expect(within(view.getByRole('list', { name: 'Start times, in your time zone' })).getAllByRole('button').map((b) => b.textContent)).toEqual(['16:00']));
  });
});
