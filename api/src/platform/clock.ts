/** Where services get the current time, so tests can move it. */
export interface Clock {
  now(): Date;
}

/** The real wall clock. */
export const systemClock: Clock = { now: () => new Date() };

/** A clock fixed at an instant that tests can advance. */
export function fixedClock(start: Date): Clock & { advance(ms: number): void; set(d: Date): void } {
  let t = start.getTime();
  return {
    now: () => new Date(t),
    advance: (ms) => {
      t += ms;
    },
    set: (d) => {
      t = d.getTime();
    },
  };
}

/** The wall clock plus an offset that only grows: the test clock outside production. */
export function adjustableClock(base: Clock = systemClock): Clock & { advance(ms: number): void; travel(ms: number): void } {
  let offset = 0;
  return {
    now: () => new Date(base.now().getTime() + offset),
    advance: (ms) => {
      offset += Math.max(0, ms);
    },
    /** Either way: only for seeding demo history before the server listens. */
    travel: (ms) => {
      offset += ms;
    },
  };
}
