import { readFileSync } from 'node:fs';
import Handlebars from 'handlebars';

/** Names of the transactional mails the API can send. */
export type TemplateName = 'password-reset' | 'booking-confirmed' | 'booking-cancelled' | 'booking-rescheduled' | 'payment-action-required' | 'webhook-disabled' | 'lesson-reminder' | 'lesson-reminder-de';

/** Every template name, for callers (and tests) that need to enumerate them. */
export const TEMPLATE_NAMES: readonly TemplateName[] = [
  'password-reset',
  'booking-confirmed',
  'booking-cancelled',
  'booking-rescheduled',
  'payment-action-required',
  'webhook-disabled',
  'lesson-reminder',
  'lesson-reminder-de',
];

/** A rendered mail: single-line subject, HTML body wrapped in the layout, plain-text body. */
export interface RenderedMail {
  subject: string;
  html: string;
  text: string;
}

type Compiled = Handlebars.TemplateDelegate<Record<string, unknown>>;

// The template files live in src/mail-templates, next to this module's directory.
const TEMPLATE_DIR = new URL('../mail-templates/', import.meta.url);

// An isolated instance so helpers registered here never leak into other Handlebars users.
const handlebars = Handlebars.create();
handlebars.registerHelper('eq', (a: unknown, b: unknown) => a === b);

// Compiled once per file and reused; the only mutable module state.
const cache = new Map<string, Compiled>();

/** Compiles (once) the template file; `noEscape` for non-HTML output such as the text body and subject. */
function compiled(file: string, noEscape: boolean): Compiled {
  let template = cache.get(file);
  if (!template) {
    const source = readFileSync(new URL(file, TEMPLATE_DIR), 'utf8');
    template = handlebars.compile<Record<string, unknown>>(source, { noEscape });
    cache.set(file, template);
  }
  return template;
}

/** Renders the subject, HTML (inside layout.html.hbs) and text bodies of a template. */
export function renderTemplate(name: TemplateName, data: Record<string, unknown>): RenderedMail {
  // A header must be one line: collapse the file's trailing newline and any newline in the data.
  const subject = compiled(`${name}.subject.hbs`, true)(data).replace(/\s+/g, ' ').trim();
  const body = compiled(`${name}.html.hbs`, false)(data);
  const html = compiled('layout.html.hbs', false)({ subject, body });
  const text = compiled(`${name}.txt.hbs`, true)(data);
  return { subject, html, text };
}
