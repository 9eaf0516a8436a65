// A local HTTP server standing in for the parts of Stripe's API the platform calls (customers,
// SetupIntents, PaymentMethods, PaymentIntents, refunds), with Stripe's idempotency-key rules and
// its test payment method ids. stripe-node is pointed at it with host/port/protocol
// (STRIPE_API_URL). The official stripe-mock is a Go binary, not on npm.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';

type Card = { brand: string; last4: string; outcome: 'succeeds' | 'declined' | 'authentication_required' };
const TEST_CARDS: Record<string, Card> = {
  pm_card_visa: { brand: 'visa', last4: '4242', outcome: 'succeeds' },
  pm_card_chargeDeclined: { brand: 'visa', last4: '0002', outcome: 'declined' },
  pm_card_authenticationRequired: { brand: 'visa', last4: '3184', outcome: 'authentication_required' },
};

export interface StandInIntent {
  id: string;
  object: 'payment_intent';
  amount: number;
  amount_capturable: number;
  amount_received: number;
  currency: string;
  status: string;
  client_secret: string;
  customer: string;
  payment_method: string;
  capture_method: string;
  off_session: boolean;
  metadata: Record<string, string>;
  last_payment_error: { code: string; decline_code: string } | null;
  latest_charge: { id: string; object: 'charge'; amount: number; amount_captured: number; amount_refunded: number; payment_intent: string; metadata: Record<string, string>; payment_method_details: { card: { capture_before: number | null } } } | null;
}

const id = (prefix: string) => `${prefix}_${randomBytes(10).toString('hex')}`;

/** Parses stripe-node's form encoding (`metadata[booking_id]=x`, `expand[0]=y`) into nested objects. */
function parseForm(body: string): Record<string, any> {
  const out: Record<string, any> = {};
  for (const [k, v] of new URLSearchParams(body)) {
    const path = k.replace(/\]/g, '').split('[');
    let at = out;
    for (const [i, part] of path.entries()) {
      if (i === path.length - 1) at[part] = v;
      else at = at[part] ??= {};
    }
  }
  return out;
}

async function read(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Starts the stand-in; `now` is the platform's clock (holds last 7 days on-session, 4 d 18 h off-session). */
export async function startStripeStandIn(now: () => Date) {
  const intents = new Map<string, StandInIntent>();
  const methods = new Map<string, Card & { customer: string | null }>();
  const idempotent = new Map<string, { status: number; body: unknown }>();
  const requests: { method: string; path: string; idempotencyKey?: string; form: Record<string, any> }[] = [];
  const state = { down: false as boolean | 'drop' };

  function cardError(pi: StandInIntent | null, code: string) {
    return { status: 402, body: { error: { type: 'card_error', code, decline_code: code === 'card_declined' ? 'generic_decline' : code, message: `Your card was declined (${code}).`, payment_intent: pi } } };
  }
  const missing = (what: string) => ({ status: 400, body: { error: { type: 'invalid_request_error', code: 'resource_missing', message: `No such ${what}` } } });
  const unexpected = (pi: StandInIntent) => ({ status: 400, body: { error: { type: 'invalid_request_error', code: 'payment_intent_unexpected_state', message: `This PaymentIntent's status is ${pi.status}.` } } });

  function confirm(pi: StandInIntent, card: Card, authenticated: boolean) {
    if (card.outcome === 'declined') {
      Object.assign(pi, { status: 'requires_payment_method', last_payment_error: { code: 'card_declined', decline_code: 'generic_decline' } });
      return cardError(pi, 'card_declined');
    }
    if (card.outcome === 'authentication_required' && !authenticated) {
      if (pi.off_session) {
        Object.assign(pi, { status: 'requires_payment_method', last_payment_error: { code: 'authentication_required', decline_code: 'authentication_required' } });
        return cardError(pi, 'authentication_required');
      }
      pi.status = 'requires_action';
      return { status: 200, body: pi };
    }
    const holdMs = pi.off_session ? (4 * 24 + 18) * 3_600_000 : 7 * 86_400_000;
    const manual = pi.capture_method === 'manual';
    Object.assign(pi, {
      status: manual ? 'requires_capture' : 'succeeded',
      amount_capturable: manual ? pi.amount : 0,
      amount_received: manual ? 0 : pi.amount,
      last_payment_error: null,
      latest_charge: { id: id('ch'), object: 'charge', amount: pi.amount, amount_captured: manual ? 0 : pi.amount, amount_refunded: 0, payment_intent: pi.id, metadata: pi.metadata, payment_method_details: { card: { capture_before: manual ? Math.floor((now().getTime() + holdMs) / 1000) : null } } },
    });
    return { status: 200, body: pi };
  }

  function route(method: string, path: string, form: Record<string, any>): { status: number; body: unknown } {
    let m: RegExpMatchArray | null;
    if (method === 'POST' && path === '/v1/customers') return { status: 200, body: { id: id('cus'), object: 'customer', email: form.email } };
    if (method === 'POST' && path === '/v1/setup_intents') {
      const si = id('seti');
      return { status: 200, body: { id: si, object: 'setup_intent', client_secret: `${si}_secret_${randomBytes(6).toString('hex')}`, status: 'requires_payment_method', customer: form.customer } };
    }
    if (method === 'POST' && (m = path.match(/^\/v1\/payment_methods\/([^/]+)\/(attach|detach)$/))) {
      const card = TEST_CARDS[m[1]!] ?? methods.get(m[1]!);
      if (!card) return missing(`payment_method: '${m[1]}'`);
      const pmId = TEST_CARDS[m[1]!] ? id('pm') : m[1]!;
      methods.set(pmId, { ...card, customer: m[2] === 'attach' ? form.customer : null });
      return { status: 200, body: { id: pmId, object: 'payment_method', type: 'card', card: { brand: card.brand, last4: card.last4, exp_month: 12, exp_year: 2034 }, customer: form.customer ?? null } };
    }
    if (method === 'POST' && path === '/v1/payment_intents') {
      const card = methods.get(form.payment_method) ?? TEST_CARDS[form.payment_method];
      if (!card) return missing(`payment_method: '${form.payment_method}'`);
      const piId = id('pi');
      const pi: StandInIntent = {
        id: piId, object: 'payment_intent', amount: Number(form.amount), amount_capturable: 0, amount_received: 0, currency: form.currency, status: 'requires_confirmation',
        client_secret: `${piId}_secret_${randomBytes(6).toString('hex')}`, customer: form.customer, payment_method: form.payment_method, capture_method: form.capture_method ?? 'automatic',
        off_session: form.off_session === 'true', metadata: form.metadata ?? {}, last_payment_error: null, latest_charge: null,
      };
      intents.set(piId, pi);
      return confirm(pi, card, false);
    }
    if ((m = path.match(/^\/v1\/payment_intents\/([^/]+)(?:\/(capture|cancel|confirm))?$/))) {
      const pi = intents.get(m[1]!);
      if (!pi) return missing(`payment_intent: '${m[1]}'`);
      if (method === 'GET') return { status: 200, body: pi };
      if (m[2] === 'capture') {
        if (pi.status !== 'requires_capture') return unexpected(pi);
        const amount = Number(form.amount_to_capture ?? pi.amount_capturable);
        Object.assign(pi, { status: 'succeeded', amount_capturable: 0, amount_received: amount });
        pi.latest_charge!.amount_captured = amount;
        return { status: 200, body: pi };
      }
      if (m[2] === 'cancel') {
        if (pi.status === 'succeeded' || pi.status === 'canceled') return unexpected(pi);
        Object.assign(pi, { status: 'canceled', amount_capturable: 0 });
        return { status: 200, body: pi };
      }
      if (m[2] === 'confirm') {
        const card = methods.get(form.payment_method ?? pi.payment_method);
        if (!card) return missing('payment_method');
        pi.payment_method = form.payment_method ?? pi.payment_method;
        pi.off_session = false;
        return confirm(pi, card, true);
      }
    }
    if (method === 'POST' && path === '/v1/refunds') {
      const pi = intents.get(form.payment_intent);
      if (!pi?.latest_charge) return missing('charge');
      const amount = Number(form.amount ?? pi.amount_received - pi.latest_charge.amount_refunded);
      pi.latest_charge.amount_refunded += amount;
      return { status: 200, body: { id: id('re'), object: 'refund', amount, payment_intent: pi.id, status: 'succeeded' } };
    }
    return { status: 404, body: { error: { type: 'invalid_request_error', message: `Unrecognized request URL (${method}: ${path})` } } };
  }

  const server: Server = createServer(async (req, res) => {
    const body = await read(req);
    const path = (req.url ?? '').split('?')[0]!;
    const key = req.headers['idempotency-key'] as string | undefined;
    const form = parseForm(body);
    requests.push({ method: req.method ?? '', path, idempotencyKey: key, form });
    if (state.down === true) {
      res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { type: 'api_error', message: 'Stripe is down (stand-in)' } }));
      return;
    }
    // Stripe stores the first response of a key (even an error) and replays it.
    let answer = key ? idempotent.get(key) : undefined;
    if (!answer) {
      answer = route(req.method ?? 'GET', path, form);
      if (key && req.method === 'POST') idempotent.set(key, structuredClone(answer));
    }
    // "drop": the request took effect, but the answer never reaches the client.
    if (state.down === 'drop') {
      req.socket.destroy();
      return;
    }
    res.writeHead(answer.status, { 'content-type': 'application/json', 'request-id': id('req') }).end(JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    intents,
    requests,
    /** true: every request answers 500; 'drop': requests take effect but their answers are lost; false: up. */
    setDown(down: boolean | 'drop') {
      state.down = down;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type StripeStandIn = Awaited<ReturnType<typeof startStripeStandIn>>;
