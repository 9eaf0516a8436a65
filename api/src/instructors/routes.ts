import { Router } from 'express';
import { body } from '../platform/contract.js';
import { requireRole } from '../platform/auth.js';
import { param, queryInt, queryString } from '../platform/http.js';
import type { InstructorService } from './service.js';
import type { PublicInstructorService } from './public-service.js';
import type { SearchFilters } from './search-repository.js';
import { publicNow } from './public-service.js';
import { searchNamespace } from '../search/facets.js';
import { normalizeArea } from './repository.js';
import type { ResponseCache } from '../platform/cache.js';
import type { Clock } from '../platform/clock.js';
import { sendCached, type PublicIndex } from '../platform/http-cache.js';


/** The instructor's own profile and services. */
export function instructorRoutes(instructors: InstructorService): Router {
  const r = Router();
  r.get('/v1/me/instructor-profile', async (req, res) => {
    res.json(await instructors.getProfile(requireRole(req, 'instructor').userId));
  });
  r.put('/v1/me/instructor-profile', async (req, res) => {
    res.json(await instructors.updateProfile(requireRole(req, 'instructor').userId, body(req, 'InstructorProfileInput')));
  });
  r.get('/v1/me/services', async (req, res) => {
    res.json(await instructors.listServices(requireRole(req, 'instructor').userId, queryInt(req, 'limit', 20), queryString(req, 'cursor')));
  });
  r.post('/v1/me/services', async (req, res) => {
    res.status(201).json(await instructors.createService(requireRole(req, 'instructor').userId, body(req, 'ServiceInput')));
  });
  r.patch('/v1/me/services/:service_id', async (req, res) => {
    res.json(await instructors.updateService(requireRole(req, 'instructor').userId, param(req, 'service_id'), body(req, 'ServicePatch')));
  });
  r.delete('/v1/me/services/:service_id', async (req, res) => {
    const { deactivated } = await instructors.deleteService(requireRole(req, 'instructor').userId, param(req, 'service_id'));
    if (deactivated) res.json(deactivated);
    else res.status(204).end();
  });
  return r;
}

/** Search, instructor detail and public availability: no credentials needed, cached with ETags. */
export function publicInstructorRoutes(publicInstructors: PublicInstructorService, cache: ResponseCache, index: PublicIndex, clock: Clock): Router {
  const r = Router();
  // Answers are cached per 15-minute bucket (they depend on "now" through the minimum notice).
  const ctx = () => ({ cache, index, bucket: publicNow(clock.now()).bucket });
  r.get('/v1/instructors', async (req, res) => {
    const filters = {
      q: queryString(req, 'q'),
      skill: queryString(req, 'skill'),
      area: queryString(req, 'area'),
      min_price: queryInt(req, 'min_price'),
      max_price: queryInt(req, 'max_price'),
      location_type: queryString(req, 'location_type'),
      available_on: queryString(req, 'available_on'),
      sort: (queryString(req, 'sort') ?? 'name') as SearchFilters['sort'],
      limit: queryInt(req, 'limit', 20),
      cursor: queryString(req, 'cursor'),
    };
    await sendCached(req, res, ctx(), searchNamespace(filters, normalizeArea), `search:${JSON.stringify(filters)}`, () => publicInstructors.search(filters));
  });
  r.get('/v1/instructors/:instructor_id', async (req, res) => {
    const id = param(req, 'instructor_id');
    await sendCached(req, res, ctx(), id, 'detail', () => publicInstructors.detail(id));
  });
  r.get('/v1/instructors/:instructor_id/availability', async (req, res) => {
    const id = param(req, 'instructor_id');
    const from = String(queryString(req, 'from'));
    const to = String(queryString(req, 'to'));
    const duration = queryInt(req, 'duration_minutes');
    await sendCached(req, res, ctx(), id, `availability:${from}:${to}:${duration ?? ''}`, () => publicInstructors.availability(id, from, to, duration));
  });
  return r;
}
