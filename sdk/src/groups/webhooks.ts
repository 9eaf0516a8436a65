import * as api from '../generated/sdk.gen.js';
import type {
  CreateWebhookData,
  DeleteWebhookData,
  GetWebhookData,
  ListWebhookDeliveriesData,
  ListWebhooksData,
  RetryWebhookDeliveryData,
  RotateWebhookSecretData,
  TestWebhookData,
  UpdateWebhookData,
} from '../generated/types.gen.js';
import type { CallOptions, Context, Params } from '../call.js';

/** The signed-in account's webhook endpoints and their deliveries. */
export function webhooksMethods({ client, send }: Context) {
  return {
    /** One page of endpoints (secrets are never shown again). */
    list: (query: Params<ListWebhooksData> = {}, options?: CallOptions) => send(options, (o) => api.listWebhooks({ client, query, ...o })),
    /** Registers an endpoint; its `secret` (`whsec_…`) is only in this answer. */
    create: (body: Params<CreateWebhookData>, options?: CallOptions) => send(options, (o) => api.createWebhook({ client, body, ...o })),
    /** One endpoint. */
    get: ({ webhook_id }: Params<GetWebhookData>, options?: CallOptions) => send(options, (o) => api.getWebhook({ client, path: { webhook_id }, ...o })),
    /** Changes the URL, events, description or status (`enabled` turns a disabled endpoint back on). */
    update: ({ webhook_id, ...body }: Params<UpdateWebhookData>, options?: CallOptions) => send(options, (o) => api.updateWebhook({ client, path: { webhook_id }, body, ...o })),
    /** Deletes an endpoint; nothing more is sent to it. */
    remove: async ({ webhook_id }: Params<DeleteWebhookData>, options?: CallOptions): Promise<void> => {
      await send(options, (o) => api.deleteWebhook({ client, path: { webhook_id }, ...o }));
    },
    /** A new secret (shown once); the old one keeps signing beside it for 24 hours. */
    rotateSecret: ({ webhook_id }: Params<RotateWebhookSecretData>, options?: CallOptions) => send(options, (o) => api.rotateWebhookSecret({ client, path: { webhook_id }, ...o })),
    /** One page of an endpoint's deliveries, newest first. */
    deliveries: ({ webhook_id, ...query }: Params<ListWebhookDeliveriesData>, options?: CallOptions) => send(options, (o) => api.listWebhookDeliveries({ client, path: { webhook_id }, query, ...o })),
    /** Sends a delivery again now (same `webhook-id` and body). */
    retry: ({ webhook_id, delivery_id }: Params<RetryWebhookDeliveryData>, options?: CallOptions) => send(options, (o) => api.retryWebhookDelivery({ client, path: { webhook_id, delivery_id }, ...o })),
    /** Sends a `webhook.test` event to the endpoint. */
    test: ({ webhook_id }: Params<TestWebhookData>, options?: CallOptions) => send(options, (o) => api.testWebhook({ client, path: { webhook_id }, ...o })),
  };
}
