import type {
  AddPaymentMethodData,
  AddPaymentMethodResponse,
  AdvanceTestClockData,
  AdvanceTestClockResponse,
  ConfirmBookingPaymentData,
  ConfirmBookingPaymentResponse,
  DeletePaymentMethodData,
  DeletePaymentMethodResponse,
  ListPaymentMethodsData,
  ListPaymentMethodsResponse,
  RefundBookingData,
  RefundBookingResponse,
  SetupPaymentMethodData,
  SetupPaymentMethodResponse,
} from '../generated/types.gen.js';
import type { CallOptions, Context, Params } from '../call.js';

/** The signed-in user's saved cards (bookings of paid lessons use the default one). */
export function paymentMethodsMethods({ call }: Context) {
  return {
    /** A SetupIntent's client secret for saving a card in the browser (Stripe.js), and the processor in use. */
    setup: (options?: CallOptions) => call<SetupPaymentMethodData, SetupPaymentMethodResponse>('POST', '/v1/me/payment-methods/setup', {}, options),
    /** The saved cards. */
    list: (options?: CallOptions) => call<ListPaymentMethodsData, ListPaymentMethodsResponse>('GET', '/v1/me/payment-methods', {}, options),
    /** Saves a card: a Stripe PaymentMethod id, or a Stripe test id (`pm_card_visa`) on the offline processor. */
    add: (body: Params<AddPaymentMethodData>, options?: CallOptions) => call<AddPaymentMethodData, AddPaymentMethodResponse>('POST', '/v1/me/payment-methods', { body }, options),
    /** Removes a saved card. */
    remove: ({ payment_method_id }: Params<DeletePaymentMethodData>, options?: CallOptions) => call<DeletePaymentMethodData, DeletePaymentMethodResponse>('DELETE', '/v1/me/payment-methods/{payment_method_id}', { path: { payment_method_id } }, options),
  };
}

/** A booking's payment actions: the student's confirmation (3-D Secure, another card) and an admin's refund. */
export function paymentActions({ call }: Context) {
  return {
    /** Student: finishes a payment in `requires_action`, optionally with another saved card. */
    confirmPayment: ({ booking_id, ...body }: Params<ConfirmBookingPaymentData>, options?: CallOptions) =>
      call<ConfirmBookingPaymentData, ConfirmBookingPaymentResponse>('POST', '/v1/bookings/{booking_id}/confirm-payment', { path: { booking_id }, ...(Object.keys(body).length > 0 ? { body } : {}) }, options),
    /** Admin: refunds `amount` of the captured money, or all that is left. */
    refund: ({ booking_id, ...body }: Params<RefundBookingData>, options?: CallOptions) =>
      call<RefundBookingData, RefundBookingResponse>('POST', '/v1/bookings/{booking_id}/refund', { path: { booking_id }, ...(Object.keys(body).length > 0 ? { body } : {}) }, options),
  };
}

/** Outside production: an admin moves the platform's clock forward and due jobs run. */
export function testClockMethods({ call }: Context) {
  return {
    advance: (body: Params<AdvanceTestClockData>, options?: CallOptions) => call<AdvanceTestClockData, AdvanceTestClockResponse>('POST', '/v1/admin/test-clock', { body }, options),
  };
}
