import * as api from '../generated/sdk.gen.js';
import type { AddPaymentMethodData, AdvanceTestClockData, ConfirmBookingPaymentData, DeletePaymentMethodData, RefundBookingData } from '../generated/types.gen.js';
import type { CallOptions, Context, Params } from '../call.js';

/** The signed-in user's saved cards (bookings of paid lessons use the default one). */
export function paymentMethodsMethods({ client, send }: Context) {
  return {
    /** A SetupIntent's client secret for saving a card in the browser (Stripe.js), and the processor in use. */
    setup: (options?: CallOptions) => send(options, (o) => api.setupPaymentMethod({ client, ...o })),
    /** The saved cards. */
    list: (options?: CallOptions) => send(options, (o) => api.listPaymentMethods({ client, ...o })),
    /** Saves a card: a Stripe PaymentMethod id, or a Stripe test id (`pm_card_visa`) on the offline processor. */
    add: (body: Params<AddPaymentMethodData>, options?: CallOptions) => send(options, (o) => api.addPaymentMethod({ client, body, ...o })),
    /** Removes a saved card. */
    remove: ({ payment_method_id }: Params<DeletePaymentMethodData>, options?: CallOptions) => send(options, (o) => api.deletePaymentMethod({ client, path: { payment_method_id }, ...o })),
  };
}

/** A booking's payment actions: the student's confirmation (3-D Secure, another card) and an admin's refund. */
export function paymentActions({ client, send }: Context) {
  return {
    /** Student: finishes a payment in `requires_action`, optionally with another saved card. */
    confirmPayment: ({ booking_id, ...body }: Params<ConfirmBookingPaymentData>, options?: CallOptions) =>
      send(options, (o) => api.confirmBookingPayment({ client, path: { booking_id }, ...(Object.keys(body).length > 0 ? { body } : {}), ...o })),
    /** Admin: refunds `amount` of the captured money, or all that is left. */
    refund: ({ booking_id, ...body }: Params<RefundBookingData>, options?: CallOptions) =>
      send(options, (o) => api.refundBooking({ client, path: { booking_id }, ...(Object.keys(body).length > 0 ? { body } : {}), ...o })),
  };
}

/** Outside production: an admin moves the platform's clock forward and due jobs run. */
export function testClockMethods({ client, send }: Context) {
  return {
    advance: (body: Params<AdvanceTestClockData>, options?: CallOptions) => send(options, (o) => api.advanceTestClock({ client, body, ...o })),
  };
}
