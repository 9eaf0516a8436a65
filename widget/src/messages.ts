// Every error code the widget can meet, in plain words with what to do next.
const NEAREST = ' Here are the nearest free times:';
const TAKEN = `Someone else just booked this time.${NEAREST}`;
const AGAIN = 'Your session has ended. Sign in again.';
const GONE = 'This lesson, length or place is no longer offered. Choose again.';
const MESSAGES: Record<string, string> = {
  instructor_conflict: TAKEN,
  outside_availability: TAKEN,
  blackout: `The instructor is not teaching that day any more.${NEAREST}`,
  student_conflict: 'You already have a lesson at this time. Pick another time:',
  too_soon: `This time is now too close to book.${NEAREST}`,
  in_past: `This time has passed.${NEAREST}`,
  invalid_duration: GONE,
  invalid_location_type: GONE,
  service_inactive: GONE,
  too_many_bookings: 'You already hold the most lessons allowed with this instructor. Cancel or finish one first.',
  cannot_book_self: 'You cannot book a lesson with yourself. Sign in as a student.',
  invalid_credentials: 'That email and password do not match. Check them, or create an account.',
  email_taken: 'An account with this email exists already. Sign in instead.',
  weak_password: 'Choose a longer or less common password (at least 10 characters).',
  validation_error: 'Some details are missing or not valid. Check the fields and try again.',
  unauthenticated: AGAIN,
  token_expired: AGAIN,
  forbidden: 'This account cannot book lessons. Sign in with a student account.',
  origin_not_allowed: 'Booking is not enabled for this website. Please tell the site owner.',
  not_found: 'This instructor or lesson is not available for booking any more.',
  rate_limited: 'Too many tries in a short time. Wait a minute, then try again.',
  connection_error: 'We cannot reach the booking service. Check your connection and try again.',
  timeout: 'The booking service is taking too long. Try again in a moment.',
};

/** Adds the sentences of a step loaded later (the pay step brings the card and payment errors, invalid_transition among them). */
export const addMessages = (more: Record<string, string>) => void Object.assign(MESSAGES, more);

/** The sentence shown for an error code. */
export function messageFor(code: string): string {
  return MESSAGES[code] ?? 'Something went wrong on our side. Try again in a moment.';
}

/** Codes after which the widget re-offers the nearest free times. */
export const REOFFER = new Set(['instructor_conflict', 'outside_availability', 'blackout', 'student_conflict', 'too_soon', 'in_past']);
