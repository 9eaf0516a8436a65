import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { messageFor } from '../src/messages.js';
import { icsOf } from '../src/ics.js';
import type { Booking } from '../src/api.js';

// The page's queue stub, exactly as partners paste it: calls made before the script loads are kept.
const STUB = "(function(w,n){w[n]=w[n]||function(){(w[n].q=w[n].q||[]).push(arguments)}})(window,'InstaInstru');";
type Global = (command: string, ...args: unknown[]) => void;
const ii = () => (window as unknown as { InstaInstru: Global & { q?: unknown[] } }).InstaInstru;

describe('<instainstru-booking> and the global API', () => {
  const booked = vi.fn();
  beforeAll(async () => {
    // No API in this test: every request fails fast as a network error.
    vi.stubGlobal('fetch', () => Promise.reject(new TypeError('offline')));
    new Function(STUB)();
    ii()('on', 'booked', booked);
    ii()('on', 'error', (d: { code: string }) => booked(`error ${d.code}`));
    expect(ii().q).toHaveLength(2);
    await import('../src/index.js');
  });
  afterEach(() => document.body.replaceChildren());

  it('replaces the stub, keeping the handlers queued before it loaded', () => {
    expect(ii().q).toBeUndefined();
    document.dispatchEvent(new CustomEvent('instainstru:booked', { detail: { booking: { id: 'b1' } } }));
    expect(booked).toHaveBeenCalledWith({ booking: { id: 'b1' } });
  });

  it('renders in an open shadow root styled by an adopted stylesheet, with no <style> element', async () => {
    document.body.innerHTML = '<instainstru-booking instructor="i-1" publishable-key="pk_live_x"></instainstru-booking>';
    const el = document.querySelector('instainstru-booking')!;
    const root = el.shadowRoot!;
    expect(root.adoptedStyleSheets).toHaveLength(1);
    expect(root.adoptedStyleSheets[0]).toBeInstanceOf(CSSStyleSheet);
    expect(root.querySelector('style')).toBeNull();
    expect(document.head.querySelector('style')).toBeNull();
    // The API cannot be reached: the visitor reads why, and the page hears an error event.
    await vi.waitFor(() => expect(root.querySelector('[role=alert]')?.textContent).toBe(messageFor('connection_error')));
    expect(booked).toHaveBeenCalledWith('error connection_error');
  });

  it("InstaInstru('open') adds a dialog with the given instructor and key", () => {
    ii()('open', { instructor: 'i-2', publishableKey: 'pk_live_default', locale: 'de-DE' });
    const el = document.querySelector('instainstru-booking[modal]')!;
    expect([el.getAttribute('instructor'), el.getAttribute('publishable-key'), el.getAttribute('locale')]).toEqual(['i-2', 'pk_live_default', 'de-DE']);
    expect(el.shadowRoot!.querySelector('dialog')?.getAttribute('aria-label')).toBe('Book a lesson');
  });
});

describe('messages', () => {
  it('says in plain words what happened and what to do for each code a booking can meet', async () => {
    const generic = messageFor('something_new');
    // The card errors come with the pay step's chunk.
    expect(messageFor('payment_declined')).toBe(generic);
    await import('../src/pay.js');
    for (const code of ['instructor_conflict', 'student_conflict', 'too_soon', 'in_past', 'blackout', 'outside_availability', 'invalid_credentials', 'email_taken', 'weak_password', 'rate_limited', 'payment_declined', 'payment_method_required', 'invalid_transition', 'authentication_failed', 'payment_incomplete', 'origin_not_allowed', 'too_many_bookings', 'connection_error', 'timeout']) {
      expect(messageFor(code), code).not.toBe(generic);
    }
    expect(messageFor('instructor_conflict')).toMatch(/nearest free times/);
  });
});

describe('icsOf', () => {
  it('writes one VEVENT with the lesson in UTC', () => {
    const ics = icsOf({ id: 'b-1', start_at: '2026-12-07T08:00:00.000Z', end_at: '2026-12-07T09:00:00.000Z', created_at: '2026-12-01T10:00:00.000Z' } as Booking, 'Piano with Anna; beginners, welcome');
    expect(ics.split('\r\n')).toEqual(expect.arrayContaining(['BEGIN:VEVENT', 'UID:b-1@instainstru', 'DTSTART:20261207T080000Z', 'DTEND:20261207T090000Z', 'SUMMARY:Piano with Anna\\; beginners\\, welcome']));
  });
});
