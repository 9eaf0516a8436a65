import type { Booking } from './api.js';

const stamp = (iso: string) => new Date(iso).toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');
const text = (s: string) => s.replace(/[\\;,]/g, (c) => `\\${c}`).replace(/\n/g, '\\n');

/** An iCalendar file (RFC 5545) for one booked lesson. */
export function icsOf(b: Booking, title: string): string {
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//InstaInstru//Booking widget//EN',
    'BEGIN:VEVENT',
    `UID:${b.id}@instainstru`,
    `DTSTAMP:${stamp(b.created_at)}`,
    `DTSTART:${stamp(b.start_at)}`,
    `DTEND:${stamp(b.end_at)}`,
    `SUMMARY:${text(title)}`,
    `DESCRIPTION:${text(`Booking ${b.id}`)}`,
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}
