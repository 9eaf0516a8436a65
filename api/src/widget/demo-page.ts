import { cspHashOf } from './assets.js';
import type { DemoWidget } from './demo.js';

/** The queue stub of docs/widget.md: defines InstaInstru(...) and queues calls until the widget loads. */
export const STUB_SNIPPET = "(function(w,n){w[n]=w[n]||function(){(w[n].q=w[n].q||[]).push(arguments)}})(window,'InstaInstru');";

const PAGE_CSS = `body{font:16px/1.5 Georgia,serif;margin:0;background:#f6f1e7;color:#2b2118}
header{background:#2b2118;color:#f6f1e7;padding:1.5rem 1rem}header h1{margin:0;font-size:1.6rem}
main{max-width:760px;margin:0 auto;padding:1rem}section{margin:2rem 0}
button{font:inherit;padding:.5rem 1rem;border-radius:.4rem;border:1px solid #2b2118;background:#fff;color:#2b2118;cursor:pointer}
#log{font:13px/1.4 monospace;background:#fff;padding:.5rem;border-radius:.3rem;min-height:2rem;white-space:pre-wrap}`;

/** Logs the widget's events and opens it as a dialog: what a partner's own script would do. */
export const DEMO_SCRIPT = `InstaInstru('on','booked',function(d){document.getElementById('log').textContent+='booked: '+d.booking.id+' ('+d.booking.date+' '+d.booking.start_time+')\\n'});
InstaInstru('on','error',function(d){document.getElementById('log').textContent+='error: '+d.code+'\\n'});
document.getElementById('open').addEventListener('click',function(){InstaInstru('open',{instructor:this.dataset.instructor,publishableKey:this.dataset.key})});`;

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The strict policy /demo is served with: no inline code but the two hashed snippets. */
export function demoCsp(): string {
  return [
    "default-src 'none'",
    `script-src 'self' ${cspHashOf(STUB_SNIPPET)}`,
    `style-src ${cspHashOf(PAGE_CSS)}`,
    "connect-src 'self'",
    "img-src 'self' data:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** A sample partner page (a music school) embedding the widget inline and as a dialog. */
export function demoPage(demo: DemoWidget): string {
  const id = escape(demo.instructor_id);
  const key = escape(demo.publishable_key);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Lakeside Music School: book a lesson (InstaInstru widget demo)</title>
<link rel="icon" href="data:,">
<style>${PAGE_CSS}</style>
<script>${STUB_SNIPPET}</script>
<script src="/widget/v1/widget.js" type="module" async></script>
</head><body>
<header><h1>Lakeside Music School</h1><p>Piano lessons with Anna, in Berlin or online.</p></header>
<main>
<section aria-labelledby="inline"><h2 id="inline">Book a lesson</h2>
<instainstru-booking instructor="${id}" publishable-key="${key}"></instainstru-booking>
</section>
<section aria-labelledby="popup"><h2 id="popup">Or as a dialog</h2>
<p><button id="open" type="button" data-instructor="${id}" data-key="${key}">Book in a dialog</button></p>
<h3>Events</h3><div id="log" role="log" aria-live="polite"></div>
</section>
<p>Demo accounts: sign in as <code>student@demo.instainstru.dev</code> / <code>demo-lessons-2026</code>, or create one in the widget. Payments use the offline processor's test cards.</p>
</main>
<script src="/demo/demo.js"></script>
</body></html>`;
}
