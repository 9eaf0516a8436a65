import { render } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { BookingWidget, type BookingProps } from './app.js';
import css from './styles.css?inline';

export const TAG = 'instainstru-booking';
const ATTRIBUTES = ['instructor', 'publishable-key', 'service', 'duration', 'theme', 'locale', 'api', 'modal'];

/** Inline, or (with `modal`, as `InstaInstru('open')` makes it) a dialog that removes its element when closed. */
function Element(props: BookingProps & { modal?: string }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    d.showModal();
    const close = () => (d.getRootNode() as ShadowRoot).host.remove();
    d.addEventListener('close', close);
    return () => d.removeEventListener('close', close);
  }, [props.modal !== undefined]);
  if (props.modal === undefined) return <BookingWidget {...props} />;
  return (
    <dialog ref={dialog} aria-label="Book a lesson">
      <form method="dialog">
        <button class="link close" aria-label="Close">Close</button>
      </form>
      <BookingWidget {...props} />
    </dialog>
  );
}

const camel = (name: string) => name.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());

/**
 * Defines `<instainstru-booking>` once: Preact in an open shadow root styled by one constructable
 * stylesheet (no inline styles, strict-CSP safe); attributes become props and re-render on change.
 * (What preact-custom-element does, minus slots and context: a kilobyte less of the size budget.)
 */
export function define(): void {
  if (customElements.get(TAG)) return;
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(css);
  class BookingElement extends HTMLElement {
    static observedAttributes = ATTRIBUTES;
    #root = this.attachShadow({ mode: 'open' });
    #on = false;
    constructor() {
      super();
      this.#root.adoptedStyleSheets = [sheet];
    }
    #render() {
      if (!this.#on) return;
      const props: Record<string, string> = {};
      for (const name of ATTRIBUTES) if (this.hasAttribute(name)) props[camel(name)] = this.getAttribute(name)!;
      render(<Element {...props} />, this.#root);
    }
    connectedCallback() {
      this.#on = true;
      this.#render();
    }
    attributeChangedCallback() {
      this.#render();
    }
    disconnectedCallback() {
      this.#on = false;
      render(null, this.#root);
    }
  }
  customElements.define(TAG, BookingElement);
}
