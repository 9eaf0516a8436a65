import type Conf from 'conf';

/** What `instru login` stores in the user's config dir (`$XDG_CONFIG_HOME/instainstru/config.json`). */
export interface StoredSettings {
  apiUrl?: string;
  token?: string;
  apiKey?: string;
  email?: string;
  tokenExpiresAt?: string;
}

export const DEFAULT_API_URL = 'http://127.0.0.1:8000';

/** Opens the settings file; read at each call so XDG_CONFIG_HOME set by a test or a shell applies. */
export async function openSettings(): Promise<Conf<StoredSettings>> {
  const { default: ConfStore } = await import('conf');
  // The file holds credentials: readable by its owner only.
  return new ConfStore<StoredSettings>({ projectName: 'instainstru', projectSuffix: '', configFileMode: 0o600 });
}

/** The settings in effect: INSTRU_API_URL and INSTRU_TOKEN override what is stored. */
export async function effectiveSettings(): Promise<{ apiUrl: string; credential?: string; source: 'env' | 'token' | 'api-key' | 'none'; stored: StoredSettings }> {
  const stored = (await openSettings()).store;
  const apiUrl = process.env.INSTRU_API_URL || stored.apiUrl || DEFAULT_API_URL;
  if (process.env.INSTRU_TOKEN) return { apiUrl, credential: process.env.INSTRU_TOKEN, source: 'env', stored };
  if (stored.apiKey) return { apiUrl, credential: stored.apiKey, source: 'api-key', stored };
  if (stored.token) return { apiUrl, credential: stored.token, source: 'token', stored };
  return { apiUrl, source: 'none', stored };
}
