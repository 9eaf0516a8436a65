import register from 'preact-custom-element';
import { useEffect, useRef } from 'preact/hooks';
import { BookingWidget, type BookingProps } from './app.js';
import css from './styles.css?inline';

export const TAG = 'instainstru-booking';
const ATTRIBUTES = ['instructor', 'publishable-key', 'service', 'duration', 'theme', 'locale', 'api', 'modal'] as (keyof BookingProps)[];

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

/** Defines `<instainstru-booking>` once: Preact in an open shadow root styled by one constructable stylesheet (no inline styles, strict-CSP safe). */
export function define(): void {
  if (customElements.get(TAG)) return;
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(css);
  register(Element, TAG, ATTRIBUTES, { shadow: true, mode: 'open', adoptedStyleSheets: [sheet] });
}
