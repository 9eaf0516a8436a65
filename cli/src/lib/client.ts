import { createClient, type InstaInstruClient } from '@instainstru/sdk';
import { activityHooks } from './activity.js';
import { DEFAULT_TIMEOUT_SECONDS } from './global-flags.js';
import { CliProblem } from './problem.js';
import { effectiveSettings, openSettings } from './settings.js';

let timeoutSeconds = DEFAULT_TIMEOUT_SECONDS;

/** The per-call timeout from --timeout / INSTRU_TIMEOUT. */
export function useTimeout(seconds: number | undefined): void {
  timeoutSeconds = seconds ?? DEFAULT_TIMEOUT_SECONDS;
}

/** Options every client of the CLI shares: the API, the timeout, the spinner. */
export function clientBasics(baseUrl: string) {
  return { baseUrl, timeout: timeoutSeconds * 1000, hooks: activityHooks() };
}

/**
 * A client for the configured API; signed in unless `anonymous`, failing with `not_logged_in`
 * when no credential is stored. A stored session refreshes by itself and saves the new tokens.
 */
export async function clientFromSettings(options: { anonymous?: boolean } = {}): Promise<InstaInstruClient> {
  const settings = await effectiveSettings();
  const basics = clientBasics(settings.apiUrl);
  if (options.anonymous) return createClient(basics);
  if (!settings.credential) throw new CliProblem('not_logged_in', 'You are not logged in', `Run \`instru login${settings.profile === 'default' ? '' : ` --profile ${settings.profile}`}\` (or set INSTRU_TOKEN).`);
  if (settings.source !== 'token') return createClient({ ...basics, token: settings.credential });
  const store = await openSettings();
  return createClient({
    ...basics,
    token: settings.credential,
    refreshToken: settings.stored.refreshToken,
    tokenExpiresAt: settings.stored.tokenExpiresAt,
    onTokens: (tokens) =>
      store.set({
        token: tokens.accessToken,
        ...(tokens.refreshToken ? { refreshToken: tokens.refreshToken } : {}),
        ...(tokens.accessTokenExpiresAt ? { tokenExpiresAt: tokens.accessTokenExpiresAt.toISOString() } : {}),
        ...(tokens.refreshTokenExpiresAt ? { refreshExpiresAt: tokens.refreshTokenExpiresAt.toISOString() } : {}),
      }),
  });
}
