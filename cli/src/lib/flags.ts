import { Flags } from '@oclif/core';
import { isDate, mondayOf } from './dates.js';
import { CliProblem } from './problem.js';

/** A `YYYY-MM-DD` date flag. */
export const dateFlag = Flags.custom<string>({
  helpValue: 'YYYY-MM-DD',
  async parse(input) {
    if (!isDate(input)) throw new Error(`"${input}" is not a date like 2026-07-15`);
    return input;
  },
});

/** A `YYYY-MM-DD` argument that is not a date (oclif checks flags, not arguments): one line with the code and an example of the command. */
export function invalidDateArg(input: string, example: string): CliProblem {
  return new CliProblem('invalid_input', `"${input}" is not a date like 2026-07-15`, `Write it as YYYY-MM-DD, e.g. \`${example}\`.`);
}

/** A Monday (start of a week) flag. */
export const mondayFlag = Flags.custom<string>({
  helpValue: 'YYYY-MM-DD',
  async parse(input) {
    if (!isDate(input)) throw new Error(`"${input}" is not a date like 2026-07-13`);
    if (mondayOf(input) !== input) throw new Error(`${input} is not a Monday (weeks start on Monday; try ${mondayOf(input)})`);
    return input;
  },
});

/** A local time `HH:MM` flag. */
export const timeFlag = Flags.custom<string>({
  helpValue: 'HH:MM',
  async parse(input) {
    if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(input)) throw new Error(`"${input}" is not a time like 09:30`);
    return input;
  },
});

/** A comma-separated list flag (`--areas Berlin,Potsdam`), also repeatable. */
export const listFlag = Flags.custom<string[]>({
  helpValue: 'a,b',
  async parse(input) {
    return input.split(',').map((s) => s.trim()).filter(Boolean);
  },
});

