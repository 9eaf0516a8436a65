import { InstruCommand } from '../lib/base-command.js';
import { openSettings } from '../lib/settings.js';

export default class Logout extends InstruCommand {
  static override summary = 'Forget the stored token or API key (the API URL stays).';
  static override examples = ['<%= config.bin %> logout'];

  async run() {
    await this.parse(Logout);
    const settings = await openSettings();
    const had = Boolean(settings.get('token') || settings.get('apiKey'));
    for (const key of ['token', 'apiKey', 'tokenExpiresAt', 'email'] as const) settings.delete(key);
    this.log(had ? 'Logged out.' : 'You were not logged in.');
    return { logged_out: had };
  }
}
