import { Router } from 'express';
import { requireUser } from '../platform/auth.js';
import { param } from '../platform/http.js';
import { matchesEtag } from '../platform/http-cache.js';
import type { CalendarService } from './service.js';

/**
 * Calendar apps poll a feed every few minutes to hours: a private cache may keep it for 5 minutes,
 * then revalidates with the ETag (304 when nothing changed). Never a shared cache: the URL is a secret.
 */
const FEED_CACHE_CONTROL = 'private, max-age=300';

/** The feed URL of the signed-in person, its rotation, and the feed itself (token in the URL, no other credential). */
export function calendarRoutes(calendar: CalendarService): Router {
  const r = Router();
  r.get('/v1/me/calendar-feed', async (req, res) => {
    res.json(await calendar.feedOf(requireUser(req).userId));
  });
  r.post('/v1/me/calendar-feed/rotate', async (req, res) => {
    res.json(await calendar.rotate(requireUser(req).userId));
  });
  r.get('/v1/calendar/:token.ics', async (req, res) => {
    const feed = await calendar.document(param(req, 'token'));
    res.setHeader('ETag', feed.etag);
    res.setHeader('Cache-Control', FEED_CACHE_CONTROL);
    if (matchesEtag(req.get('if-none-match'), feed.etag)) {
      res.status(304).end();
      return;
    }
    res.setHeader('Content-Disposition', 'inline; filename="instainstru.ics"');
    res.type('text/calendar; charset=utf-8').send(feed.body);
  });
  return r;
}
