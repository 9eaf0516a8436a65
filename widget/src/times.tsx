import { fmt, instantOf } from './time.js';

export interface Slot {
  date: string;
  time: string;
}

export interface TimesProps {
  slots: Slot[];
  /** The instructor's zone (the API's dates and times are in it). */
  zone: string;
  /** The visitor's zone, in which times are shown. */
  visitor: string;
  locale: string | undefined;
  label: string;
  withDay?: boolean;
  onPick(slot: Slot): void;
}

/** Start times as buttons in the visitor's zone, with the instructor's time beside them when the zones differ. */
export function Times({ slots, zone, visitor, locale, label, withDay, onPick }: TimesProps) {
  const differs = zone !== visitor;
  // "Berlin" for Europe/Berlin: where the instructor's own clock shows the second time.
  const place = zone.split('/').pop()!.replace(/_/g, ' ');
  return (
    <ul class="times" aria-label={label}>
      {slots.map((s) => {
        const at = instantOf(s.date, s.time, zone);
        const mine = fmt(at, visitor, locale, withDay ? { weekday: 'short', day: 'numeric', month: 'short', hour: 'numeric', minute: '2-digit' } : { hour: 'numeric', minute: '2-digit' });
        return (
          <li key={s.date + s.time}>
            <button type="button" onClick={() => onPick(s)}>
              {mine}
              {differs && <small> {s.time} {place}</small>}
            </button>
          </li>
        );
      })}
    </ul>
  );
}
