import { Flags } from '@oclif/core';
import { createClient } from '@instainstru/sdk';
import { InstruCommand } from '../lib/base-command.js';
import { valueOrPrompt } from '../lib/ask.js';
import { effectiveSettings, openSettings } from '../lib/settings.js';

export default class Login extends InstruCommand {
  static override summary = 'Log in with your email and password, or with a secret API key.';
  static override description =
    'Stores the access token (or API key) and the API URL in your config dir ($XDG_CONFIG_HOME/instainstru). In a terminal, missing email and password are asked for; in scripts pass them as flags or use --api-key.';
  static override examples = [
    '<%= config.bin %> login',
    '<%= config.bin %> login --email anna@demo.instainstru.dev --password "$INSTRU_PASSWORD"',
    '<%= config.bin %> login --api-key ii_live_... --api-url https://api.instainstru.dev',
  ];
  static override flags = {
    email: Flags.string({ description: 'Account email.' }),
    password: Flags.string({ description: 'Account password (prefer the prompt: flags end up in shell history).' }),
    'api-key': Flags.string({ description: 'A secret API key (ii_live_...) instead of email and password.', exclusive: ['email', 'password'] }),
    'api-url': Flags.string({ description: 'The API to use from now on (default: the stored one, else http://127.0.0.1:8000).' }),
  };

  async run() {
    const { flags } = await this.parse(Login);
    const settings = await openSettings();
    const baseUrl = flags['api-url'] ?? (await effectiveSettings()).apiUrl;
    const client = createClient({ baseUrl, ...(flags['api-key'] ? { apiKey: flags['api-key'] } : {}) });
    let stored: { token?: string; apiKey?: string; tokenExpiresAt?: string };
    if (flags['api-key']) {
      stored = { apiKey: flags['api-key'] };
    } else {
      const email = await valueOrPrompt(flags.email, 'email', 'Email');
      const password = await valueOrPrompt(flags.password, 'password', 'Password', true);
      const result = await client.auth.login({ email, password });
      stored = { token: result.access_token, tokenExpiresAt: new Date(Date.now() + result.expires_in * 1000).toISOString() };
      client.setToken(result.access_token);
    }
    const user = await client.me.get();
    settings.delete('token');
    settings.delete('apiKey');
    settings.delete('tokenExpiresAt');
    settings.set({ ...stored, email: user.email, ...(flags['api-url'] ? { apiUrl: flags['api-url'] } : {}) });
    this.log(`Logged in to ${baseUrl} as ${user.full_name} <${user.email}> (${user.role}).`);
    return { user, api_url: baseUrl, credential: flags['api-key'] ? 'api-key' : 'token', config_path: settings.path };
  }
}
