import { InstruCommand } from '../../lib/base-command.js';
import { openSettings } from '../../lib/settings.js';

export default class ConfigPath extends InstruCommand {
  static override summary = 'Show where the CLI keeps its settings and logins.';
  static override description =
    'One file for every profile, readable by you only: $XDG_CONFIG_HOME/instainstru/config.json (default ~/.config/instainstru/) on Linux and macOS, %LOCALAPPDATA%\\instainstru\\config.json on Windows; INSTRU_CONFIG_DIR moves it.';
  static override examples = ['<%= config.bin %> config path'];

  async run() {
    await this.parse(ConfigPath);
    const settings = await openSettings();
    this.log(settings.path);
    return { path: settings.path, profile: settings.name };
  }
}
