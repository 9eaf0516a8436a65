import { Flags } from '@oclif/core';
import { InstruCommand } from '../../lib/base-command.js';
import { profileDetails } from '../../lib/describe.js';
import { listFlag } from '../../lib/flags.js';
import { CliProblem } from '../../lib/problem.js';

export default class ProfileSet extends InstruCommand {
  static override summary = 'Change your profile; flags you leave out keep their values.';
  static override examples = [
    '<%= config.bin %> profile set --bio "Jazz piano for adults" --timezone Europe/Berlin',
    '<%= config.bin %> profile set --buffer 15 --notice 12 --areas Berlin,Potsdam --published',
    '<%= config.bin %> profile set --no-published',
  ];
  static override flags = {
    bio: Flags.string({ description: 'Text shown to students.' }),
    timezone: Flags.string({ description: 'IANA timezone your availability is in, e.g. Europe/Berlin.' }),
    buffer: Flags.integer({ description: 'Minutes kept free between lessons.', min: 0 }),
    notice: Flags.integer({ description: 'Minimum advance notice for a booking, in hours.', min: 0 }),
    areas: listFlag({ description: 'Service areas, comma-separated (used by search).' }),
    published: Flags.boolean({ description: 'Show you in search (needs an active service).', allowNo: true }),
  };

  async run() {
    const { flags } = await this.parse(ProfileSet);
    const changes = {
      ...(flags.bio === undefined ? {} : { bio: flags.bio }),
      ...(flags.timezone === undefined ? {} : { timezone: flags.timezone }),
      ...(flags.buffer === undefined ? {} : { buffer_minutes: flags.buffer }),
      ...(flags.notice === undefined ? {} : { min_advance_hours: flags.notice }),
      ...(flags.areas === undefined ? {} : { service_areas: flags.areas }),
      ...(flags.published === undefined ? {} : { published: flags.published }),
    };
    if (Object.keys(changes).length === 0) throw new CliProblem('missing_input', 'Nothing to change', 'Pass at least one flag, e.g. --bio or --published.');
    const profile = await (await this.client()).profile.update(changes);
    this.log(profileDetails(profile));
    return profile;
  }
}
