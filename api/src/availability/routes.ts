import { Router } from 'express';
import { body } from '../platform/contract.js';
import { requireRole } from '../platform/auth.js';
import { param, queryInt, queryString } from '../platform/http.js';
import type { AvailabilityService } from './service.js';

/** The instructor's availability and blackouts. */
export function availabilityRoutes(availability: AvailabilityService): Router {
  const r = Router();
  const me = (req: Parameters<typeof requireRole>[0]) => requireRole(req, 'instructor').userId;
  r.get('/v1/me/availability', async (req, res) => {
    res.json(await availability.getDays(me(req), String(queryString(req, 'from')), String(queryString(req, 'to'))));
  });
  r.put('/v1/me/availability', async (req, res) => {
    res.json(await availability.saveDays(me(req), body(req, 'AvailabilityDaysInput').days));
  });
  r.post('/v1/me/availability/copy-week', async (req, res) => {
    const { source_week_start, target_week_start } = body(req, 'CopyWeekRequest');
    res.json(await availability.copyWeek(me(req), source_week_start, target_week_start));
  });
  r.post('/v1/me/availability/apply-pattern', async (req, res) => {
    const { source_week_start, start_date, end_date } = body(req, 'ApplyPatternRequest');
    res.json(await availability.applyPattern(me(req), source_week_start, start_date, end_date));
  });
  r.put('/v1/me/availability/:date', async (req, res) => {
    res.json(await availability.setDay(me(req), param(req, 'date'), body(req, 'AvailabilityDayInput').ranges));
  });
  r.delete('/v1/me/availability/:date', async (req, res) => {
    res.json(await availability.setDay(me(req), param(req, 'date'), []));
  });
  r.get('/v1/me/blackouts', async (req, res) => {
    res.json(
      await availability.listBlackouts(me(req), {
        from: queryString(req, 'from'),
        to: queryString(req, 'to'),
        limit: queryInt(req, 'limit', 20),
        cursor: queryString(req, 'cursor'),
      }),
    );
  });
  r.post('/v1/me/blackouts', async (req, res) => {
    const input = body(req, 'BlackoutInput');
    const { created, blackout, bookings_outside } = await availability.addBlackout(me(req), input.date, input.reason);
    res.status(created ? 201 : 200).json({ ...blackout, bookings_outside });
  });
  r.delete('/v1/me/blackouts/:date', async (req, res) => {
    await availability.removeBlackout(me(req), param(req, 'date'));
    res.status(204).end();
  });
  return r;
}
