import { Flags } from '@oclif/core';
import type { LocationType, ServicePatch } from '@instainstru/sdk';
import { listFlag } from './flags.js';
import { parseCurrency, toMinorUnits } from './money.js';
import { CliProblem } from './problem.js';

const LOCATIONS: readonly LocationType[] = ['in_person', 'online', 'student_home'];

/** Flags describing a service, shared by `services add` (skill, rate, durations, locations required) and `services update`. */
export function serviceFlags<R extends boolean>(required: R) {
  return {
    skill: Flags.string({ description: 'What you teach, e.g. Piano.', required }),
    rate: Flags.string({ description: 'Hourly rate in main units of the currency, e.g. 60 or 62.50.', required }),
    currency: Flags.string({ description: 'ISO 4217 currency code, e.g. EUR or GBP [default: EUR when adding].' }),
    durations: listFlag({ description: 'Lesson lengths in minutes, comma-separated, e.g. 30,60,90.', required }),
    locations: listFlag({ description: `Where lessons happen, comma-separated: ${LOCATIONS.join(', ')}.`, required }),
    description: Flags.string({ description: 'Text shown with the service.' }),
  };
}

/** The service fields given as flags, converted to the API's shape (rate in minor units). */
export function serviceChanges(flags: { skill?: string; rate?: string; currency?: string; durations?: string[]; locations?: string[]; description?: string }, currency: string): ServicePatch {
  const invalid = (message: string, hint: string) => new CliProblem('invalid_input', message, hint);
  const hourly_rate = flags.rate === undefined ? undefined : toMinorUnits(flags.rate, currency);
  const durations = flags.durations?.map(Number);
  if (durations?.some((d) => !Number.isInteger(d) || d <= 0)) throw invalid(`--durations "${flags.durations?.join(',')}" are not minutes`, 'Use e.g. --durations 30,60.');
  const bad = flags.locations?.find((l) => !(LOCATIONS as readonly string[]).includes(l));
  if (bad) throw invalid(`Unknown location "${bad}"`, `Use ${LOCATIONS.join(', ')}.`);
  return {
    ...(flags.skill === undefined ? {} : { skill: flags.skill }),
    ...(hourly_rate === undefined ? {} : { hourly_rate }),
    ...(flags.currency === undefined ? {} : { currency: parseCurrency(flags.currency) }),
    ...(durations === undefined ? {} : { durations }),
    ...(flags.locations === undefined ? {} : { location_types: flags.locations as LocationType[] }),
    ...(flags.description === undefined ? {} : { description: flags.description }),
  };
}
