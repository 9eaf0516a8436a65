import * as api from '../generated/sdk.gen.js';
import type {
  AddBlackoutData,
  ApplyAvailabilityPatternData,
  ClearAvailabilityDayData,
  CopyAvailabilityWeekData,
  CreateApiKeyData,
  CreateServiceData,
  DeleteServiceData,
  GetMyAvailabilityData,
  ListApiKeysData,
  ListBlackoutsData,
  ListMyServicesData,
  RemoveBlackoutData,
  RevokeApiKeyData,
  SaveAvailabilityDaysData,
  SetAvailabilityDayData,
  UpdateServiceData,
} from '../generated/types.gen.js';
import { unwrap, type Context, type Params } from '../call.js';

/** The signed-in instructor's services (skill, rate, durations, locations). */
export function servicesMethods({ client }: Context) {
  return {
    /** One page of services, active and inactive. */
    list: (query: Params<ListMyServicesData> = {}) => unwrap(api.listMyServices({ client, query })),
    /** Creates a service. */
    create: (body: Params<CreateServiceData>) => unwrap(api.createService({ client, body })),
    /** Changes the given fields of a service. */
    update: ({ service_id, ...body }: Params<UpdateServiceData>) => unwrap(api.updateService({ client, path: { service_id }, body })),
    /** Deletes a service; returns it deactivated instead when bookings reference it, else undefined. */
    remove: ({ service_id }: Params<DeleteServiceData>) => unwrap(api.deleteService({ client, path: { service_id } })),
  };
}

/** The signed-in instructor's availability: time ranges on dates, in their timezone. */
export function availabilityMethods({ client }: Context) {
  return {
    /** Every date in `from..to` with its ranges. */
    get: (query: Params<GetMyAvailabilityData>) => unwrap(api.getMyAvailability({ client, query })),
    /** Replaces the ranges of each given date at once; reports bookings now outside availability. */
    saveDays: (body: Params<SaveAvailabilityDaysData>) => unwrap(api.saveAvailabilityDays({ client, body })),
    /** Replaces the ranges of one date. */
    setDay: ({ date, ...body }: Params<SetAvailabilityDayData>) => unwrap(api.setAvailabilityDay({ client, path: { date }, body })),
    /** Removes every range of one date. */
    clearDay: ({ date }: Params<ClearAvailabilityDayData>) => unwrap(api.clearAvailabilityDay({ client, path: { date } })),
    /** Copies a week (Monday..Sunday) onto another week. */
    copyWeek: (body: Params<CopyAvailabilityWeekData>) => unwrap(api.copyAvailabilityWeek({ client, body })),
    /** Repeats a source week's weekdays over `start_date..end_date`. */
    applyPattern: (body: Params<ApplyAvailabilityPatternData>) => unwrap(api.applyAvailabilityPattern({ client, body })),
  };
}

/** Whole dates the signed-in instructor is unavailable. */
export function blackoutsMethods({ client }: Context) {
  return {
    /** One page of blackout dates, optionally within `from..to`. */
    list: (query: Params<ListBlackoutsData> = {}) => unwrap(api.listBlackouts({ client, query })),
    /** Blacks out a date (idempotent); reports active bookings on that date. */
    add: (body: Params<AddBlackoutData>) => unwrap(api.addBlackout({ client, body })),
    /** Removes a blackout (idempotent). */
    remove: async ({ date }: Params<RemoveBlackoutData>): Promise<void> => {
      await unwrap(api.removeBlackout({ client, path: { date } }));
    },
  };
}

/** Secret (`ii_live_…`) and publishable (`pk_live_…`) keys of the signed-in user. */
export function apiKeysMethods({ client }: Context) {
  return {
    /** One page of active keys (prefixes only). */
    list: (query: Params<ListApiKeysData> = {}) => unwrap(api.listApiKeys({ client, query })),
    /** Creates a key; its full `secret` is only in this answer. */
    create: (body: Params<CreateApiKeyData>) => unwrap(api.createApiKey({ client, body })),
    /** Revokes a key; it stops working at once. */
    revoke: async ({ key_id }: Params<RevokeApiKeyData>): Promise<void> => {
      await unwrap(api.revokeApiKey({ client, path: { key_id } }));
    },
  };
}
