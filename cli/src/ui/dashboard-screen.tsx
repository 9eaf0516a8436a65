import { useEffect, useState } from 'react';
import { Box, Text, useApp, useInput } from 'ink';
import type { Dashboard } from '@instainstru/sdk';
import { dashboardSections } from '../lib/dashboard-text.js';

export interface DashboardScreenProps {
  /** Fetches the dashboard (`me.dashboard`). */
  load: () => Promise<Dashboard>;
  /** Milliseconds between refreshes. */
  intervalMs: number;
  describeError: (error: unknown) => string;
}

/** The live dashboard: today's lessons, the next 7 days, the month; refreshes on a timer, r refreshes now, q quits. */
export function DashboardScreen({ load, intervalMs, describeError }: DashboardScreenProps) {
  const { exit } = useApp();
  const [data, setData] = useState<Dashboard>();
  const [status, setStatus] = useState('Loading…');
  const [tick, setTick] = useState(0);

  useEffect(() => {
    let live = true;
    load().then(
      (d) => live && (setData(d), setStatus(`Updated ${new Date().toLocaleTimeString()}`)),
      (error) => live && setStatus(`Refresh failed: ${describeError(error)}`),
    );
    const timer = setTimeout(() => setTick((t) => t + 1), intervalMs);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [tick, load, intervalMs, describeError]);

  useInput((input) => {
    if (input === 'q') exit();
    if (input === 'r') setTick((t) => t + 1);
  });

  return (
    <Box flexDirection="column">
      <Text bold>InstaInstru dashboard{data ? ` (${data.timezone})` : ''}</Text>
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
        <Text dimColor>
          {status} · every {Math.round(intervalMs / 1000)} s · r refresh · q quit
        </Text>
      </Box>
    </Box>
  );
}
