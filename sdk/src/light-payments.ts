import type {
  AddPaymentMethodData,
  AddPaymentMethodResponse,
  ConfirmBookingPaymentData,
  ConfirmBookingPaymentResponse,
  ListPaymentMethodsData,
  ListPaymentMethodsResponse,
  SetupPaymentMethodData,
  SetupPaymentMethodResponse,
} from './generated/types.gen.js';
import type { CallOptions } from './call.js';
import type { LightClient } from './light.js';

/** Saved cards and finishing a payment, for a light client (a separate group, so pages that never pay leave it out). */
export function lightPayments(client: LightClient) {
  return {
    /** The signed-in user's saved cards. */
    list: (o?: CallOptions) => client.call<ListPaymentMethodsData, ListPaymentMethodsResponse>('GET', '/v1/me/payment-methods', { auth: true }, o),
    /** Starts saving a card: the processor in use and, for Stripe.js, the SetupIntent's client secret. */
    setup: (o?: CallOptions) => client.call<SetupPaymentMethodData, SetupPaymentMethodResponse>('POST', '/v1/me/payment-methods/setup', { auth: true }, o),
    /** Saves a card (a Stripe PaymentMethod id, or one of Stripe's test ids on the offline processor). */
    add: (body: AddPaymentMethodData['body'], o?: CallOptions) => client.call<AddPaymentMethodData, AddPaymentMethodResponse>('POST', '/v1/me/payment-methods', { body, auth: true }, o),
    /** Finishes a booking's payment that needed the student (3-D Secure), once they completed it, or pays it with another saved card. */
    confirmPayment: ({ booking_id, ...body }: { booking_id: string } & NonNullable<ConfirmBookingPaymentData['body']>, o?: CallOptions) =>
      client.call<ConfirmBookingPaymentData, ConfirmBookingPaymentResponse>('POST', '/v1/bookings/{booking_id}/confirm-payment', { path: { booking_id }, auth: true, ...(body.payment_method_id ? { body } : {}) }, o),
  };
}
