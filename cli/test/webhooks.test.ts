import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerUser } from '../../api/test/harness.js';
import { instru, instruJson, loginAs, startCliTestApp } from './helpers.js';

let env: Awaited<ReturnType<typeof startCliTestApp>>;
beforeAll(async () => {
  env = await startCliTestApp();
  await loginAs((await registerUser(env.app, 'student')).email);
});
afterAll(async () => {
  await env?.close();
});

describe('instru webhooks', () => {
  it('adds an endpoint and shows the secret once, lists, tests, shows deliveries and removes it', async () => {
    const added = await instru('webhooks', 'add', '--url', 'http://127.0.0.1:9/hooks', '--event', 'booking.created', '--event', 'booking.cancelled', '--description', 'local');
    expect(added.exitCode).toBe(0);
    expect(added.stdout).toMatch(/Secret: whsec_\S+/);
    expect(added.stdout).toContain('only time the secret is shown');
    const id = (added.result as { id: string }).id;

    const listed = await instruJson('webhooks', 'list');
    expect(listed.data).toEqual([expect.objectContaining({ id, url: 'http://127.0.0.1:9/hooks', events: ['booking.created', 'booking.cancelled'], status: 'enabled' })]);
    expect(JSON.stringify(listed)).not.toContain('whsec_');

    const test = await instru('webhooks', 'test', id);
    expect(test.stdout).toMatch(/^Queued test event evt_\S+ \(delivery [0-9a-f-]+\)/);
    const deliveries = await instruJson('webhooks', 'deliveries', id);
    expect(deliveries.data).toEqual([expect.objectContaining({ event_type: 'webhook.test' })]);
    const retried = await instru('webhooks', 'deliveries', id, '--retry', deliveries.data[0].id);
    expect(retried.stdout).toBe(`Queued delivery ${deliveries.data[0].id} (webhook.test) again.\n`);

    const refused = await instru('webhooks', 'remove', id);
    expect(refused.exitCode).toBe(2);
    expect((await instru('webhooks', 'remove', id, '--yes')).stdout).toBe(`Deleted webhook endpoint ${id}.\n`);
    expect((await instruJson('webhooks', 'list')).data).toEqual([]);
  });

  it('says what is wrong with a URL or missing events, in one line with the code', async () => {
    const bad = await instru('webhooks', 'add', '--url', 'https://10.1.2.3/x', '--all-events');
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/^Error: .*private.* \(invalid_webhook_url\)/);
    const none = await instru('webhooks', 'add', '--url', 'https://hooks.example.com/x');
    expect(none).toMatchObject({ exitCode: 2, stderr: 'Error: No events to receive (missing_input) Pick them with --event (repeatable) or --all-events.\n' });
  });
});
