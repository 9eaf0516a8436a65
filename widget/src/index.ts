import { define, TAG } from './element.js';

type Command = 'open' | 'on';
type Options = Record<string, string | number | undefined>;
interface Global {
  (command: Command, ...args: unknown[]): void;
  q?: ArrayLike<unknown>[];
}


/** `InstaInstru('open', {instructor, publishableKey})` and `InstaInstru('on', 'booked', fn)`. */
const instaInstru: Global = (command, ...args) => {
  if (command === 'open') {
    const el = document.createElement(TAG);
    // {publishableKey: 'pk_…'} -> publishable-key="pk_…" (the element ignores attributes it does not know).
    for (const [k, v] of Object.entries(args[0] as Options)) if (v !== undefined) el.setAttribute(k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`), String(v));
    el.setAttribute('modal', '');
    document.body.append(el);
  } else if (command === 'on') {
    const fn = args[1] as (detail: unknown) => void;
    document.addEventListener(`instainstru:${String(args[0])}`, (e) => fn((e as CustomEvent).detail));
  }
};

define();
const w = window as unknown as { InstaInstru?: Global };
const queued = w.InstaInstru?.q ?? [];
w.InstaInstru = instaInstru;
for (const call of Array.from(queued)) instaInstru(...(Array.from(call) as [Command, ...unknown[]]));
