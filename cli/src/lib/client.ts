import { createClient, type InstaInstruClient } from '@instainstru/sdk';
import { CliProblem } from './problem.js';
import { effectiveSettings } from './settings.js';

/** The API's address in effect, for messages. */
export async function apiUrl(): Promise<string> {
  return (await effectiveSettings()).apiUrl;
}

/** A client for the configured API; signed in unless `anonymous`, failing with `not_logged_in` when no credential is stored. */
export async function clientFromSettings(options: { anonymous?: boolean } = {}): Promise<InstaInstruClient> {
  const settings = await effectiveSettings();
  if (options.anonymous) return createClient({ baseUrl: settings.apiUrl });
  if (!settings.credential) throw new CliProblem('not_logged_in', 'You are not logged in', 'Run `instru login` (or set INSTRU_TOKEN).');
  return createClient({ baseUrl: settings.apiUrl, token: settings.credential });
}
