import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerUser } from '../../api/test/harness.js';
import { instru, instruJson, loginAs, startCliTestApp } from './helpers.js';

let env: Awaited<ReturnType<typeof startCliTestApp>>;
beforeAll(async () => {
  env = await startCliTestApp();
  const teacher = await registerUser(env.app, 'instructor', { timezone: 'Europe/Berlin' });
  await loginAs(teacher.email);
});
afterAll(async () => {
  await env?.close();
});

// The harness clock stands at Wednesday 2026-07-01; 2026-07-06 and 2026-07-13 are Mondays.
describe('an instructor sets up teaching from the terminal', () => {
  it('sets and shows the profile', async () => {
    const set = await instru('profile', 'set', '--bio', 'Jazz piano', '--timezone', 'Europe/Berlin', '--buffer', '15', '--notice', '12', '--areas', 'Berlin, Potsdam');
    expect(set.exitCode).toBe(0);
    expect(set.stdout).toMatch(/Buffer:\s+15 min/);
    const profile = await instruJson('profile', 'show');
    expect(profile).toMatchObject({ bio: 'Jazz piano', buffer_minutes: 15, min_advance_hours: 12, service_areas: ['Berlin', 'Potsdam'], published: false });
    expect((await instru('profile', 'show')).stdout).toMatch(/Areas:\s+Berlin, Potsdam/);
    expect((await instru('profile', 'set')).stderr).toBe('Error: Nothing to change (missing_input) Pass at least one flag, e.g. --bio or --published.\n');
  });

  it('adds, lists, updates and deactivates services (rates in main units)', async () => {
    const added = await instruJson('services', 'add', '--skill', 'Piano', '--rate', '62.50', '--durations', '30,60', '--locations', 'in_person,online');
    expect(added).toMatchObject({ skill: 'Piano', hourly_rate: 6250, currency: 'EUR', durations: [30, 60], location_types: ['in_person', 'online'], active: true });
    const list = await instru('services', 'list', '--output', 'table');
    expect(list.stdout).toMatch(/^ID\s+SKILL\s+RATE\/H\s+DURATIONS\s+LOCATIONS\s+ACTIVE$/m);
    expect(list.stdout).toMatch(new RegExp(`^${added.id}\\s+Piano\\s+EUR 62\\.50\\s+30,60\\s+in_person,online\\s+yes$`, 'm'));
    expect((await instruJson('services', 'update', added.id, '--rate', '70')).hourly_rate).toBe(7000);
    expect((await instruJson('services', 'deactivate', added.id)).active).toBe(false);
    expect((await instruJson('services', 'update', added.id, '--active')).active).toBe(true);
    const bad = await instru('services', 'add', '--skill', 'Yoga', '--rate', '40', '--durations', '60', '--locations', 'beach');
    expect(bad.stderr).toBe('Error: Unknown location "beach" (invalid_input) Use in_person, online, student_home.\n');
    expect((await instru('profile', 'set', '--published')).exitCode).toBe(0);
  });

  it('checks money flags against the currency: decimals it has, ISO 4217 codes', async () => {
    const base = ['services', 'add', '--skill', 'Cello', '--durations', '60', '--locations', 'online'];
    expect(await instru(...base, '--rate', '62.505')).toMatchObject({ exitCode: 2, stderr: 'Error: --rate "62.505" has more decimals than EUR has (at most 2 decimals) (invalid_input) Use e.g. --rate 62.50.\n' });
    expect(await instru(...base, '--rate', '5000.5', '--currency', 'JPY')).toMatchObject({ exitCode: 2, stderr: 'Error: --rate "5000.5" has more decimals than JPY has (no decimals) (invalid_input) Use e.g. --rate 60.\n' });
    expect(await instru(...base, '--rate', '1e3')).toMatchObject({ exitCode: 2, stderr: 'Error: --rate "1e3" is not an amount (invalid_input) Use e.g. --rate 60 or --rate 62.50.\n' });
    for (const currency of ['EURO', 'XYZ', '€']) {
      expect(await instru(...base, '--rate', '60', '--currency', currency)).toMatchObject({ exitCode: 2, stderr: `Error: --currency "${currency}" is not an ISO 4217 currency code (invalid_input) Use e.g. EUR, GBP, USD, CHF or JPY.\n` });
    }
    const yen = await instruJson(...base, '--rate', '5000', '--currency', 'jpy');
    expect(yen).toMatchObject({ hourly_rate: 5000, currency: 'JPY' });
    expect((await instru('services', 'update', yen.id, '--rate', '4999.9')).exitCode).toBe(2);

    expect((await instru('services', 'remove', yen.id)).stderr).toBe(
      'Error: Removes the service Cello (JPY 5000/h, 60 min); if bookings use it, it is deactivated instead: this needs confirmation (confirmation_required) Pass --yes to go ahead, or --dry-run to only see the change.\n',
    );
    expect((await instru('services', 'remove', yen.id, '--yes')).stdout).toBe('Removed the service Cello (JPY 5000/h, 60 min).\n');
    expect((await instruJson('services', 'list')).data.map((s: any) => s.skill)).toEqual(['Piano']);
  });

  it('sets a day, shows the week grid, copies the week, applies it, clears a day', async () => {
    const set = await instru('availability', 'set', '2026-07-08', '14:00-17:00', '09:00-12:00', '11:00-12:30');
    expect(set.exitCode).toBe(0);
    expect(set.stdout).toBe('2026-07-08: 09:00-12:30 14:00-17:00\n');
    await instruJson('availability', 'set', '2026-07-10', '10:00-18:00');

    const shown = await instru('availability', 'show', '--from', '2026-07-06');
    expect(shown.stdout).toContain('Availability 2026-07-06 to 2026-07-12 (Europe/Berlin)');
    expect(shown.stdout).toMatch(/^Mon 2026-07-06 {2}-\s+\.+$/m);
    // 06:00-22:00 in half hours: 09:00-12:30 is cells 6..12, 14:00-17:00 cells 16..21.
    expect(shown.stdout).toContain(`Wed 2026-07-08  09:00-12:30 14:00-17:00  ${'.'.repeat(6)}${'='.repeat(7)}...${'='.repeat(6)}${'.'.repeat(10)}`);
    const week = await instruJson('availability', 'show', '--from', '2026-07-06', '--to', '2026-07-12');
    expect(week.days).toHaveLength(7);

    const copied = await instruJson('availability', 'copy-week', '--from', '2026-07-06', '--to', '2026-07-13', '--yes');
    expect(copied.days.find((d: any) => d.date === '2026-07-15').ranges).toEqual([
      { start_time: '09:00', end_time: '12:30' },
      { start_time: '14:00', end_time: '17:00' },
    ]);
    const notMonday = await instru('availability', 'copy-week', '--from', '2026-07-07', '--to', '2026-07-13');
    expect(notMonday.stderr).toMatch(/^Error: --from: 2026-07-07 is not a Monday .*try 2026-07-06.* \(usage_error\)/);

    const refused = await instru('availability', 'apply', '--week', '2026-07-06', '--until', '2026-08-02');
    expect(refused).toMatchObject({
      exitCode: 2,
      stdout: '',
      stderr: 'Error: Replaces the ranges of 21 date(s), 2026-07-13 to 2026-08-02, with the week of 2026-07-06: this needs confirmation (confirmation_required) Pass --yes to go ahead, or --dry-run to only see the change.\n',
    });
    const dry = await instru('availability', 'apply', '--week', '2026-07-06', '--until', '2026-08-02', '--dry-run');
    expect(dry.exitCode).toBe(0);
    expect(dry.stdout).toBe(
      [
        'Replaces the ranges of 21 date(s), 2026-07-13 to 2026-08-02, with the week of 2026-07-06:',
        '  Mon not available',
        '  Tue not available',
        '  Wed 09:00-12:30 14:00-17:00',
        '  Thu not available',
        '  Fri 10:00-18:00',
        '  Sat not available',
        '  Sun not available',
        'Dry run: nothing changed.',
        '',
      ].join('\n'),
    );
    expect((await instruJson('availability', 'show', '--from', '2026-07-27', '--to', '2026-08-02')).days.find((d: any) => d.date === '2026-07-31').ranges).toEqual([]);
    const applied = await instru('availability', 'apply', '--week', '2026-07-06', '--until', '2026-08-02', '--yes');
    expect(applied.stdout).toBe('Applied the week of 2026-07-06 to 2026-07-13..2026-08-02: 21 dates written, 6 with availability.\n');
    const later = await instruJson('availability', 'show', '--from', '2026-07-27', '--to', '2026-08-02');
    expect(later.days.find((d: any) => d.date === '2026-07-31').ranges).toEqual([{ start_time: '10:00', end_time: '18:00' }]);

    const clearRefused = await instru('availability', 'clear', '2026-07-31', '--json');
    expect(clearRefused.exitCode).toBe(2);
    expect(JSON.parse(clearRefused.stdout)).toMatchObject({ error: { code: 'confirmation_required' } });
    expect((await instru('availability', 'clear', '2026-07-31', '--dry-run')).stdout).toBe('Removes every range of Fri 2026-07-31: 10:00-18:00.\nDry run: nothing changed.\n');
    expect((await instru('availability', 'clear', '2026-07-31', '-y')).stdout).toBe('2026-07-31: not available\n');
    expect((await instruJson('availability', 'show', '--from', '2026-07-31', '--to', '2026-07-31')).days[0].ranges).toEqual([]);
    const badRange = await instru('availability', 'set', '2026-07-09', '9-12');
    expect(badRange.stderr).toBe('Error: "9-12" is not a time range like 09:00-12:00 (invalid_input) Write ranges like 09:00-12:00 14:00-17:00.\n');
  });

  it('adds, lists and removes blackout dates', async () => {
    const added = await instru('blackouts', 'add', '--date', '2026-07-20', '--reason', 'Holiday');
    expect(added.stdout).toBe('Blacked out 2026-07-20 (Holiday).\n');
    const list = await instru('blackouts', 'list');
    expect(list.stdout).toMatch(/^Mon 2026-07-20\s+Holiday$/m);
    expect((await instruJson('blackouts', 'list')).data.map((b: any) => b.date)).toEqual(['2026-07-20']);
    expect((await instru('blackouts', 'remove', '--date', '2026-07-20')).exitCode).toBe(0);
    expect((await instruJson('blackouts', 'list')).data).toEqual([]);
  });

  it('creates, lists and revokes API keys; the secret is shown once with a warning', async () => {
    const created = await instru('keys', 'create', '--name', 'export');
    expect(created.stdout).toMatch(/^Secret: ii_live_\S+$/m);
    expect(created.stdout).toContain('Warning: this is the only time the secret is shown');
    const widget = await instruJson('keys', 'create', '--name', 'site', '--type', 'publishable', '--origin', 'https://a.example', '--origin', 'https://b.example');
    expect(widget).toMatchObject({ type: 'publishable', allowed_origins: ['https://a.example', 'https://b.example'] });
    expect(widget.secret).toMatch(/^pk_live_/);
    const keys = await instruJson('keys', 'list');
    expect(keys.data.map((k: any) => k.name).sort()).toEqual(['export', 'site']);
    expect(JSON.stringify(keys)).not.toContain(widget.secret);
    const keyRefused = await instru('keys', 'revoke', widget.id);
    expect(keyRefused).toMatchObject({ exitCode: 2, stderr: `Error: Revokes the publishable key "site" (${widget.prefix}…): whatever uses it stops working at once: this needs confirmation (confirmation_required) Pass --yes to go ahead, or --dry-run to only see the change.\n` });
    expect((await instru('keys', 'revoke', widget.id, '--yes')).stdout).toBe(`Revoked key ${widget.id}.\n`);
    expect((await instruJson('keys', 'list')).data.map((k: any) => k.name)).toEqual(['export']);
    const gone = await instru('keys', 'revoke', widget.id, '--yes');
    expect(gone.exitCode).toBe(1);
    expect(gone.stderr).toMatch(/^Error: .+ \(not_found\) .+\n$/);
  });
});
