// The pay step against a stubbed API (fetch) and, on Stripe, a fake `Stripe` global standing in for
// Stripe.js (the real one comes from js.stripe.com; the tests have no internet).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { useState } from 'preact/hooks';
import { codeOf, widgetApi, type Booking, type PaymentMethod } from '../src/api.js';
import { messageFor } from '../src/messages.js';
import { Pay, type Stripe, type StripeCard, type StripeError } from '../src/pay.js';

type Setup = { client_secret: string; processor: 'stripe' | 'offline'; publishable_key?: string };
type Reply = { status?: number; body: unknown };

/** The API as the pay step sees it: answers by "METHOD /path", each request recorded. */
function stubApi(setup: Setup, routes: Record<string, (body: unknown) => Reply> = {}) {
  const requests: { route: string; body: unknown }[] = [];
  const cards: PaymentMethod[] = [];
  const all: Record<string, (body: unknown) => Reply> = {
    'GET /v1/me/payment-methods': () => ({ body: { data: cards } }),
    'POST /v1/me/payment-methods/setup': () => ({ status: 201, body: setup }),
    'POST /v1/me/payment-methods': (b) => {
      const card = { id: `pm_saved_${cards.length + 1}`, brand: 'visa', last4: '4242', exp_month: 12, exp_year: 2030, is_default: true, from: (b as { payment_method: string }).payment_method };
      cards.push(card);
      return { status: 201, body: card };
    },
    ...routes,
  };
  vi.stubGlobal('fetch', async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = new Request(input, init);
    const route = `${req.method} ${new URL(req.url).pathname}`;
    const text = await req.text();
    const body: unknown = text ? JSON.parse(text) : undefined;
    requests.push({ route, body });
    const handler = all[route];
    const reply = handler ? handler(body) : { status: 404, body: { code: 'not_found', message: route } };
    return new Response(JSON.stringify(reply.body), { status: reply.status ?? 200, headers: { 'content-type': 'application/json' } });
  });
  return { api: widgetApi('https://api.example', 'pk_live_partner'), requests, cards, routes: () => requests.map((r) => r.route) };
}

/** A fake Stripe.js: the card element mounts a marker; the confirm calls answer as the test says. */
function fakeStripe(answers: { setup?: () => Awaited<ReturnType<Stripe['confirmCardSetup']>>; payment?: () => Awaited<ReturnType<Stripe['confirmCardPayment']>> } = {}) {
  const calls = { keys: [] as string[], setups: [] as string[], payments: [] as string[], mountedIn: undefined as HTMLElement | undefined };
  const card: StripeCard = {
    mount(el) {
      calls.mountedIn = el;
      el.append(Object.assign(document.createElement('span'), { textContent: 'Stripe card field' }));
    },
    destroy: () => undefined,
  };
  const stripe: Stripe = {
    elements: () => ({ create: () => card }),
    async confirmCardSetup(secret, data) {
      expect(data.payment_method.card).toBe(card);
      calls.setups.push(secret);
      return answers.setup?.() ?? { setupIntent: { status: 'succeeded', payment_method: 'pm_from_elements' } };
    },
    async confirmCardPayment(secret) {
      calls.payments.push(secret);
      return answers.payment?.() ?? { paymentIntent: { status: 'requires_capture' } };
    },
  };
  window.Stripe = (key) => (calls.keys.push(key), stripe);
  return calls;
}

const booking = (over: Partial<Booking>): Booking => ({ id: 'b-1', status: 'confirmed', payment_status: 'authorized', payment: null, ...over }) as Booking;
const needsBank = (secret: string) => booking({ status: 'pending', payment_status: 'requires_action', payment: { client_secret: secret } as Booking['payment'] });

/** The pay step with the error line the widget shows above it (messageFor of the code). */
function Harness(p: { api: ReturnType<typeof widgetApi>; book: (pm: string) => Promise<Booking>; onBooked: (b: Booking) => void }) {
  const [error, setError] = useState('');
  return (
    <div>
      {error && <p role="alert">{messageFor(error)}</p>}
      <Pay api={p.api} price="€60.00" book={p.book} onBooked={p.onBooked} onError={(e) => setError(codeOf(e))} onBack={() => undefined} />
    </div>
  );
}

/** happy-dom's own settings (its window API), to let one test's Stripe.js "load". */
const happyDomSettings = () => (Reflect.get(window, 'happyDOM') as { settings: { handleDisabledFileLoadingAsSuccess: boolean } }).settings;
const stripeScripts = () => [...document.querySelectorAll('script')].filter((s) => s.src.startsWith('https://js.stripe.com/'));
const alertText = () => screen.getByRole('alert').textContent;
const payButton = () => screen.getByRole('button', { name: 'Pay €60.00 and book' });

describe('the pay step', () => {
  beforeEach(() => {
    delete window.Stripe;
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    for (const s of stripeScripts()) s.remove();
  });

  it('offline: offers the test cards and never loads Stripe.js', async () => {
    const { api, requests } = stubApi({ client_secret: 'seti_x_secret_y', processor: 'offline' });
    const book = vi.fn(async () => booking({}));
    const onBooked = vi.fn();
    render(<Harness api={api} book={book} onBooked={onBooked} />);
    expect(await screen.findByRole('radio', { name: 'Test card: Visa •••• 4242 (approved)' })).toHaveProperty('checked', true);
    expect(screen.queryByRole('radio', { name: 'A new card' })).toBeNull();
    expect(screen.queryByRole('group', { name: 'Card details' })).toBeNull();
    expect(stripeScripts()).toEqual([]);
    fireEvent.submit(payButton().closest('form')!);
    await waitFor(() => expect(onBooked).toHaveBeenCalled());
    expect(requests.find((r) => r.route === 'POST /v1/me/payment-methods')?.body).toEqual({ payment_method: 'pm_card_visa', default: true });
    expect(book).toHaveBeenCalledWith('pm_saved_1');
  });

  it('Stripe: loads Stripe.js from js.stripe.com at this step, mounts Elements for a new card and saves it with confirmCardSetup', async () => {
    const { api, requests } = stubApi({ client_secret: 'seti_1_secret_2', processor: 'stripe', publishable_key: 'pk_test_platform' });
    const book = vi.fn(async () => booking({}));
    const onBooked = vi.fn();
    // happy-dom does not fetch scripts; here it reports this one loaded, and "running" it defines the fake global.
    let stripe: ReturnType<typeof fakeStripe> | undefined;
    const ran = (e: Event) => void (e.target instanceof HTMLScriptElement && e.target.src === 'https://js.stripe.com/v3/' && (stripe = fakeStripe()));
    document.addEventListener('load', ran, { capture: true });
    happyDomSettings().handleDisabledFileLoadingAsSuccess = true;
    try {
      render(<Harness api={api} book={book} onBooked={onBooked} />);
      await waitFor(() => expect(stripeScripts()).toHaveLength(1));
    } finally {
      happyDomSettings().handleDisabledFileLoadingAsSuccess = false;
      document.removeEventListener('load', ran, { capture: true });
    }
    const radio = await screen.findByRole('radio', { name: 'A new card' });
    expect(radio).toHaveProperty('checked', true);
    expect(screen.queryByRole('radio', { name: /Test card/ })).toBeNull();
    expect(stripe?.keys).toEqual(['pk_test_platform']);
    const details = screen.getByRole('group', { name: 'Card details' });
    await waitFor(() => expect(details.textContent).toBe('Stripe card field'));
    expect(stripe?.mountedIn).toBe(details);
    expect(screen.getByText(/Card details go to Stripe, never to this site/)).toBeTruthy();

    fireEvent.submit(payButton().closest('form')!);
    await waitFor(() => expect(onBooked).toHaveBeenCalledWith(booking({})));
    expect(stripe?.setups).toEqual(['seti_1_secret_2']);
    // The used SetupIntent is replaced, for another new card.
    expect(requests.filter((r) => r.route === 'POST /v1/me/payment-methods/setup')).toHaveLength(2);
    expect(requests.find((r) => r.route === 'POST /v1/me/payment-methods')?.body).toEqual({ payment_method: 'pm_from_elements', default: true });
    expect(book).toHaveBeenCalledWith('pm_saved_1');
    expect(stripe?.payments).toEqual([]);
  });

  it('Stripe: says in plain words why a card was not saved, and books nothing', async () => {
    const errors: StripeError[] = [
      { type: 'card_error', code: 'card_declined', message: 'Your card was declined.' },
      { type: 'validation_error', code: 'incomplete_number', message: 'Your card number is incomplete.' },
      { type: 'card_error', code: 'incorrect_cvc', message: "Your card's security code is incorrect." },
      { type: 'invalid_request_error', code: 'setup_intent_authentication_failure', message: 'We are unable to authenticate your payment method.' },
    ];
    const expected = ['payment_declined', 'card_incomplete', 'card_details_wrong', 'authentication_failed'].map(messageFor);
    let next = 0;
    fakeStripe({ setup: () => ({ error: errors[next++] }) });
    const { api, routes } = stubApi({ client_secret: 'seti_1_secret_2', processor: 'stripe', publishable_key: 'pk_test_platform' });
    const book = vi.fn(async () => booking({}));
    render(<Harness api={api} book={book} onBooked={vi.fn()} />);
    await screen.findByRole('radio', { name: 'A new card' });
    for (const sentence of expected) {
      fireEvent.submit(payButton().closest('form')!);
      await waitFor(() => expect(alertText()).toBe(sentence));
      await waitFor(() => expect(payButton()).toHaveProperty('disabled', false));
    }
    expect(new Set(expected).size).toBe(4);
    expect(book).not.toHaveBeenCalled();
    expect(routes()).not.toContain('POST /v1/me/payment-methods');
    // A Stripe.js already on the page is used as it is: no second script.
    expect(stripeScripts()).toEqual([]);
  });

  it('Stripe: 3-D Secure fails, then succeeds on the same booking; only then is it reported booked', async () => {
    let bank: StripeError | undefined = { type: 'invalid_request_error', code: 'payment_intent_authentication_failure', message: 'We are unable to authenticate your payment method.' };
    const stripe = fakeStripe({ payment: () => (bank ? { error: bank } : { paymentIntent: { status: 'requires_capture' } }) });
    const confirmed = booking({});
    const { api, requests } = stubApi(
      { client_secret: 'seti_1_secret_2', processor: 'stripe', publishable_key: 'pk_test_platform' },
      {
        // Paying the waiting booking again starts a new confirmation, which asks the bank again.
        'POST /v1/bookings/b-1/confirm-payment': (b) => ({ body: b ? needsBank('pi_2_secret') : confirmed }),
      },
    );
    const book = vi.fn(async () => needsBank('pi_1_secret'));
    const onBooked = vi.fn();
    render(<Harness api={api} book={book} onBooked={onBooked} />);
    await screen.findByRole('radio', { name: 'A new card' });
    fireEvent.submit(payButton().closest('form')!);
    await waitFor(() => expect(alertText()).toBe(messageFor('authentication_failed')));
    expect(onBooked).not.toHaveBeenCalled();
    expect(stripe.payments).toEqual(['pi_1_secret']);
    expect(requests.filter((r) => r.route.endsWith('/confirm-payment'))).toEqual([]);

    // The card is saved now (it is the chosen one); paying again finishes the same booking.
    bank = undefined;
    await waitFor(() => expect(screen.getByRole('radio', { name: 'Visa •••• 4242 (saved)' })).toHaveProperty('checked', true));
    fireEvent.submit(payButton().closest('form')!);
    await waitFor(() => expect(onBooked).toHaveBeenCalledWith(confirmed));
    expect(book).toHaveBeenCalledTimes(1);
    expect(stripe.payments).toEqual(['pi_1_secret', 'pi_2_secret']);
    expect(requests.filter((r) => r.route.endsWith('/confirm-payment')).map((r) => r.body)).toEqual([{ payment_method_id: 'pm_saved_1' }, undefined]);
  });

  it('a booking still waiting for the bank after confirming is not reported as booked', async () => {
    fakeStripe();
    const { api } = stubApi({ client_secret: 'seti_1_secret_2', processor: 'stripe', publishable_key: 'pk_test_platform' }, {
      'POST /v1/bookings/b-1/confirm-payment': () => ({ body: needsBank('pi_1_secret') }),
    });
    const onBooked = vi.fn();
    render(<Harness api={api} book={async () => needsBank('pi_1_secret')} onBooked={onBooked} />);
    await screen.findByRole('radio', { name: 'A new card' });
    fireEvent.submit(payButton().closest('form')!);
    await waitFor(() => expect(alertText()).toBe(messageFor('payment_incomplete')));
    expect(alertText()).toMatch(/not booked/);
    expect(onBooked).not.toHaveBeenCalled();
  });

  it('a waiting booking that expired meanwhile (invalid_transition) is said in plain words; the next try books afresh', async () => {
    const { api } = stubApi({ client_secret: 'seti_x_secret_y', processor: 'offline' }, {
      // The first confirmation leaves it waiting; by the second try the booking has expired.
      'POST /v1/bookings/b-1/confirm-payment': (b) => (b ? { status: 409, body: { code: 'invalid_transition', message: 'Nothing to confirm: the payment is failed.' } } : { body: needsBank('pi_1_secret') }),
    });
    const book = vi.fn(async () => needsBank('pi_1_secret'));
    render(<Harness api={api} book={book} onBooked={vi.fn()} />);
    await screen.findByRole('radio', { name: /Test card: Visa •••• 3184/ });
    fireEvent.click(screen.getByRole('radio', { name: /Test card: Visa •••• 3184/ }));
    fireEvent.submit(payButton().closest('form')!);
    await waitFor(() => expect(alertText()).toBe(messageFor('payment_incomplete')));
    fireEvent.submit(payButton().closest('form')!);
    await waitFor(() => expect(alertText()).toBe('This booking is no longer waiting for payment: it expired or was paid meanwhile. Pay again to book it afresh.'));
    expect(book).toHaveBeenCalledTimes(1);
    await waitFor(() => expect(payButton()).toHaveProperty('disabled', false));
    book.mockResolvedValueOnce(booking({ id: 'b-2' }));
    fireEvent.submit(payButton().closest('form')!);
    await waitFor(() => expect(book).toHaveBeenCalledTimes(2));
  });

  it('Stripe without a publishable key: no Stripe.js, no card form; with no saved card the visitor is told why', async () => {
    const { api } = stubApi({ client_secret: 'seti_1_secret_2', processor: 'stripe' });
    render(<Harness api={api} book={vi.fn()} onBooked={vi.fn()} />);
    await waitFor(() => expect(alertText()).toBe(messageFor('stripe_not_configured')));
    expect(screen.queryByRole('radio')).toBeNull();
    expect(payButton()).toHaveProperty('disabled', true);
    expect(stripeScripts()).toEqual([]);
  });

  it('Stripe.js that cannot load is said in plain words; saved cards still pay', async () => {
    const { api, cards } = stubApi({ client_secret: 'seti_1_secret_2', processor: 'stripe', publishable_key: 'pk_test_platform' });
    cards.push({ id: 'pm_old', brand: 'mastercard', last4: '4444', exp_month: 1, exp_year: 2031, is_default: true });
    const onBooked = vi.fn();
    const book = vi.fn(async () => booking({}));
    render(<Harness api={api} book={book} onBooked={onBooked} />);
    // happy-dom fetches no script: Stripe.js fails to load, as it does on a page that blocks js.stripe.com.
    await waitFor(() => expect(stripeScripts()).toHaveLength(1));
    await waitFor(() => expect(alertText()).toBe(messageFor('stripe_unavailable')));
    expect(screen.queryByRole('radio', { name: 'A new card' })).toBeNull();
    expect(screen.getByRole('radio', { name: 'Mastercard •••• 4444 (saved)' })).toHaveProperty('checked', true);
    fireEvent.submit(payButton().closest('form')!);
    await waitFor(() => expect(onBooked).toHaveBeenCalled());
    expect(book).toHaveBeenCalledWith('pm_old');
  });
});
