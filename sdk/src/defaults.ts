/** Milliseconds a call may take, retries included, unless the client or the call says otherwise. */
export const DEFAULT_TIMEOUT_MS = 30_000;
