import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { lightPayments } from '@instainstru/sdk/light';
import { codeOf, type Booking, type PaymentMethod, type WidgetApi } from './api.js';
import css from './pay.css?inline';
import { addMessages } from './messages.js';

addMessages({
  payment_method_required: 'This lesson needs a card. Choose one to continue.',
  payment_declined: 'Your card was declined, so nothing was booked. Try another card.',
  invalid_payment_method: 'This card cannot be used. Try another card.',
  payment_processor_unavailable: 'Payments are not working right now, so nothing was booked. Try again in a few minutes.',
  stripe_unavailable: 'The card form could not load. Check your connection, or ask the site to allow js.stripe.com.',
  stripe_not_configured: 'New cards cannot be entered on this site yet, and you have no saved card. Please tell the site owner.',
  card_incomplete: 'The card details are incomplete. Fill in the card number, expiry date and security code.',
  card_details_wrong: 'The card number, expiry date or security code is not right. Check them and try again.',
  authentication_failed: 'Your bank could not confirm it is you, so nothing was booked. Try again, or use another card.',
  payment_incomplete: 'Your bank has not confirmed the payment yet, so the lesson is not booked. Pay again to finish, or choose another card.',
  card_check_failed: 'The card could not be checked just now, so nothing was booked. Try again in a moment.',
  // Met only here (confirm-payment on a booking that stopped waiting), so it comes with this chunk, outside the 15 kB budget.
  invalid_transition: 'This booking is no longer waiting for payment: it expired or was paid meanwhile. Pay again to book it afresh.',
});

/** The pay step's styles: added to the widget's shadow root with this chunk, not before. */
const sheet = new CSSStyleSheet();
sheet.replaceSync(css);

/** The card calls, on the widget's session and with the partner's key. */
function payments({ client, keyed }: WidgetApi) {
  const p = lightPayments(client);
  return {
    cards: () => p.list(keyed),
    setup: () => p.setup(keyed),
    addCard: (payment_method: string) => p.add({ payment_method, default: true }, keyed),
    confirmPayment: (booking_id: string, payment_method_id?: string) => p.confirmPayment({ booking_id, payment_method_id }, keyed),
  };
}

/** The offline processor's cards (Stripe's test ids), offered when the platform has no Stripe keys. */
const TEST_CARDS: [string, string][] = [
  ['pm_card_visa', 'Test card: Visa •••• 4242 (approved)'],
  ['pm_card_chargeDeclined', 'Test card: Visa •••• 0002 (declined)'],
  ['pm_card_authenticationRequired', 'Test card: Visa •••• 3184 (asks for 3-D Secure)'],
];
const STRIPE_JS = 'https://js.stripe.com/v3/';

/** The part of Stripe.js the pay step uses (https://docs.stripe.com/js). */
export interface StripeError {
  type?: string;
  code?: string;
  message?: string;
}
export interface StripeCard {
  mount(el: HTMLElement): void;
  destroy(): void;
}
export interface Stripe {
  elements(): { create(kind: 'card', options?: { style?: { base?: Record<string, string> } }): StripeCard };
  confirmCardSetup(secret: string, data: { payment_method: { card: StripeCard } }): Promise<{ error?: StripeError; setupIntent?: { status: string; payment_method: string | { id: string } | null } }>;
  confirmCardPayment(secret: string): Promise<{ error?: StripeError; paymentIntent?: { status: string } }>;
}
declare global {
  interface Window {
    Stripe?: (publishableKey: string) => Stripe;
  }
}

const failure = (code: string, message?: string) => Object.assign(new Error(message ?? code), { code });

/** Loads Stripe.js from Stripe (it must come from there), only now that the visitor pays; one script at a time. */
let loading: Promise<NonNullable<Window['Stripe']>> | undefined;
function stripeJs(key: string): Promise<Stripe> {
  if (window.Stripe) return Promise.resolve(window.Stripe(key));
  loading ??= new Promise<NonNullable<Window['Stripe']>>((resolve, reject) => {
    const s = document.createElement('script');
    s.src = STRIPE_JS;
    s.onload = () => (window.Stripe ? resolve(window.Stripe) : reject(failure('stripe_unavailable')));
    s.onerror = () => reject(failure('stripe_unavailable', 'Stripe.js did not load'));
    document.head.append(s);
  }).finally(() => (loading = undefined)); // a failed load is tried again on the next visit
  return loading.then((make) => make(key));
}

/** Stripe.js's error as one of the widget's codes (each has a plain sentence above). */
export function stripeFailure(e: StripeError): Error {
  const code = /authentication/.test(e.code ?? '')
    ? 'authentication_failed'
    : e.type === 'validation_error'
      ? 'card_incomplete'
      : e.type === 'card_error'
        ? /^(incorrect_|invalid_|expired_)/.test(e.code ?? '') ? 'card_details_wrong' : 'payment_declined'
        : 'card_check_failed';
  return failure(code, e.message);
}

/** A booking the visitor may be told is booked: confirmed, with nothing left for the bank to ask. */
const isBooked = (b: Booking) => b.status === 'confirmed' && b.payment_status !== 'requires_action';

export interface PayProps {
  api: WidgetApi;
  price: string;
  /** Books with a saved card; resolves with the booking or rejects with the API's error. */
  book(paymentMethodId: string): Promise<Booking>;
  onBooked(booking: Booking): void;
  onError(error: unknown): void;
  onBack(): void;
}

const label = (c: PaymentMethod) => `${c.brand[0]!.toUpperCase()}${c.brand.slice(1)} •••• ${c.last4} (saved)`;

/**
 * The pay step, in its own chunk loaded when the visitor gets here: a saved card or a new one. With
 * the offline processor (no Stripe keys) the new card is one of Stripe's test cards; with Stripe it
 * is entered in Stripe Elements. The amount is held, then taken after the lesson.
 */
export function Pay({ api: widget, price, book, onBooked, onError, onBack }: PayProps) {
  const api = useMemo(() => payments(widget), [widget]);
  const [cards, setCards] = useState<PaymentMethod[]>();
  const [processor, setProcessor] = useState<'stripe' | 'offline'>();
  const [stripe, setStripe] = useState<{ stripe: Stripe; card: StripeCard; secret: string }>();
  const [choice, setChoice] = useState('');
  const [busy, setBusy] = useState(false);
  /** A booking made whose payment still waits for the bank (3-D Secure): paying again finishes it. */
  const held = useRef<Booking | undefined>(undefined);
  const mount = useRef<HTMLDivElement>(null);
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    const root = form.current?.getRootNode() as ShadowRoot | undefined;
    if (root && !root.adoptedStyleSheets.includes(sheet)) root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
  }, [cards]);

  useEffect(() => {
    let gone = false;
    Promise.all([api.cards(), api.setup()]).then(async ([list, setup]) => {
      if (gone) return;
      setCards(list.data);
      setProcessor(setup.processor);
      const saved = list.data.find((c) => c.is_default)?.id ?? list.data[0]?.id;
      setChoice(saved ?? (setup.processor === 'stripe' ? 'new' : TEST_CARDS[0]![0]));
      if (setup.processor !== 'stripe') return;
      // Stripe.js only with the platform's publishable key; without one, only saved cards can pay.
      if (!setup.publishable_key) return void (saved || onError(failure('stripe_not_configured')));
      const s = await stripeJs(setup.publishable_key);
      if (gone) return;
      setStripe({ stripe: s, card: s.elements().create('card', { style: { base: { fontSize: '16px' } } }), secret: setup.client_secret });
    }).catch(onError);
    return () => void (gone = true);
  }, [api]);

  // The card form goes into the widget's own (shadow) tree, where the visitor sees the choice.
  useEffect(() => {
    if (!stripe || !mount.current) return;
    stripe.card.mount(mount.current);
    return () => stripe.card.destroy();
  }, [stripe]);

  /** The saved card to pay with: chosen, or saved now from a test id or Stripe Elements. */
  const cardId = async (): Promise<string> => {
    if (cards?.some((c) => c.id === choice)) return choice;
    if (choice !== 'new') return (await api.addCard(choice)).id;
    if (!stripe) throw failure(processor === 'stripe' ? 'stripe_unavailable' : 'payment_method_required');
    const done = await stripe.stripe.confirmCardSetup(stripe.secret, { payment_method: { card: stripe.card } });
    if (done.error) throw stripeFailure(done.error);
    const pm = done.setupIntent?.payment_method;
    if (done.setupIntent?.status !== 'succeeded' || !pm) throw failure('authentication_failed');
    // A SetupIntent saves one card: the next new card needs a fresh one.
    api.setup().then((next) => setStripe((s) => s && { ...s, secret: next.client_secret }), () => undefined);
    const card = await api.addCard(typeof pm === 'string' ? pm : pm.id);
    setCards((list) => [...(list ?? []).filter((c) => c.id !== card.id), card]);
    setChoice(card.id);
    return card.id;
  };

  /** The bank's check, when it asks for one: Stripe shows it; on the offline processor the API plays that part. */
  const authenticate = async (b: Booking): Promise<Booking> => {
    if (b.payment_status !== 'requires_action') return b;
    const secret = b.payment?.client_secret;
    if (stripe && secret) {
      const r = await stripe.stripe.confirmCardPayment(secret);
      if (r.error) throw stripeFailure(r.error);
    }
    return api.confirmPayment(b.id);
  };

  const pay = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    try {
      const card = await cardId();
      // A booking still waiting for the bank is paid again (same or another card), not booked twice.
      const first = held.current ? await api.confirmPayment(held.current.id, card) : await book(card);
      held.current = first;
      const booking = await authenticate(first);
      held.current = booking;
      if (!isBooked(booking)) throw failure('payment_incomplete');
      held.current = undefined;
      onBooked(booking);
    } catch (err) {
      const code = codeOf(err);
      // The waiting booking is gone (expired, cancelled) or already paid: the next try books afresh.
      if (code === 'invalid_transition' || code === 'not_found') held.current = undefined;
      onError(err);
      if (code === 'payment_declined') api.cards().then((l) => setCards(l.data), () => undefined);
    } finally {
      setBusy(false);
    }
  };

  if (!cards) return <p class="muted">Loading your cards…</p>;
  const fresh: [string, string][] = processor === 'offline' ? TEST_CARDS : stripe ? [['new', 'A new card']] : [];
  const options: [string, string][] = [...cards.map((c): [string, string] => [c.id, label(c)]), ...fresh];
  return (
    <form onSubmit={pay} aria-busy={busy} ref={form}>
      <fieldset>
        <legend>Pay with</legend>
        {options.map(([id, text]) => (
          <label class="radio" key={id}>
            <input type="radio" name="card" value={id} checked={choice === id} onChange={() => setChoice(id)} />
            {text}
          </label>
        ))}
      </fieldset>
      {processor === 'stripe' && (
        <div ref={mount} class={stripe && choice === 'new' ? 'stripe' : 'sr'} role="group" aria-label="Card details" />
      )}
      <p class="muted">{processor === 'stripe' ? 'Card details go to Stripe, never to this site.' : 'Test mode: no real card is charged.'} The amount is held now and taken after the lesson.</p>
      <button class="primary" type="submit" disabled={busy || !options.some(([id]) => id === choice)}>
        Pay {price} and book
      </button>
      <button type="button" class="link" onClick={onBack}>Back</button>
    </form>
  );
}
