import type { Db } from './platform/db.js';
import type { Clock } from './platform/clock.js';
import type { Mailer } from './platform/mail.js';
import type { Config } from './platform/config.js';
import { createTokenService } from './platform/tokens.js';
import { accountRepository } from './accounts/repository.js';
import { accountService } from './accounts/service.js';
import { apiKeyService } from './accounts/api-keys.js';
import { instructorRepository } from './instructors/repository.js';
import { instructorService } from './instructors/service.js';
import { searchRepository } from './instructors/search-repository.js';
import { publicInstructorService } from './instructors/public-service.js';
import { availabilityRepository } from './availability/repository.js';
import { availabilityService } from './availability/service.js';
import { bookingTimeRepository } from './bookings/repository.js';

export interface ServiceDeps {
  config: Pick<Config, 'jwtSecret' | 'publicUrl'>;
  db: Db;
  clock: Clock;
  mailer: Mailer;
}

/** Builds every repository and service with its dependencies: plain functions, no container. */
export function buildServices({ config, db, clock, mailer }: ServiceDeps) {
  const tokens = createTokenService(config.jwtSecret);
  const accountsRepo = accountRepository(db);
  const instructorsRepo = instructorRepository(db);
  const availabilityRepo = availabilityRepository(db);
  const bookingTimes = bookingTimeRepository(db);
  const onPublicChange = async (_instructorId: string) => {};

  const instructors = instructorService({
    db,
    instructors: instructorsRepo,
    serviceHasBookings: bookingTimes.serviceHasBookings,
    onPublicChange,
  });
  return {
    tokens,
    accounts: accountService({ db, accounts: accountsRepo, instructors: instructorsRepo, tokens, clock, mailer, publicUrl: config.publicUrl }),
    apiKeys: apiKeyService({ db, accounts: accountsRepo, clock }),
    roles: {
      async roleOf(userId: string) {
        return (await accountsRepo.findUserById(userId))?.role ?? null;
      },
    },
    instructors,
    availability: availabilityService({
      db,
      availability: availabilityRepo,
      bookingTimes,
      instructorZone: async (userId) => (await instructors.profileOf(userId)).timezone,
      onPublicChange,
    }),
    publicInstructors: publicInstructorService({
      instructors: instructorsRepo,
      accounts: accountsRepo,
      search: searchRepository(db),
      availability: availabilityRepo,
      bookingTimes,
      clock,
    }),
  };
}

export type Services = ReturnType<typeof buildServices>;
