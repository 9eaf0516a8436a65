import { InstruCommand } from '../lib/base-command.js';
import { effectiveSettings } from '../lib/settings.js';
import { details } from '../lib/table.js';

export default class Whoami extends InstruCommand {
  static override summary = 'Show who you are logged in as, and where.';
  static override examples = ['<%= config.bin %> whoami', '<%= config.bin %> whoami --json'];

  async run() {
    await this.parse(Whoami);
    const settings = await effectiveSettings();
    const user = await (await this.client()).me.get();
    const credential = { env: 'INSTRU_TOKEN', token: 'access token', 'api-key': 'API key', none: 'none' }[settings.source];
    this.log(
      details([
        ['Name', user.full_name],
        ['Email', user.email],
        ['Role', user.role],
        ['Timezone', user.timezone],
        ['API', settings.apiUrl],
        ['Signed in with', credential],
      ]),
    );
    return { user, api_url: settings.apiUrl, credential: settings.source };
  }
}
