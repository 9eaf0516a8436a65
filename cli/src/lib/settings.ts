import type Conf from 'conf';
import { CliProblem } from './problem.js';

/** What `instru login` stores per profile. */
export interface ProfileSettings {
  apiUrl?: string;
  token?: string;
  refreshToken?: string;
  apiKey?: string;
  email?: string;
  tokenExpiresAt?: string;
  refreshExpiresAt?: string;
}

/** The settings file: one entry per profile (`default` unless `--profile`/`INSTRU_PROFILE` names another). */
interface StoredFile {
  profiles?: Record<string, ProfileSettings>;
}

export const DEFAULT_API_URL = 'http://127.0.0.1:8000';
const PROFILE_NAME = /^[A-Za-z0-9_-]{1,40}$/;

/** Where the settings live and which profile is in use; set by the command base class before anything runs. */
const context: { configDir?: string; profile?: string } = {};

export function useSettingsContext(options: { configDir: string; profile?: string | undefined }): void {
  context.configDir = options.configDir;
  context.profile = options.profile;
}

/** The profile in effect: --profile, else INSTRU_PROFILE, else `default`. */
export function profileName(): string {
  const name = context.profile || process.env.INSTRU_PROFILE || 'default';
  if (!PROFILE_NAME.test(name)) throw new CliProblem('invalid_input', `"${name}" is not a profile name`, 'Use letters, digits, - and _ (e.g. --profile student).');
  return name;
}

async function openFile(): Promise<Conf<StoredFile>> {
  const { default: ConfStore } = await import('conf');
  // oclif's config dir: $XDG_CONFIG_HOME/instainstru (or ~/.config/instainstru) on Linux and macOS,
  // %LOCALAPPDATA%\instainstru on Windows, INSTRU_CONFIG_DIR anywhere; the file holds credentials: owner-only.
  return new ConfStore<StoredFile>({ projectName: 'instainstru', projectSuffix: '', configFileMode: 0o600, ...(context.configDir ? { cwd: context.configDir } : {}) });
}

/** The profile's stored settings, to read and change. */
export async function openSettings() {
  const file = await openFile();
  const name = profileName();
  const read = (): ProfileSettings => file.get('profiles')?.[name] ?? {};
  const write = (next: ProfileSettings) => file.set('profiles', { ...file.get('profiles'), [name]: next });
  return {
    name,
    path: file.path,
    get store(): ProfileSettings {
      return read();
    },
    get<K extends keyof ProfileSettings>(key: K): ProfileSettings[K] {
      return read()[key];
    },
    set(patch: ProfileSettings): void {
      write({ ...read(), ...patch });
    },
    delete(...keys: (keyof ProfileSettings)[]): void {
      const next = { ...read() };
      for (const key of keys) delete next[key];
      write(next);
    },
  };
}

export type Settings = Awaited<ReturnType<typeof openSettings>>;

/** The settings in effect: INSTRU_API_URL and INSTRU_TOKEN override what the profile stores. */
export async function effectiveSettings(): Promise<{ apiUrl: string; credential?: string; source: 'env' | 'token' | 'api-key' | 'none'; stored: ProfileSettings; profile: string; path: string }> {
  const settings = await openSettings();
  const stored = settings.store;
  const base = { apiUrl: process.env.INSTRU_API_URL || stored.apiUrl || DEFAULT_API_URL, stored, profile: settings.name, path: settings.path };
  if (process.env.INSTRU_TOKEN) return { ...base, credential: process.env.INSTRU_TOKEN, source: 'env' };
  if (stored.apiKey) return { ...base, credential: stored.apiKey, source: 'api-key' };
  if (stored.token) return { ...base, credential: stored.token, source: 'token' };
  return { ...base, source: 'none' };
}

/** An API URL typed by a person, checked and normalized (no trailing slash). */
export function parseApiUrl(value: string, flag: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) {
    const guess = /^[\w.-]+(:\d+)?(\/.*)?$/.test(value) ? ` (did you mean http://${value}?)` : '';
    throw new CliProblem('invalid_input', `${flag} "${value}" is not an http(s) URL${guess}`, `Use e.g. ${flag} http://127.0.0.1:8000.`);
  }
  return url.toString().replace(/\/+$/, '');
}
