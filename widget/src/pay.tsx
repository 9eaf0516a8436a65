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
    confirmPayment: (booking_id: string) => p.confirmPayment({ booking_id }, keyed),
  };
}

/** The offline processor's cards (Stripe's test ids), offered when the platform has no Stripe keys. */
const TEST_CARDS: [string, string][] = [
  ['pm_card_visa', 'Test card: Visa •••• 4242 (approved)'],
  ['pm_card_chargeDeclined', 'Test card: Visa •••• 0002 (declined)'],
  ['pm_card_authenticationRequired', 'Test card: Visa •••• 3184 (asks for 3-D Secure)'],
];
const STRIPE_JS = 'https://js.stripe.com/v3/';

/** The part of Stripe.js the pay step uses. */
interface StripeCard {
  mount(el: HTMLElement): void;
}
interface Stripe {
  elements(): { create(kind: 'card'): StripeCard };
  confirmCardSetup(secret: string, data: { payment_method: { card: StripeCard } }): Promise<{ error?: { message?: string }; setupIntent?: { payment_method: string } }>;
  confirmCardPayment(secret: string): Promise<{ error?: { message?: string } }>;
}

/** Loads Stripe.js from Stripe (it must come from there), only now that the visitor pays. */
function stripeJs(key: string): Promise<Stripe> {
  const w = window as unknown as { Stripe?: (key: string) => Stripe };
  if (w.Stripe) return Promise.resolve(w.Stripe(key));
  return new Promise((resolve, reject) => {
    const s = document.createElement('script');
    s.src = STRIPE_JS;
    s.onload = () => resolve(w.Stripe!(key));
    s.onerror = () => reject(Object.assign(new Error('Stripe.js did not load'), { code: 'stripe_unavailable' }));
    document.head.append(s);
  });
}

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
  const [stripe, setStripe] = useState<{ stripe: Stripe; card: StripeCard; secret: string }>();
  const [choice, setChoice] = useState('');
  const [busy, setBusy] = useState(false);
  const mount = useRef<HTMLDivElement>(null);
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    const root = form.current?.getRootNode() as ShadowRoot | undefined;
    if (root && !root.adoptedStyleSheets.includes(sheet)) root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
  }, [cards]);

  useEffect(() => {
    Promise.all([api.cards(), api.setup()]).then(async ([list, setup]) => {
      setCards(list.data);
      setChoice(list.data.find((c) => c.is_default)?.id ?? list.data[0]?.id ?? (setup.processor === 'stripe' ? 'new' : TEST_CARDS[0]![0]));
      const key = (setup as { publishable_key?: string }).publishable_key;
      if (setup.processor === 'stripe' && key) {
        const s = await stripeJs(key);
        const card = s.elements().create('card');
        setStripe({ stripe: s, card, secret: setup.client_secret });
        if (mount.current) card.mount(mount.current);
      }
    }, onError);
  }, [api]);

  /** The saved card to pay with: chosen, or saved now from a test id or Stripe Elements. */
  const cardId = async (): Promise<string> => {
    if (cards?.some((c) => c.id === choice)) return choice;
    if (choice !== 'new') return (await api.addCard(choice)).id;
    const done = await stripe!.stripe.confirmCardSetup(stripe!.secret, { payment_method: { card: stripe!.card } });
    if (!done.setupIntent) throw Object.assign(new Error(done.error?.message), { code: 'payment_declined' });
    return (await api.addCard(done.setupIntent.payment_method)).id;
  };

  const pay = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    try {
      let booking = await book(await cardId());
      if (booking.payment_status === 'requires_action') {
        // 3-D Secure: Stripe asks the visitor; on the offline processor the API plays that part.
        if (stripe && booking.payment?.client_secret) await stripe.stripe.confirmCardPayment(booking.payment.client_secret);
        booking = await api.confirmPayment(booking.id);
      }
      onBooked(booking);
    } catch (err) {
      onError(err);
      if (codeOf(err) === 'payment_declined') api.cards().then((l) => setCards(l.data), () => undefined);
    } finally {
      setBusy(false);
    }
  };

  if (!cards) return <p class="muted">Loading your cards…</p>;
  const options: [string, string][] = [...cards.map((c): [string, string] => [c.id, label(c)]), ...(stripe ? [['new', 'A new card'] as [string, string]] : TEST_CARDS)];
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
      <div ref={mount} class={stripe && choice === 'new' ? 'stripe' : 'sr'} />
      <p class="muted">{stripe ? 'Card details go to Stripe, never to this site.' : 'Test mode: no real card is charged.'} The amount is held now and taken after the lesson.</p>
      <button class="primary" type="submit" disabled={busy}>
        Pay {price} and book
      </button>
      <button type="button" class="link" onClick={onBack}>Back</button>
    </form>
  );
}
