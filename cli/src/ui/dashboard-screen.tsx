import { useEffect, useState } from 'react';
import { Box, Text, useApp, useInput } from 'ink';
import type { Dashboard } from '@instainstru/sdk';
import { dashboardSections } from '../lib/dashboard-text.js';
import { Interrupted, plain } from './use-columns.js';

export interface DashboardScreenProps {
  /** Fetches the dashboard (`me.dashboard`). */
  load: () => Promise<Dashboard>;
  /** Milliseconds between refreshes. */
  intervalMs: number;
  describeError: (error: unknown) => string;
  /** The clock (tests pass a fixed one). */
  now?: () => Date;
}

/** A time of day in the instructor's zone, 24- or 12-hour as the user's locale writes it. */
export function clockTime(date: Date, timeZone: string, locale?: string): string {
  return date.toLocaleTimeString(locale, { timeZone, hour: '2-digit', minute: '2-digit', second: '2-digit', timeZoneName: 'short' });
}

/** The live dashboard: today's lessons, the next 7 days, the month; refreshes on a timer, r refreshes now, q quits. */
export function DashboardScreen({ load, intervalMs, describeError, now = () => new Date() }: DashboardScreenProps) {
  const { exit } = useApp();
  const [data, setData] = useState<Dashboard>();
  const [status, setStatus] = useState('Loading…');
  const [tick, setTick] = useState(0);

  useEffect(() => {
    let live = true;
    load().then(
      (d) => live && (setData(d), setStatus(`Updated ${clockTime(now(), d.timezone)}`)),
      (error) => live && setStatus(`Refresh failed: ${describeError(error)}`),
    );
    const timer = setTimeout(() => setTick((t) => t + 1), intervalMs);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [tick, load, intervalMs, describeError, now]);

  useInput((input, key) => {
    if (key.ctrl && input === 'c') return exit(new Interrupted('Interrupted'));
    if (input === 'q') exit();
    if (input === 'r') setTick((t) => t + 1);
  });

  return (
    <Box flexDirection="column">
      <Text bold={!plain()}>InstaInstru dashboard{data ? ` (${data.timezone})` : ''}</Text>
      {data &&
        dashboardSections(data).map((section) => (
          <Box key={section.title} flexDirection="column" marginTop={1}>
            <Text underline>{section.title}</Text>
            {section.lines.map((line, i) => (
              <Text key={i}> {line}</Text>
            ))}
          </Box>
        ))}
      <Box marginTop={1}>
        <Text dimColor={!plain()}>
          {status} · every {Math.round(intervalMs / 1000)} s · r refresh · q quit
        </Text>
      </Box>
    </Box>
  );
}
