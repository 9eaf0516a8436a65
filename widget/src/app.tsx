import type { FunctionComponent } from 'preact';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { codeOf, widgetApi, type Booking, type InstructorDetail, type User } from './api.js';
import { Month } from './month.js';
import { Times, type Slot } from './times.js';
import { Account } from './account.js';
import { messageFor, REOFFER } from './messages.js';
import { addDays, fmt, instantOf, money, todayIn, visitorZone } from './time.js';
import type { DoneProps } from './done.js';
import type { PayProps } from './pay.js';

/** The element's attributes, as props. */
export interface BookingProps {
  instructor?: string;
  publishableKey?: string;
  service?: string;
  duration?: string;
  locale?: string;
  /** The API's origin; defaults to the origin the script was loaded from. */
  api?: string;
}

type Step = 'when' | 'account' | 'confirm' | 'pay' | 'done';
const TITLES: Record<Step, string> = { when: 'Choose a time', account: 'Your account', confirm: 'Confirm your lesson', pay: 'Pay', done: 'You are booked' };
const PLACES: Record<string, string> = { in_person: "At the instructor's place", online: 'Online', student_home: 'At your home' };
const DEFAULT_API = new URL(import.meta.url).origin;

/** The cancellation policy in words: each tier applies from its hours before the start, the last one to any later cancellation. */
function policyText(policy: { hours_before: number; fee_percent: number }[]): string {
  const tiers = [...policy].sort((a, b) => b.hours_before - a.hours_before);
  const fee = tiers.map((t, i) => `${i < tiers.length - 1 ? `${t.hours_before}+ h before` : 'later'}: ${t.fee_percent ? `${t.fee_percent}%` : 'free'}`);
  return tiers.some((t) => t.fee_percent) ? `Cancelling ${fee.join(', ')}.` : 'Cancelling is free.';
}

/** The booking flow: time, account, confirmation, done. Errors in plain words; focus follows the step. */
export function BookingWidget(props: BookingProps) {
  const api = useMemo(() => widgetApi(props.api || DEFAULT_API, props.publishableKey), [props.api, props.publishableKey]);
  const root = useRef<HTMLDivElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const [info, setInfo] = useState<InstructorDetail>();
  const [serviceId, setServiceId] = useState<string>();
  const [picked, setDuration] = useState(0);
  // The attributes choose the lesson, also when the page changes them after the widget is shown.
  useEffect(() => setServiceId(props.service), [props.service]);
  useEffect(() => setDuration(Number(props.duration)), [props.duration]);
  const [month, setMonth] = useState('');
  const [days, setDays] = useState<Record<string, string[]>>({});
  const [loading, setLoading] = useState(false);
  const [slot, setSlot] = useState<Slot>();
  const [place, setPlace] = useState('');
  const [step, setStep] = useState<Step>('when');
  const [user, setUser] = useState<User>();
  const [error, setError] = useState('');
  const [nearest, setNearest] = useState<Slot[]>([]);
  const [booking, setBooking] = useState<Booking>();
  const [busy, setBusy] = useState(false);
  const [tick, setTick] = useState(0);
  // The steps after booking live in their own chunk, fetched once a booking is made (the size budget counts what comes before).
  const [Done, setDone] = useState<FunctionComponent<DoneProps>>();
  // The pay step (and Stripe.js, when the platform uses Stripe) loads only when the visitor gets there.
  const [Pay, setPay] = useState<FunctionComponent<PayProps>>();
  const visitor = visitorZone();
  const locale = props.locale;
  const service = info?.services.find((s) => s.id === serviceId) ?? info?.services[0];
  // The chosen length when the service offers it, else its first (no second request for a length it lacks).
  const duration = service?.durations.includes(picked) ? picked : (service?.durations[0] ?? 0);
  const zone = info?.timezone ?? visitor;
  const first = todayIn(zone).slice(0, 8) + '01';

  const emit = (name: string, detail: object) => {
    const host = (root.current?.getRootNode() as ShadowRoot | undefined)?.host;
    host?.dispatchEvent(new CustomEvent(`instainstru:${name}`, { detail, bubbles: true, composed: true }));
  };
  const fail = (e: unknown) => {
    const code = codeOf(e);
    setError(code);
    emit('error', { code });
    return code;
  };
  const go = (next: Step) => {
    setStep(next);
    setError('');
  };

  useEffect(() => {
    if (!props.instructor) return void fail(new Error('no instructor'));
    api.instructor(props.instructor).then((i) => {
      setInfo(i);
      setMonth(todayIn(i.timezone).slice(0, 8) + '01');
      emit('ready', { instructor: { id: i.id, full_name: i.full_name } });
    }, fail);
  }, [api, props.instructor]);

  useEffect(() => {
    if (service && !service.location_types.includes(place as never)) setPlace(service.location_types[0]!);
  }, [service]);

  const load = async (from: string, to: string) => {
    const res = await api.availability(info!.id, from, to, duration);
    return Object.fromEntries(res.days.map((d) => [d.date, d.start_times ?? []]));
  };
  useEffect(() => {
    if (!info || !month || !duration) return;
    setLoading(true);
    load(month, addDays(addDays(month, 31).slice(0, 8) + '01', -1))
      .then(setDays, fail)
      .finally(() => setLoading(false));
  }, [info, month, duration, serviceId, tick]);

  // Focus moves in the same task as the new step renders (a layout effect, not after paint), so
  // a screen reader announces the new heading and keys act on the new step at once.
  useLayoutEffect(() => {
    if (step !== 'when' || slot) heading.current?.focus();
  }, [step]);

  const free = new Set(Object.keys(days).filter((d) => days[d]!.length));
  const pick = (s: Slot) => {
    setSlot(s);
    setNearest([]);
    go(user ? 'confirm' : 'account');
  };

  const signedIn = (u: User) => {
    setUser(u);
    go('confirm');
  };
  const auth = (run: Promise<{ user: User }>) => {
    setBusy(true);
    run.then((r) => signedIn(r.user), fail).finally(() => setBusy(false));
  };

  /** The free times nearest to the one that was lost, over the week around it. */
  const reoffer = async (lost: Slot) => {
    const today = todayIn(zone);
    const from = addDays(lost.date, -3);
    const all = await load(from < today ? today : from, addDays(lost.date, 7));
    setDays((d) => ({ ...d, ...all }));
    const at = instantOf(lost.date, lost.time, zone);
    const slots = Object.entries(all).flatMap(([date, times]) => times.map((time) => ({ date, time })));
    setNearest(slots.sort((a, b) => Math.abs(instantOf(a.date, a.time, zone) - at) - Math.abs(instantOf(b.date, b.time, zone) - at)).slice(0, 4));
  };

  const lesson = () => ({ instructor_id: info!.id, service_id: service!.id, date: slot!.date, start_time: slot!.time, duration_minutes: duration, location_type: place as never });

  const finish = async (b: Booking) => {
    const after = await import('./done.js');
    setDone(() => after.Done);
    setBooking(b);
    go('done');
    emit('booked', { booking: b });
  };
  const failed = async (e: unknown) => {
    const code = fail(e);
    if (code === 'unauthenticated' || code === 'token_expired') setStep('account');
    if (REOFFER.has(code)) {
      setStep('confirm');
      await reoffer(slot!).catch(() => undefined);
    }
  };

  /** A free lesson is booked at once; a paid one goes to the pay step. */
  const book = async () => {
    if (!slot || !service) return;
    setBusy(true);
    try {
      if (amount > 0) {
        const m = await import('./pay.js');
        setPay(() => m.Pay);
        go('pay');
      } else await finish(await api.book(lesson()));
    } catch (e) {
      await failed(e);
    } finally {
      setBusy(false);
    }
  };

  const again = () => {
    setSlot(undefined);
    setBooking(undefined);
    go('when');
    setTick((t) => t + 1);
  };

  const when = slot?.time && fmt(instantOf(slot.date, slot.time, zone), visitor, locale, { dateStyle: 'full', timeStyle: 'short' });
  const title = service ? `${service.skill} with ${info!.full_name}` : '';
  const amount = service ? Math.round((service.hourly_rate * duration) / 60) : 0;
  const price = service && money(amount, service.currency, locale);
  const policy = info?.cancellation_policy ?? [];

  return (
    <div class="w" ref={root}>
      <p class="sr" role="status" aria-live="polite">
        {loading ? 'Loading free times…' : busy ? 'Working…' : step === 'done' ? 'Booked.' : ''}
      </p>
      {error && (
        <p class="error" role="alert">
          {messageFor(error)}
        </p>
      )}
      {!info ? (
        !error && <p class="muted">Loading…</p>
      ) : (
        <section aria-labelledby="ii-step">
          <p class="who">{info.full_name}</p>
          <h2 id="ii-step" tabIndex={-1} ref={heading}>
            {TITLES[step]}
          </h2>
          {step === 'when' && (
            <div>
              <div class="row">
                {info.services.length > 1 && (
                  <label>
                    Lesson
                    <select value={service?.id} onChange={(e) => setServiceId(e.currentTarget.value)}>
                      {info.services.map((s) => (
                        <option value={s.id} key={s.id}>{s.skill}</option>
                      ))}
                    </select>
                  </label>
                )}
                <label>
                  Length
                  <select value={String(duration)} onChange={(e) => setDuration(Number(e.currentTarget.value))}>
                    {service?.durations.map((d) => (
                      <option value={d} key={d}>{d} min</option>
                    ))}
                  </select>
                </label>
              </div>
              {month && <Month month={month} free={free} selected={slot?.date} first={first} locale={locale} loading={loading} onMonth={setMonth} onDay={(date) => setSlot({ date, time: '' })} />}
              {slot && (
                <Times slots={(days[slot.date] ?? []).map((time) => ({ date: slot.date, time }))} zone={zone} visitor={visitor} locale={locale} label="Start times, in your time zone" onPick={pick} />
              )}
              <p class="muted">Times in your time zone ({visitor}).</p>
            </div>
          )}
          {step === 'account' && (
            <>
              <Account busy={busy} onSignIn={(e, p) => auth(api.login(e, p))} onSignUp={(e, p, n) => auth(api.register(e, p, n, visitor))} />
              <button type="button" class="link" onClick={() => go('when')}>Back to times</button>
            </>
          )}
          {step === 'confirm' && slot && service && (
            <div>
              <dl>
                <dt>Lesson</dt>
                <dd>{title}, {duration} min</dd>
                <dt>When</dt>
                <dd>{when}{zone !== visitor && ` (${slot.date} ${slot.time} in ${zone})`}</dd>
                <dt>Price</dt>
                <dd>{price}</dd>
              </dl>
              <label>
                Where
                <select value={place} onChange={(e) => setPlace(e.currentTarget.value)}>
                  {service.location_types.map((l) => (
                    <option value={l} key={l}>{PLACES[l]}</option>
                  ))}
                </select>
              </label>
              <p class="muted">Booking as {user?.email}. {policyText(policy)}</p>
              {nearest.length > 0 && <Times slots={nearest} zone={zone} visitor={visitor} locale={locale} label="Nearest free times" withDay onPick={pick} />}
              <button class="primary" type="button" disabled={busy} onClick={book}>
                {amount > 0 ? `Continue to payment (${price})` : 'Book'}
              </button>
              <button type="button" class="link" onClick={() => go('when')}>Change time</button>
            </div>
          )}
          {step === 'pay' && Pay && <Pay api={api} price={price || ''} book={(pm) => api.book({ ...lesson(), payment_method_id: pm })} onBooked={finish} onError={failed} onBack={() => go('confirm')} />}
          {step === 'done' && booking && Done && <Done booking={booking} title={title} when={when || ''} email={user?.email} onAgain={again} />}
        </section>
      )}
    </div>
  );
}
