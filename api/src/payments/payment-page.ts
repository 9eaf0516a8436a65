import express, { Router, type Request, type Response } from 'express';
import { AppError } from '../platform/errors.js';
import type { BookingService } from '../bookings/service.js';
import type { BookingView } from '../bookings/view.js';
import type { CardService } from './cards.js';
import { checkPaymentLinkToken } from './payment-link.js';

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const money = (amount: number, currency: string) => `${(amount / 100).toFixed(2)} ${currency}`;
const ACTIVE = ['pending', 'confirmed'];

type Card = { id: string; brand: string; last4: string; is_default: boolean };

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${escape(title)} · InstaInstru</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1d2433}
code,pre{background:#f2f4f8;border-radius:4px;padding:.1rem .3rem}pre{padding:.6rem;overflow-x:auto}
.note{padding:.6rem .8rem;border-radius:6px;background:#fff4d6}.ok{background:#dff5e3}.bad{background:#fde2e1}
button{font:inherit;padding:.4rem 1rem}</style></head>
<body><h1>${escape(title)}</h1>
${body}
<p><small>InstaInstru · Private lessons, booked simply.</small></p></body></html>`;
}

/** What the student can do about the booking's payment now. */
function bookingPage(b: BookingView, cards: Card[], token: string, publicUrl: string, message?: { kind: 'ok' | 'bad'; text: string }): string {
  const lesson = `<p>Your <strong>${escape(b.skill)}</strong> lesson with <strong>${escape(b.instructor.full_name)}</strong> on
<strong>${escape(b.date)}, ${escape(b.start_time)}–${escape(b.end_time)}</strong> (${escape(b.timezone)}), ${escape(money(b.price.amount, b.price.currency))}.</p>`;
  const flash = message ? `<p class="note ${message.kind}">${escape(message.text)}</p>` : '';
  if (!ACTIVE.includes(b.status)) {
    const why = b.cancellation_reason ? ` (${escape(b.cancellation_reason)})` : '';
    return page('This lesson is no longer booked', `${flash}${lesson}<p class="note bad">The booking was ${escape(b.status)}${why}; nothing is held or charged for it. You can book the lesson again if its time is still free.</p>`);
  }
  if (b.payment_status !== 'requires_action') {
    return page('Your payment is in place', `${flash}${lesson}<p class="note ok">Nothing to do: the payment is <code>${escape(b.payment_status)}</code> and the lesson is ${escape(b.status)}.</p>`);
  }
  const until = b.payment?.action_expires_at ? new Date(b.payment.action_expires_at).toUTCString() : null;
  const choices = cards.length
    ? cards.map((c) => `<label><input type="radio" name="payment_method_id" value="${escape(c.id)}"${c.is_default ? ' checked' : ''}> ${escape(c.brand)} ending in ${escape(c.last4)}${c.is_default ? ' (default)' : ''}</label><br>`).join('\n')
    : '<p>You have no saved card left: save one first (below), then come back to this page.</p>';
  const api = `${publicUrl.replace(/\/$/, '')}/v1`;
  return page(
    'Finish the payment for your lesson',
    `${flash}${lesson}
<p class="note">We could not authorize your card for this lesson${b.payment?.client_secret ? ' (your bank asks you to confirm it)' : ''}. We keep the lesson${until ? ` until <strong>${escape(until)}</strong>` : ''};
if the payment is not completed by then, the booking is cancelled and its time freed.</p>
<h2>Confirm the payment</h2>
<form method="post">
<input type="hidden" name="t" value="${escape(token)}">
${choices}
<p><button type="submit"${cards.length ? '' : ' disabled'}>Confirm the payment</button></p>
</form>
<h2>Other ways</h2>
<ul>
<li>Save another card with the CLI: <code>instru payments methods --add &lt;payment method&gt; --default</code>, then reload this page.</li>
<li>With the API (signed in as yourself):<pre>curl -X POST ${escape(api)}/bookings/${escape(b.id)}/confirm-payment \\
  -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' \\
  -d '{"payment_method_id": "&lt;one of GET /v1/me/payment-methods&gt;"}'</pre></li>
</ul>`,
  );
}

/**
 * The page the "fix your payment" mail links to (`GET /bookings/{id}/payment?t=...`): the
 * lesson, its payment, and a form that confirms it with one of the student's saved cards (the
 * same step as `POST /v1/bookings/{id}/confirm-payment`). The signed token in the link stands
 * for the student's sign-in on this page only. Server-rendered HTML, no script.
 */
export function paymentPageRoutes(deps: { bookings: BookingService; cards: CardService; secret: string; publicUrl: string }): Router {
  const r = Router();
  const studentOf = (req: Request) => checkPaymentLinkToken(deps.secret, String(req.params.booking_id), req.method === 'POST' ? (req.body as { t?: unknown } | undefined)?.t : req.query.t);

  async function show(res: Response, bookingId: string, studentId: string, token: string, message?: { kind: 'ok' | 'bad'; text: string }) {
    const actor = { userId: studentId, role: 'student' as const };
    const booking = await deps.bookings.get(actor, bookingId);
    const cards = (await deps.cards.list(actor)).data;
    res.setHeader('Cache-Control', 'no-store');
    res.type('html').send(bookingPage(booking, cards, token, deps.publicUrl, message));
  }
  const invalid = (res: Response) =>
    res.status(404).type('html').send(page('This link does not work', '<p class="note bad">This payment link is not valid. Open the link from the mail again, or sign in where you booked the lesson to see its payment.</p>'));

  r.get('/bookings/:booking_id/payment', async (req, res) => {
    const studentId = studentOf(req);
    if (!studentId) return invalid(res);
    try {
      await show(res, String(req.params.booking_id), studentId, String(req.query.t));
    } catch (err) {
      if (err instanceof AppError && err.code === 'not_found') return invalid(res);
      throw err;
    }
  });
  r.post('/bookings/:booking_id/payment', express.urlencoded({ extended: false, limit: '4kb' }), async (req, res) => {
    const studentId = studentOf(req);
    if (!studentId) return invalid(res);
    const bookingId = String(req.params.booking_id);
    const form = req.body as { t: string; payment_method_id?: unknown };
    const pm = typeof form.payment_method_id === 'string' && form.payment_method_id ? form.payment_method_id : undefined;
    let message: { kind: 'ok' | 'bad'; text: string };
    try {
      const b = await deps.bookings.confirmPayment({ userId: studentId, role: 'student' }, bookingId, pm);
      message = b.payment_status === 'authorized' ? { kind: 'ok', text: 'Thank you: the payment is authorized and your lesson is confirmed.' } : { kind: 'bad', text: 'Your bank still asks you to confirm this payment with this card: try another card.' };
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      if (err.code === 'not_found') return invalid(res);
      message = { kind: 'bad', text: err.detail };
      res.status(err.status);
    }
    await show(res, bookingId, studentId, form.t, message);
  });
  return r;
}
