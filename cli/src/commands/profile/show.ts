import { InstruCommand } from '../../lib/base-command.js';
import { profileDetails } from '../../lib/describe.js';

export default class ProfileShow extends InstruCommand {
  static override summary = 'Show your instructor profile and booking settings.';
  static override examples = ['<%= config.bin %> profile show', '<%= config.bin %> profile show --json'];

  async run() {
    await this.parse(ProfileShow);
    const profile = await (await this.client()).profile.get();
    this.log(profileDetails(profile));
    return profile;
  }
}
