import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { call, publishedInstructor, registerUser, startTestApp, type TestApp } from '../../api/test/harness.js';
import { addDays, todayIn } from '../../api/src/platform/time.js';
import { axeViolations, launchBrowser, screenshots, SHOTS_DIR, startPartnerSite, widgetFile } from './support.js';

const ZONE = 'Europe/Berlin';

describe('the booking widget in Chromium, on a hostile partner page with a strict CSP, against the real API', () => {
  let app: TestApp;
  let inst: Awaited<ReturnType<typeof publishedInstructor>>;
  let keyId: string;
  let site: Awaited<ReturnType<typeof startPartnerSite>>;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let context: BrowserContext;
  let problems: string[] = [];

  beforeAll(async () => {
    app = await startTestApp({ now: new Date() });
    const today = todayIn(ZONE, new Date());
    const days = Array.from({ length: 40 }, (_, i) => ({ date: addDays(today, i + 1), ranges: [{ start_time: '09:00', end_time: '17:00' }] }));
    inst = await publishedInstructor(app, { timezone: ZONE, days, durations: [60, 90], skill: 'Yoga' });
    // The partner's origin must exist before its key: take a port, bind the key to it, then serve there.
    const manifest = (await call(app, 'GET', '/widget/v1/manifest.json')).body as { files: { name: string; integrity: string }[] };
    const integrity = manifest.files.find((f) => f.name === 'widget.js')!.integrity;
    // The page also pins the lazily loaded chunks (the manifest's hashes in an import map): docs/widget.md, Integrity.
    const chunks = Object.fromEntries(manifest.files.filter((f) => f.name.startsWith('chunk-')).map((f) => [`${app.url}/widget/v1/${f.name}`, f.integrity]));
    expect(Object.keys(chunks).length).toBeGreaterThanOrEqual(2);
    site = await startPartnerSite({ api: app.url, instructor: inst.id, publishableKey: 'pending', stub: widgetFile('stub.js').trim(), integrity, chunks });
    await site.close();
    const key = await call(app, 'POST', '/v1/me/api-keys', { token: inst.token, body: { name: 'Yoga Loft', type: 'publishable', allowed_origins: [site.origin] } });
    keyId = key.body.id;
    site = await startPartnerSite({ api: app.url, instructor: inst.id, publishableKey: key.body.secret, stub: widgetFile('stub.js').trim(), integrity, chunks, port: Number(new URL(site.origin).port) });
    browser = await launchBrowser();
    context = browser.context;
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
    await app?.close();
  });

  async function open(): Promise<Page> {
    problems = [];
    const page = await context.newPage();
    page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    await page.goto(site.url);
    return page;
  }
  const widget = (page: Page) => page.locator('instainstru-booking');
  const heading = (page: Page) => widget(page).locator('h2');
  async function accessible(page: Page) {
    expect(await axeViolations(page)).toEqual([]);
  }
  /** No CSP violation, no script error; `expected` are failed loads the test caused on purpose (e.g. a 409). */
  async function cleanPage(page: Page, expected: RegExp[] = []) {
    expect(await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations)).toEqual([]);
    expect(problems.filter((p) => !expected.some((e) => e.test(p)))).toEqual([]);
  }
  /** Milliseconds from navigation to the month view showing free days. */
  async function monthRendered(page: Page): Promise<number> {
    await page.waitForFunction(() => document.querySelector('instainstru-booking')?.shadowRoot?.querySelector('.day.free'), undefined, { polling: 'raf' });
    return page.evaluate(() => performance.now());
  }
  const bookingsOfInstructor = async () => (await call(app, 'GET', '/v1/bookings?role=instructor&limit=100', { token: inst.token })).body.data as { id: string; date: string; start_time: string; student_id: string; source: unknown }[];

  it('a visitor signs up and books; the booking exists in the API with its widget source', async () => {
    // A visitor's first view: once in a browser that has just started, then as a page of a running browser.
    const cold = await open();
    const coldMs = await monthRendered(cold);
    await cold.close();
    const page = await open();
    const firstRender = await monthRendered(page);
    mkdirSync(SHOTS_DIR, { recursive: true });
    const timing = { month_view_first_render_ms: Math.round(firstRender), with_browser_start_ms: Math.round(coldMs), budget_ms: 1000 };
    writeFileSync(new URL('first-render.json', SHOTS_DIR), `${JSON.stringify(timing, null, 2)}\n`);
    expect(firstRender).toBeLessThan(1000);
    // Hostile page CSS changed nothing inside: the widget's own font and colours, buttons visible.
    const style = await widget(page).locator('.w').evaluate((el) => ({ font: getComputedStyle(el).fontSize, color: getComputedStyle(el).color }));
    expect(style).toEqual({ font: '16px', color: 'rgb(43, 33, 24)' });
    // ...and the widget changed nothing outside: no styles added to the page.
    expect(await page.evaluate(() => [document.adoptedStyleSheets.length, document.styleSheets.length])).toEqual([0, 1]);
    await expect.poll(() => page.evaluate(() => (window as unknown as { __events: { name: string }[] }).__events.map((e) => e.name)), { timeout: 20_000 }).toContain('ready');
    await accessible(page);
    // theme="dark" wins over the visitor's light preference; without it the preference decides.
    const background = () => widget(page).locator('.w').evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(await background()).toBe('rgb(255, 253, 248)');
    await widget(page).evaluate((el) => el.setAttribute('theme', 'dark'));
    expect(await background()).toBe('rgb(31, 26, 20)');
    await widget(page).evaluate((el) => el.removeAttribute('theme'));
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await background()).toBe('rgb(31, 26, 20)');
    await page.emulateMedia({ colorScheme: 'light' });
    // Down to 320 px wide nothing sticks out sideways.
    await page.setViewportSize({ width: 320, height: 700 });
    expect(await widget(page).locator('.w').evaluate((el) => [el.scrollWidth <= el.clientWidth, el.getBoundingClientRect().right <= 320])).toEqual([true, true]);
    await page.setViewportSize({ width: 1280, height: 900 });
    await screenshots(page, '1-month');

    await widget(page).locator('.day.free').first().click();
    await widget(page).getByRole('list', { name: 'Start times, in your time zone' }).waitFor();
    await accessible(page);
    await screenshots(page, '2-times');
    const firstTime = widget(page).getByRole('list', { name: 'Start times, in your time zone' }).getByRole('button').first();
    expect(await firstTime.textContent()).toMatch(/^\d{1,2}:\d{2} [AP]M 09:00 Berlin$/);
    await firstTime.click();

    await expect.poll(() => heading(page).textContent(), { timeout: 20_000 }).toBe('Your account');
    expect(await page.evaluate(() => document.querySelector('instainstru-booking')!.shadowRoot!.activeElement?.id)).toBe('ii-step');
    await accessible(page);
    await screenshots(page, '3-account');
    const email = `visitor-${Date.now()}@example.com`;
    await widget(page).getByLabel('Your name').fill('Vera Visitor');
    await widget(page).getByLabel('Email').fill(email);
    await widget(page).getByLabel('Password').fill('a-long-password-1');
    await widget(page).getByRole('button', { name: 'Create account and continue' }).click();

    await expect.poll(() => heading(page).textContent(), { timeout: 20_000 }).toBe('Confirm your lesson');
    expect(await widget(page).locator('dl').textContent()).toContain('€60.00');
    await accessible(page);
    expect(await widget(page).getByText(/^Booking as/).textContent()).toContain('Cancelling 24+ h before: free, later: 50%.');
    await screenshots(page, '4-confirm');
    await widget(page).getByRole('button', { name: 'Continue to payment (€60.00)' }).click();

    await expect.poll(() => heading(page).textContent(), { timeout: 20_000 }).toBe('Pay');
    expect(await widget(page).getByRole('radio', { name: 'Test card: Visa •••• 4242 (approved)' }).isChecked()).toBe(true);
    await accessible(page);
    await screenshots(page, '5-pay');
    await widget(page).getByRole('button', { name: 'Pay €60.00 and book' }).click();

    await expect.poll(() => heading(page).textContent(), { timeout: 20_000 }).toBe('You are booked');
    await accessible(page);
    await screenshots(page, '6-done');
    const events = await page.evaluate(() => (window as unknown as { __events: { name: string; detail: { booking?: { id: string } } }[] }).__events);
    const booked = events.find((e) => e.name === 'booked')!.detail.booking!;
    const mine = (await bookingsOfInstructor()).find((b) => b.id === booked.id)!;
    expect(mine).toMatchObject({ start_time: '09:00', source: { kind: 'widget', key_id: keyId } });
    expect(['authorized', 'card_saved']).toContain((mine as unknown as { payment_status: string }).payment_status);

    const [download] = await Promise.all([page.waitForEvent('download'), widget(page).getByRole('link', { name: 'Add to calendar (.ics)' }).click()]);
    const ics = readFileSync((await download.path())!, 'utf8');
    expect(ics).toContain('BEGIN:VEVENT');
    expect(ics).toContain(`UID:${booked.id}@instainstru`);
    await cleanPage(page);
    await page.close();
  });

  it('a time taken meanwhile shows its message and re-offers the nearest free times', async () => {
    const student = await registerUser(app, 'student');
    const rival = await registerUser(app, 'student');
    const page = await open();
    await widget(page).locator('.day.free').nth(1).click();
    const date = (await widget(page).locator('.day[aria-pressed=true]').getAttribute('data-date'))!;
    await widget(page).getByRole('list', { name: 'Start times, in your time zone' }).getByRole('button').nth(4).click();
    await widget(page).getByRole('button', { name: 'I have an account' }).click();
    await widget(page).getByLabel('Email').fill(student.email);
    await widget(page).getByLabel('Password').fill('a-long-password-1');
    await widget(page).getByRole('button', { name: 'Sign in and continue' }).click();
    await expect.poll(() => heading(page).textContent(), { timeout: 20_000 }).toBe('Confirm your lesson');
    // Someone else books 10:00 first.
    const taken = await call(app, 'POST', '/v1/bookings', { token: rival.token, body: { instructor_id: inst.id, service_id: inst.serviceId, date, start_time: '10:00', duration_minutes: 60, location_type: 'online' } });
    expect(taken.status).toBe(201);
    await widget(page).getByRole('button', { name: /^Continue to payment/ }).click();
    await widget(page).getByRole('button', { name: /^Pay .* and book$/ }).click();
    await expect.poll(() => widget(page).getByRole('alert').textContent(), { timeout: 20_000 }).toBe('Someone else just booked this time. Here are the nearest free times:');
    expect(await heading(page).textContent()).toBe('Confirm your lesson');
    const nearest = widget(page).getByRole('list', { name: 'Nearest free times' }).getByRole('button');
    await nearest.first().waitFor();
    await accessible(page);
    await screenshots(page, '7-time-taken');
    const offered = await nearest.allTextContents();
    expect(offered.length).toBe(4);
    expect(offered.join('|')).not.toContain(' 10:00 Berlin');
    await nearest.first().click();
    await widget(page).getByRole('button', { name: /^Continue to payment/ }).click();
    await widget(page).getByRole('button', { name: /^Pay .* and book$/ }).click();
    await expect.poll(() => heading(page).textContent(), { timeout: 20_000 }).toBe('You are booked');
    const events = await page.evaluate(() => (window as unknown as { __events: { name: string; detail: { code?: string } }[] }).__events);
    expect(events.filter((e) => e.name === 'error').map((e) => e.detail.code)).toEqual(['instructor_conflict']);
    await cleanPage(page, [/status of 409/]);
    await page.close();
  });

  it('a declined card says so, books nothing, and another card books', async () => {
    const page = await open();
    await widget(page).locator('.day.free').nth(2).click();
    await widget(page).getByRole('list', { name: 'Start times, in your time zone' }).getByRole('button').nth(8).click();
    const email = `declined-${Date.now()}@example.com`;
    await widget(page).getByLabel('Your name').fill('Dee Clined');
    await widget(page).getByLabel('Email').fill(email);
    await widget(page).getByLabel('Password').fill('a-long-password-1');
    await widget(page).getByRole('button', { name: 'Create account and continue' }).click();
    await widget(page).getByRole('button', { name: /^Continue to payment/ }).click();
    await widget(page).getByRole('radio', { name: 'Test card: Visa •••• 0002 (declined)' }).check();
    await widget(page).getByRole('button', { name: /^Pay .* and book$/ }).click();
    await expect.poll(() => widget(page).getByRole('alert').textContent(), { timeout: 20_000 }).toBe('Your card was declined, so nothing was booked. Try another card.');
    expect(await heading(page).textContent()).toBe('Pay');
    await accessible(page);
    await screenshots(page, '8-declined');
    const before = (await bookingsOfInstructor()).length;
    await widget(page).getByRole('radio', { name: 'Test card: Visa •••• 4242 (approved)' }).check();
    await widget(page).getByRole('button', { name: /^Pay .* and book$/ }).click();
    await expect.poll(() => heading(page).textContent(), { timeout: 20_000 }).toBe('You are booked');
    expect((await bookingsOfInstructor()).length).toBe(before + 1);
    const events = await page.evaluate(() => (window as unknown as { __events: { name: string; detail: { code?: string } }[] }).__events);
    expect(events.filter((e) => e.name === 'error').map((e) => e.detail.code)).toEqual(['payment_declined']);
    await cleanPage(page, [/status of 402/]);
    await page.close();
  });

  it("the card that asks for 3-D Secure: the bank's check is completed from the widget and the booking is confirmed in the API", async () => {
    const page = await open();
    await widget(page).locator('.day.free').nth(3).click();
    await widget(page).getByRole('list', { name: 'Start times, in your time zone' }).getByRole('button').nth(4).click();
    await widget(page).getByLabel('Your name').fill('Tre Dee');
    await widget(page).getByLabel('Email').fill(`3ds-${Date.now()}@example.com`);
    await widget(page).getByLabel('Password').fill('a-long-password-1');
    await widget(page).getByRole('button', { name: 'Create account and continue' }).click();
    await widget(page).getByRole('button', { name: /^Continue to payment/ }).click();
    await widget(page).getByRole('radio', { name: 'Test card: Visa •••• 3184 (asks for 3-D Secure)' }).check();
    // The browser's calls: the booking (answered 'requires_action'), then its confirm-payment (CORS for the partner's origin).
    const calls: string[] = [];
    page.on('response', (r) => /\/v1\/bookings/.test(r.url()) && r.request().method() === 'POST' && calls.push(`${new URL(r.url()).pathname.replace(/[0-9a-f-]{36}/, ':id')} ${r.status()}`));
    await widget(page).getByRole('button', { name: /^Pay .* and book$/ }).click();
    await expect.poll(() => heading(page).textContent(), { timeout: 20_000 }).toBe('You are booked');
    expect(calls).toEqual(['/v1/bookings 201', '/v1/bookings/:id/confirm-payment 200']);
    const events = await page.evaluate(() => (window as unknown as { __events: { name: string; detail: { booking?: { id: string } } }[] }).__events);
    const bookedId = events.find((e) => e.name === 'booked')!.detail.booking!.id;
    const inApi = (await call(app, 'GET', `/v1/bookings/${bookedId}`, { token: inst.token })).body;
    expect([inApi.status, inApi.payment_status, inApi.source]).toEqual(['confirmed', 'authorized', { kind: 'widget', key_id: keyId }]);
    expect(events.filter((e) => e.name === 'error')).toEqual([]);
    await cleanPage(page);
    await page.close();
  });

  it("a chunk whose bytes do not match the page's import-map integrity is refused: the pay step does not load and nothing is booked", async () => {
    const student = await registerUser(app, 'student');
    problems = [];
    const page = await context.newPage();
    page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
    await page.goto(`${site.origin}/tampered`);
    await widget(page).locator('.day.free').nth(4).click();
    await widget(page).getByRole('list', { name: 'Start times, in your time zone' }).getByRole('button').first().click();
    await widget(page).getByRole('button', { name: 'I have an account' }).click();
    await widget(page).getByLabel('Email').fill(student.email);
    await widget(page).getByLabel('Password').fill('a-long-password-1');
    await widget(page).getByRole('button', { name: /^Sign in/ }).click();
    await widget(page).getByRole('button', { name: /^Continue to payment/ }).click();
    await expect.poll(() => widget(page).getByRole('alert').textContent(), { timeout: 20_000 }).toBe('We cannot reach the booking service. Check your connection and try again.');
    expect(await heading(page).textContent()).toBe('Confirm your lesson');
    expect(problems.join('\n')).toMatch(/integrity/i);
    expect((await bookingsOfInstructor()).filter((b) => b.student_id === student.id)).toEqual([]);
    await page.close();
  });

  it('the demo page (/demo, as `npm start` serves it) shows the month view within 1 s, and books a lesson', async () => {
    // What `npm start` writes for the demo: its instructor and a publishable key for the API's own origin.
    const key = await call(app, 'POST', '/v1/me/api-keys', { token: inst.token, body: { name: 'Demo page', type: 'publishable', allowed_origins: [app.url] } });
    writeFileSync(path.join(path.dirname(app.outboxDir), 'demo-widget.json'), JSON.stringify({ instructor_id: inst.id, publishable_key: key.body.secret, origins: [app.url] }));
    problems = [];
    const page = await context.newPage();
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    await page.goto(`${app.url}/demo`);
    const firstRender = await monthRendered(page);
    const timing = JSON.parse(readFileSync(new URL('first-render.json', SHOTS_DIR), 'utf8')) as Record<string, number>;
    writeFileSync(new URL('first-render.json', SHOTS_DIR), `${JSON.stringify({ ...timing, demo_month_view_first_render_ms: Math.round(firstRender) }, null, 2)}\n`);
    expect(firstRender).toBeLessThan(1000);
    // A visitor books on the demo page: the first free day's last start time, a new account, a test card.
    await widget(page).locator('.day.free').first().click();
    await widget(page).getByRole('list', { name: 'Start times, in your time zone' }).getByRole('button').last().click();
    await expect.poll(() => heading(page).textContent(), { timeout: 20_000 }).toBe('Your account');
    await widget(page).getByLabel('Your name').fill('Demo Visitor');
    await widget(page).getByLabel('Email').fill(`demo-${Date.now()}@example.com`);
    await widget(page).getByLabel('Password').fill('a-long-password-1');
    await widget(page).getByRole('button', { name: 'Create account and continue' }).click();
    await expect.poll(() => heading(page).textContent(), { timeout: 20_000 }).toBe('Confirm your lesson');
    await widget(page).getByRole('button', { name: /^Continue to payment/ }).click();
    await expect.poll(() => heading(page).textContent(), { timeout: 20_000 }).toBe('Pay');
    await widget(page).getByRole('radio', { name: 'Test card: Visa •••• 4242 (approved)' }).check();
    await widget(page).getByRole('button', { name: /^Pay .* and book$/ }).click();
    await expect.poll(() => heading(page).textContent(), { timeout: 20_000 }).toBe('You are booked');
    // The booking is in the API, made with the demo page's key.
    const made = (await bookingsOfInstructor()).filter((b) => (b.source as { key_id?: string } | null)?.key_id === key.body.id);
    expect(made).toHaveLength(1);
    expect(made[0]).toMatchObject({ source: { kind: 'widget', key_id: key.body.id } });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('books with the keyboard alone; focus moves to each step', async () => {
    const student = await registerUser(app, 'student');
    const page = await open();
    await widget(page).locator('.day.free').first().waitFor();
    const active = () => page.evaluate(() => {
      const el = document.querySelector('instainstru-booking')!.shadowRoot!.activeElement as HTMLElement | null;
      return el ? `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''} ${el.getAttribute('aria-label') ?? el.textContent ?? ''}`.trim() : '';
    });
    const tabTo = async (pattern: RegExp) => {
      for (let i = 0; i < 30; i++) {
        await page.keyboard.press('Tab');
        if (pattern.test(await active())) return;
      }
      throw new Error(`Tab never reached ${pattern} (last: ${await active()})`);
    };
    await tabTo(/free times$/);
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    while (!/, free times$/.test(await active())) await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    await tabTo(/^button \d{1,2}:\d{2} [AP]M/);
    await page.keyboard.press('Enter');
    await expect.poll(active, { timeout: 20_000 }).toBe('h2#ii-step Your account');
    await tabTo(/I have an account/);
    await page.keyboard.press('Enter');
    await tabTo(/^input/);
    await page.keyboard.type(student.email);
    await page.keyboard.press('Tab');
    await page.keyboard.type('a-long-password-1');
    await page.keyboard.press('Enter');
    await expect.poll(active, { timeout: 20_000 }).toBe('h2#ii-step Confirm your lesson');
    await tabTo(/^button Continue to payment/);
    await page.keyboard.press('Enter');
    await expect.poll(active, { timeout: 20_000 }).toBe('h2#ii-step Pay');
    await tabTo(/^input/);
    await page.keyboard.press('Space');
    await tabTo(/^button Pay .* and book$/);
    await page.keyboard.press('Enter');
    await expect.poll(active, { timeout: 20_000 }).toBe('h2#ii-step You are booked');
    const booked = (await bookingsOfInstructor()).filter((b) => b.student_id === student.id);
    expect(booked).toHaveLength(1);
    await cleanPage(page);
    await page.close();
  });
});
