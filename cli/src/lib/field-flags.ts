/**
 * The CLI flag that sets an API field, so an API validation message names what the user typed
 * (`--rate`, not `hourly_rate`). Per command where one field has several flags, else shared.
 */
const SHARED: Record<string, string> = {
  hourly_rate: '--rate',
  currency: '--currency',
  durations: '--durations',
  location_types: '--locations',
  skill: '--skill',
  description: '--description',
  bio: '--bio',
  timezone: '--timezone',
  buffer_minutes: '--buffer',
  min_advance_hours: '--notice',
  service_areas: '--areas',
  published: '--published',
  instructor_id: '--instructor',
  service_id: '--service',
  duration_minutes: '--duration',
  location_type: '--location',
  start_time: '--time',
  date: '--date',
  note: '--note',
  reason: '--reason',
  name: '--name',
  allowed_origins: '--origin',
  email: '--email',
  password: '--password',
  booking_id: 'the booking id',
  key_id: 'the key id',
  instructor: 'the instructor id',
  max_price: '--max-price',
  available_on: '--available-on',
  source_week_start: '--week',
  start_date: '--start',
  end_date: '--until',
};

const PER_COMMAND: Record<string, Record<string, string>> = {
  'availability:copy-week': { source_week_start: '--from', target_week_start: '--to' },
  'instructors:availability': { instructor_id: 'the instructor id', from: '--date', to: '--to', duration_minutes: '--duration' },
  'services:update': { service_id: 'the service id' },
  'services:remove': { service_id: 'the service id' },
  'services:deactivate': { service_id: 'the service id' },
};

/** `/body/hourly_rate` -> `--rate`; unknown fields keep their dotted path. */
export function flagFor(path: string, commandId?: string): string {
  const field = path.replace(/^\/?(params|query|body)\//, '').replaceAll('/', '.');
  const top = field.split('.')[0]!;
  return (commandId ? PER_COMMAND[commandId]?.[top] : undefined) ?? SHARED[top] ?? field;
}
