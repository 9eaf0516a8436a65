import { createClient } from '@instainstru/sdk';
import { InstruCommand } from '../lib/base-command.js';
import { clientBasics } from '../lib/client.js';
import { errorLine } from '../lib/error-line.js';
import { effectiveSettings, openSettings } from '../lib/settings.js';

export default class Logout extends InstruCommand {
  static override summary = "End the session at the API and forget the profile's token or API key (the API URL stays).";
  static override examples = ['<%= config.bin %> logout', '<%= config.bin %> logout --profile student'];

  async run() {
    await this.parse(Logout);
    const settings = await openSettings();
    const { apiUrl, stored } = await effectiveSettings();
    const had = Boolean(stored.token || stored.apiKey);
    let warning: string | undefined;
    if (stored.refreshToken) {
      // The refresh token stops working at the API; the local copy is forgotten either way.
      const client = createClient({ ...clientBasics(apiUrl), token: stored.token, refreshToken: stored.refreshToken });
      await client.auth.logout().catch((error: unknown) => {
        warning = `Warning: the API did not confirm the logout: ${errorLine(error)?.line ?? String(error)}`;
      });
    }
    settings.delete('token', 'apiKey', 'refreshToken', 'tokenExpiresAt', 'refreshExpiresAt', 'email');
    if (warning) process.stderr.write(`${warning}\n`);
    this.log(had ? 'Logged out.' : 'You were not logged in.');
    return { logged_out: had };
  }
}
