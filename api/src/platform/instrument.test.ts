import { describe, expect, it } from 'vitest';
import { instrument, isInstrumented } from './instrument.js';

type Call = [string, boolean];

describe('instrument', () => {
  const calls: Call[] = [];
  const observe = (method: string, seconds: number, error?: unknown) => {
    expect(seconds).toBeGreaterThanOrEqual(0);
    calls.push([method, error !== undefined]);
  };
  const service = {
    name: 'kept',
    double(n: number) {
      return n * 2;
    },
    async later(n: number) {
      return this.double(n) + 1;
    },
    fail() {
      throw new Error('sync');
    },
    async failLater() {
      throw new Error('async');
    },
  };
  const timed = instrument('demo', service, observe);

  it('keeps results, errors, `this` and other properties; reports each call once', async () => {
    calls.length = 0;
    expect(timed.double(2)).toBe(4);
    expect(await timed.later(2)).toBe(5);
    expect(() => timed.fail()).toThrow('sync');
    await expect(timed.failLater()).rejects.toThrow('async');
    expect(timed.name).toBe('kept');
    expect(calls).toEqual([
      ['double', false],
      ['double', false],
      ['later', false],
      ['fail', true],
      ['failLater', true],
    ]);
  });

  it('marks every method, including inherited ones, and never wraps twice', () => {
    class Repo {
      find() {
        return 1;
      }
    }
    const wrapped = instrument('repo', new Repo(), observe);
    expect(isInstrumented(wrapped.find)).toBe(true);
    expect(wrapped.find()).toBe(1);
    const again = instrument('demo2', timed, observe);
    expect(again.double).toBe(timed.double);
    expect(isInstrumented(service.double)).toBe(false);
  });
});
