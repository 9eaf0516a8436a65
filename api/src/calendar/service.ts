import ical from 'ical-generator';
import type { Db } from '../platform/db.js';
import type { Clock } from '../platform/clock.js';
import { AppError } from '../platform/errors.js';
import { randomSecret } from '../platform/tokens.js';
import { createHash } from 'node:crypto';
import { lessonEvent } from '../bookings/ics.js';
import type { CalendarRepository, FeedLesson } from './repository.js';

/** How far back a feed reaches. */
const FEED_HISTORY_MS = 30 * 24 * 3600_000;
/** How often calendar apps are asked to poll (REFRESH-INTERVAL / X-PUBLISHED-TTL). */
const FEED_TTL_SECONDS = 3600;

/** The token in a feed URL: 32 random bytes, URL-safe. */
export const FEED_TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** The feed as text with its ETag (a hash of the text: the same lessons give the same tag). */
export interface FeedDocument {
  body: string;
  etag: string;
}

/** Private iCalendar feeds: one secret URL per person, listing their lessons. */
export function calendarService({ db, clock, feeds, publicUrl }: { db: Db; clock: Clock; feeds: CalendarRepository; publicUrl: string }) {
  const urlOf = (token: string) => `${publicUrl.replace(/\/$/, '')}/v1/calendar/${token}.ics`;

  function render(userId: string, lessons: FeedLesson[]): string {
    const cal = ical({ name: 'InstaInstru lessons', prodId: { company: 'InstaInstru', product: 'lessons', language: 'EN' }, ttl: FEED_TTL_SECONDS });
    for (const l of lessons) {
      const other = l.instructor_id === userId ? l.student_name : l.instructor_name;
      // DTSTAMP is the booking's last change, not "now", so an unchanged feed keeps its ETag.
      cal.createEvent(lessonEvent(l, l.skill, other, l.sequence, new Date(l.updated_at)));
    }
    return cal.toString();
  }

  return {
    /** The person's feed URL, creating the feed on first use. */
    async feedOf(userId: string): Promise<{ url: string }> {
      const existing = await feeds.findByUser(userId);
      if (existing) return { url: urlOf(existing.token) };
      const token = await db.transaction(async (tx) => {
        // Two first requests at once: the second finds the first one's row.
        const again = await feeds.findByUser(userId, tx);
        if (again) return again.token;
        const fresh = randomSecret(32);
        await feeds.create(userId, fresh, tx);
        return fresh;
      });
      return { url: urlOf(token) };
    },

    /** Replaces the feed's token: the old URL stops working at once. */
    async rotate(userId: string): Promise<{ url: string }> {
      await this.feedOf(userId);
      const token = randomSecret(32);
      await db.transaction((tx) => feeds.replaceToken(userId, token, clock.now(), tx));
      return { url: urlOf(token) };
    },

    /** The feed behind a token; an unknown (or rotated) token does not exist. */
    async document(token: string): Promise<FeedDocument> {
      const feed = FEED_TOKEN.test(token) ? await feeds.findByToken(token) : null;
      if (!feed) throw new AppError('not_found', 'No such calendar feed. Get your feed URL with GET /v1/me/calendar-feed (rotating it replaces the old URL).');
      const lessons = await feeds.lessonsOf(feed.user_id, new Date(clock.now().getTime() - FEED_HISTORY_MS));
      const body = render(feed.user_id, lessons);
      return { body, etag: `"${createHash('sha1').update(body).digest('base64url')}"` };
    },
  };
}

export type CalendarService = ReturnType<typeof calendarService>;
