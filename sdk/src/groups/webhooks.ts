import type {
  CreateWebhookData,
  CreateWebhookResponse,
  DeleteWebhookData,
  DeleteWebhookResponse,
  GetWebhookData,
  GetWebhookResponse,
  ListWebhookDeliveriesData,
  ListWebhookDeliveriesResponse,
  ListWebhooksData,
  ListWebhooksResponse,
  RetryWebhookDeliveryData,
  RetryWebhookDeliveryResponse,
  RotateWebhookSecretData,
  RotateWebhookSecretResponse,
  TestWebhookData,
  TestWebhookResponse,
  UpdateWebhookData,
  UpdateWebhookResponse,
} from '../generated/types.gen.js';
import type { CallOptions, Context, Params } from '../call.js';

/** The signed-in account's webhook endpoints and their deliveries. */
export function webhooksMethods({ call }: Context) {
  return {
    /** One page of endpoints (secrets are never shown again). */
    list: (query: Params<ListWebhooksData> = {}, options?: CallOptions) => call<ListWebhooksData, ListWebhooksResponse>('GET', '/v1/me/webhooks', { query }, options),
    /** Registers an endpoint; its `secret` (`whsec_…`) is only in this answer. */
    create: (body: Params<CreateWebhookData>, options?: CallOptions) => call<CreateWebhookData, CreateWebhookResponse>('POST', '/v1/me/webhooks', { body }, options),
    /** One endpoint. */
    get: ({ webhook_id }: Params<GetWebhookData>, options?: CallOptions) => call<GetWebhookData, GetWebhookResponse>('GET', '/v1/me/webhooks/{webhook_id}', { path: { webhook_id } }, options),
    /** Changes the URL, events, description or status (`enabled` turns a disabled endpoint back on). */
    update: ({ webhook_id, ...body }: Params<UpdateWebhookData>, options?: CallOptions) => call<UpdateWebhookData, UpdateWebhookResponse>('PATCH', '/v1/me/webhooks/{webhook_id}', { path: { webhook_id }, body }, options),
    /** Deletes an endpoint; nothing more is sent to it. */
    remove: async ({ webhook_id }: Params<DeleteWebhookData>, options?: CallOptions): Promise<void> => {
      await call<DeleteWebhookData, DeleteWebhookResponse>('DELETE', '/v1/me/webhooks/{webhook_id}', { path: { webhook_id } }, options);
    },
    /** A new secret (shown once); the old one keeps signing beside it for 24 hours. */
    rotateSecret: ({ webhook_id }: Params<RotateWebhookSecretData>, options?: CallOptions) => call<RotateWebhookSecretData, RotateWebhookSecretResponse>('POST', '/v1/me/webhooks/{webhook_id}/rotate-secret', { path: { webhook_id } }, options),
    /** One page of an endpoint's deliveries, newest first. */
    deliveries: ({ webhook_id, ...query }: Params<ListWebhookDeliveriesData>, options?: CallOptions) => call<ListWebhookDeliveriesData, ListWebhookDeliveriesResponse>('GET', '/v1/me/webhooks/{webhook_id}/deliveries', { path: { webhook_id }, query }, options),
    /** Sends a delivery again now (same `webhook-id` and body). */
    retry: ({ webhook_id, delivery_id }: Params<RetryWebhookDeliveryData>, options?: CallOptions) => call<RetryWebhookDeliveryData, RetryWebhookDeliveryResponse>('POST', '/v1/me/webhooks/{webhook_id}/deliveries/{delivery_id}/retry', { path: { webhook_id, delivery_id } }, options),
    /** Sends a `webhook.test` event to the endpoint. */
    test: ({ webhook_id }: Params<TestWebhookData>, options?: CallOptions) => call<TestWebhookData, TestWebhookResponse>('POST', '/v1/me/webhooks/{webhook_id}/test', { path: { webhook_id } }, options),
  };
}
