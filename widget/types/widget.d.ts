// Types of @instainstru/widget (hand-written; copied to dist/widget.d.ts by the build). Importing the
// package defines <instainstru-booking> and the global InstaInstru(); it exports nothing.

/** The booking as the `instainstru:booked` event carries it (the API's Booking; see the SDK for all fields). */
export interface InstaInstruBooking {
  id: string;
  status: 'pending' | 'confirmed' | 'completed' | 'cancelled' | 'no_show';
  start_at: string;
  end_at: string;
  payment_status: string;
  [field: string]: unknown;
}

export interface InstaInstruEvents {
  ready: { instructor: { id: string; full_name: string } };
  booked: { booking: InstaInstruBooking };
  error: { code: string };
}

/** `open` takes the element's attributes in camelCase. */
export interface InstaInstruOpenOptions {
  instructor: string;
  publishableKey?: string;
  service?: string;
  duration?: number | string;
  theme?: 'light' | 'dark';
  locale?: string;
  api?: string;
}

export interface InstaInstruGlobal {
  (command: 'open', options: InstaInstruOpenOptions): void;
  <E extends keyof InstaInstruEvents>(command: 'on', event: E, handler: (detail: InstaInstruEvents[E]) => void): void;
}

declare global {
  interface Window {
    InstaInstru: InstaInstruGlobal;
  }
  interface HTMLElementTagNameMap {
    'instainstru-booking': HTMLElement;
  }
  interface HTMLElementEventMap {
    'instainstru:ready': CustomEvent<InstaInstruEvents['ready']>;
    'instainstru:booked': CustomEvent<InstaInstruEvents['booked']>;
    'instainstru:error': CustomEvent<InstaInstruEvents['error']>;
  }
}
