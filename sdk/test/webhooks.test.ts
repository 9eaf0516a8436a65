import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../api/test/harness.js';
import { InstaInstruError, verifyWebhook, WebhookVerificationError } from '../src/index.js';
import { signUp } from './helpers.js';

const secret = `whsec_${randomBytes(32).toString('base64')}`;
const body = JSON.stringify({ id: 'evt_1', type: 'webhook.test', created_at: '2026-07-01T08:00:00.000Z', data: { webhook_id: 'w', message: 'hi' } });
const signed = (s: string, at = new Date()) => ({ 'webhook-id': 'evt_1', 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': new Webhook(s).sign('evt_1', at, body) });

describe('verifyWebhook', () => {
  it('returns the event for a valid signature, from Node headers, fetch Headers or bytes', async () => {
    expect(await verifyWebhook(body, signed(secret), secret)).toMatchObject({ id: 'evt_1', type: 'webhook.test', data: { message: 'hi' } });
    expect((await verifyWebhook(new TextEncoder().encode(body), new Headers(signed(secret)), secret)).id).toBe('evt_1');
    const upper = Object.fromEntries(Object.entries(signed(secret)).map(([k, v]) => [k.toUpperCase(), [v]]));
    expect((await verifyWebhook(body, upper, secret)).id).toBe('evt_1');
  });

  it('accepts either secret while rotating', async () => {
    const old = `whsec_${randomBytes(32).toString('base64')}`;
    expect((await verifyWebhook(body, signed(old), [secret, old])).id).toBe('evt_1');
  });

  it('refuses a changed body, another secret, another message, a stale timestamp and missing headers', async () => {
    await expect(verifyWebhook(body.replace('hi', 'ho'), signed(secret), secret)).rejects.toThrow(WebhookVerificationError);
    await expect(verifyWebhook(body, signed(`whsec_${randomBytes(32).toString('base64')}`), secret)).rejects.toThrow(WebhookVerificationError);
    await expect(verifyWebhook(body, signed(secret, new Date(Date.now() - 10 * 60_000)), secret)).rejects.toThrow(/too old/);
    await expect(verifyWebhook(body, {}, secret)).rejects.toThrow(WebhookVerificationError);
    // The signature of another message (same secret) does not fit this one.
    const other = { ...signed(secret), 'webhook-id': 'evt_2' };
    await expect(verifyWebhook(body, other, secret)).rejects.toThrow(WebhookVerificationError);
  });
});

describe('client.webhooks', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => app?.close());

  it('creates, lists, changes, tests, rotates and removes an endpoint', async () => {
    const { client } = await signUp(app.url, 'student');
    const created = await client.webhooks.create({ url: 'http://127.0.0.1:9/hooks', events: ['booking.created'] });
    expect(created.secret).toMatch(/^whsec_/);
    expect((await client.webhooks.list()).data.map((w) => w.id)).toEqual([created.id]);
    expect(await client.webhooks.update({ webhook_id: created.id, description: 'CRM' })).toMatchObject({ description: 'CRM' });
    const test = await client.webhooks.test({ webhook_id: created.id });
    expect(test.event_type).toBe('webhook.test');
    expect((await client.webhooks.deliveries({ webhook_id: created.id })).data.map((d) => d.id)).toEqual([test.id]);
    expect((await client.webhooks.rotateSecret({ webhook_id: created.id })).secret).not.toBe(created.secret);
    await client.webhooks.remove({ webhook_id: created.id });
    const gone = await client.webhooks.get({ webhook_id: created.id }).catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(InstaInstruError);
    expect((gone as InstaInstruError).code).toBe('not_found');
    const bad = await client.webhooks.create({ url: 'http://10.0.0.1/x', events: ['booking.created'] }).catch((e: unknown) => e);
    expect((bad as InstaInstruError).code).toBe('invalid_webhook_url');
  });
});
