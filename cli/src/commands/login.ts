import { Flags } from '@oclif/core';
import { createClient, type SessionTokens } from '@instainstru/sdk';
import { InstruCommand } from '../lib/base-command.js';
import { valueOrPrompt } from '../lib/ask.js';
import { clientBasics } from '../lib/client.js';
import { CliProblem } from '../lib/problem.js';
import { effectiveSettings, openSettings, parseApiUrl, type ProfileSettings } from '../lib/settings.js';
import { readStdin } from '../lib/stdin.js';

export default class Login extends InstruCommand {
  static override summary = 'Log in with your email and password, a secret API key, or a token from stdin.';
  static override description =
    'Stores the session (or API key) and the API URL under the profile (`default` unless --profile), in the file `instru config path` shows. The session renews itself; `instru logout` ends it. In a terminal, missing email and password are asked for; in scripts pass them as flags, or pipe a token or API key into --with-token.';
  static override examples = [
    '<%= config.bin %> login',
    '<%= config.bin %> login --email anna@demo.instainstru.dev --password "$INSTRU_PASSWORD"',
    '<%= config.bin %> login --profile student --email student@demo.instainstru.dev',
    'echo "$INSTRU_API_KEY" | <%= config.bin %> login --with-token',
    '<%= config.bin %> login --api-key ii_live_... --api-url https://api.instainstru.dev',
  ];
  static override flags = {
    email: Flags.string({ description: 'Account email.' }),
    password: Flags.string({ description: 'Account password (prefer the prompt: flags end up in shell history).' }),
    'api-key': Flags.string({ description: 'A secret API key (ii_live_...) instead of email and password.', exclusive: ['email', 'password', 'with-token'] }),
    'with-token': Flags.boolean({ description: 'Read an access token or secret API key from stdin.', exclusive: ['email', 'password'] }),
    'api-url': Flags.string({ description: 'The API to use from now on (default: the stored one, else http://127.0.0.1:8000).' }),
  };

  async run() {
    const { flags } = await this.parse(Login);
    const settings = await openSettings();
    const given = flags['api-url'] === undefined ? undefined : parseApiUrl(flags['api-url'], '--api-url');
    const baseUrl = given ?? (await effectiveSettings()).apiUrl;
    let secret = flags['api-key'];
    if (flags['with-token']) {
      secret = await readStdin('--with-token');
      if (!secret) throw new CliProblem('missing_input', 'stdin was empty', 'Pipe a token or API key into --with-token.');
    }
    let stored: ProfileSettings;
    const client = createClient({ ...clientBasics(baseUrl), ...(secret ? { token: secret } : {}) });
    if (secret) {
      stored = secret.startsWith('ii_live_') ? { apiKey: secret } : { token: secret };
    } else {
      const email = await valueOrPrompt(flags.email, 'email', 'Email');
      const password = await valueOrPrompt(flags.password, 'password', 'Password', true);
      await client.auth.login({ email, password });
      stored = sessionSettings(client.auth.session()!);
    }
    const user = await client.me.get();
    settings.delete('token', 'apiKey', 'refreshToken', 'tokenExpiresAt', 'refreshExpiresAt');
    settings.set({ ...stored, email: user.email, ...(given ? { apiUrl: given } : {}) });
    const profile = settings.name === 'default' ? '' : ` (profile ${settings.name})`;
    this.log(`Logged in to ${baseUrl} as ${user.full_name} <${user.email}> (${user.role})${profile}.`);
    return { user, api_url: baseUrl, profile: settings.name, credential: stored.apiKey ? 'api-key' : 'token', config_path: settings.path };
  }
}

function sessionSettings(tokens: SessionTokens): ProfileSettings {
  return {
    token: tokens.accessToken,
    ...(tokens.refreshToken ? { refreshToken: tokens.refreshToken } : {}),
    ...(tokens.accessTokenExpiresAt ? { tokenExpiresAt: tokens.accessTokenExpiresAt.toISOString() } : {}),
    ...(tokens.refreshTokenExpiresAt ? { refreshExpiresAt: tokens.refreshTokenExpiresAt.toISOString() } : {}),
  };
}
