import { InstaInstruError } from '@instainstru/sdk';
import { InstruCommand } from '../lib/base-command.js';
import { errorLine } from '../lib/error-line.js';
import { EXIT } from '../lib/exit-codes.js';
import { localInstant } from '../lib/local-time.js';
import { effectiveSettings } from '../lib/settings.js';
import { details } from '../lib/table.js';

export default class Status extends InstruCommand {
  static override summary = 'Check the API, who you are logged in as, and when your session expires.';
  static override description = 'Exits 1 when the API cannot be reached, 4 when the stored login no longer works.';
  static override examples = ['<%= config.bin %> status', '<%= config.bin %> status --profile student --json'];

  async run() {
    await this.parse(Status);
    const settings = await effectiveSettings();
    const started = Date.now();
    const api: { url: string; reachable: boolean; ms?: number; error?: string } = await (await this.anonymousClient()).health.check().then(
      () => ({ url: settings.apiUrl, reachable: true, ms: Date.now() - started }),
      (error: unknown) => ({ url: settings.apiUrl, reachable: false, error: errorLine(error)?.line ?? String(error) }),
    );
    let user: { email: string; full_name: string; role: string } | undefined;
    let loginError: string | undefined;
    if (api.reachable && settings.credential) {
      user = await (await this.client()).me.get().catch((error: unknown) => {
        loginError = errorLine(error)?.line ?? String(error);
        if (!(error instanceof InstaInstruError && error.status === 401)) throw error;
        return undefined;
      });
    }
    const credential = { env: 'INSTRU_TOKEN', token: 'session', 'api-key': 'API key', none: 'none' }[settings.source];
    const stored = await effectiveSettings();
    const expiry = settings.source === 'token' ? stored.stored.tokenExpiresAt : undefined;
    const renewUntil = settings.source === 'token' ? stored.stored.refreshExpiresAt : undefined;
    const loggedIn = user ? `${user.full_name} <${user.email}> (${user.role})` : settings.credential ? (loginError ?? 'unknown (API unreachable)') : 'not logged in';
    this.log(
      details([
        ['API', api.reachable ? `${api.url} reachable (${api.ms} ms)` : `${api.url} NOT reachable: ${api.error}`],
        ['Profile', settings.profile],
        ['Logged in as', loggedIn],
        ['Credential', credential],
        ...(expiry ? ([['Access token', `expires ${localInstant(expiry)}${stored.stored.refreshToken ? ' (renewed by itself)' : ''}`]] as [string, string][]) : []),
        ...(renewUntil ? ([['Session', `can be renewed until ${localInstant(renewUntil)}`]] as [string, string][]) : []),
      ]),
    );
    if (!api.reachable) process.exitCode = EXIT.failed;
    else if (settings.credential && !user) process.exitCode = EXIT.auth;
    return { api, profile: settings.profile, credential: settings.source, user: user ?? null, token_expires_at: expiry ?? null, session_renewable_until: renewUntil ?? null };
  }
}
