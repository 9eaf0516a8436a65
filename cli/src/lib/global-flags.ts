import { Flags } from '@oclif/core';

/** Seconds, e.g. `--timeout 60` or `--timeout 2.5`. */
const secondsFlag = Flags.custom<number>({
  helpValue: 'SECONDS',
  async parse(input) {
    const seconds = Number(input);
    if (input.trim() === '' || !Number.isFinite(seconds) || seconds <= 0) throw new Error(`"${input}" is not a number of seconds (e.g. 30)`);
    return seconds;
  },
});

/** Flags every command takes (oclif shows them under GLOBAL FLAGS). */
export const globalFlags = {
  profile: Flags.string({ description: 'Saved login to use (`instru login --profile NAME`).', env: 'INSTRU_PROFILE', helpGroup: 'GLOBAL', helpValue: 'NAME' }),
  timeout: secondsFlag({ description: 'Seconds to wait for each API call [default: 30].', env: 'INSTRU_TIMEOUT', helpGroup: 'GLOBAL' }),
};

export const DEFAULT_TIMEOUT_SECONDS = 30;
