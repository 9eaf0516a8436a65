/** Marks a timed method; its value is the service name (tests check that no method is left out). */
export const INSTRUMENTED = Symbol('instrumented');

/** Receives each finished call: the method, its duration and, when it failed, what it threw. */
export type CallObserver = (method: string, seconds: number, error?: unknown) => void;

type Fn = (this: unknown, ...args: unknown[]) => unknown;

/**
 * Wraps every function property of a service (own and inherited, except Object's) so each call,
 * sync or async, is reported to `observe`. The wrapper inherits from the service, so other
 * properties read through, and `this.other()` inside a method reaches the timed version.
 */
export function instrument<T extends object>(serviceName: string, service: T, observe: CallObserver): T {
  const wrapped = Object.create(service) as T;
  for (const [key, fn] of methodsOf(service)) {
    if (typeof key !== 'string' || (fn as { [INSTRUMENTED]?: string })[INSTRUMENTED]) continue;
    Object.defineProperty(wrapped, key, { value: timed(serviceName, key, fn, observe), enumerable: true, writable: true, configurable: true });
  }
  return wrapped;
}

/** True when fn is a timed wrapper made by instrument(). */
export function isInstrumented(fn: unknown): boolean {
  return typeof fn === 'function' && INSTRUMENTED in fn;
}

/** Every function-valued property name of the object and its prototypes (up to Object.prototype). */
export function methodsOf(obj: object): Map<PropertyKey, Fn> {
  const found = new Map<PropertyKey, Fn>();
  for (let o: object | null = obj; o && o !== Object.prototype; o = Object.getPrototypeOf(o) as object | null) {
    for (const key of Reflect.ownKeys(o)) {
      if (key === 'constructor' || found.has(key)) continue;
      const desc = Object.getOwnPropertyDescriptor(o, key);
      if (typeof desc?.value === 'function') found.set(key, desc.value as Fn);
    }
  }
  return found;
}

function timed(serviceName: string, method: string, fn: Fn, observe: CallObserver): Fn {
  const wrapper = function (this: unknown, ...args: unknown[]): unknown {
    const start = performance.now();
    const done = (error?: unknown) => observe(method, (performance.now() - start) / 1000, error);
    let result: unknown;
    try {
      result = fn.apply(this, args);
    } catch (err) {
      done(err ?? new Error('undefined thrown'));
      throw err;
    }
    if (result instanceof Promise) {
      return result.then(
        (value: unknown) => {
          done();
          return value;
        },
        (err: unknown) => {
          done(err ?? new Error('undefined thrown'));
          throw err;
        },
      );
    }
    done();
    return result;
  };
  Object.defineProperty(wrapper, 'name', { value: method });
  Object.defineProperty(wrapper, INSTRUMENTED, { value: serviceName });
  return wrapper;
}
