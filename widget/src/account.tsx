import { useState } from 'preact/hooks';

export interface AccountProps {
  busy: boolean;
  onSignIn(email: string, password: string): void;
  onSignUp(email: string, password: string, name: string): void;
}

/** Inline sign-in or sign-up (a student account), no redirect. */
export function Account({ busy, onSignIn, onSignUp }: AccountProps) {
  const [mode, setMode] = useState<'in' | 'up'>('up');
  const submit = (e: Event) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget as HTMLFormElement);
    const [email, password, name] = ['email', 'password', 'name'].map((k) => String(f.get(k) ?? '').trim());
    if (mode === 'in') onSignIn(email!, password!);
    else onSignUp(email!, password!, name!);
  };
  return (
    <form onSubmit={submit} aria-busy={busy}>
      <div class="tabs" role="group" aria-label="Account">
        <button type="button" aria-pressed={mode === 'up'} onClick={() => setMode('up')}>I'm new here</button>
        <button type="button" aria-pressed={mode === 'in'} onClick={() => setMode('in')}>I have an account</button>
      </div>
      {mode === 'up' && (
        <label>
          Your name
          <input name="name" autocomplete="name" required maxLength={100} />
        </label>
      )}
      <label>
        Email
        <input name="email" type="email" autocomplete="email" required maxLength={254} />
      </label>
      <label>
        Password
        <input name="password" type="password" autocomplete={mode === 'up' ? 'new-password' : 'current-password'} required minLength={mode === 'up' ? 10 : 1} aria-describedby={mode === 'up' ? 'pw-hint' : undefined} />
      </label>
      {mode === 'up' && <p id="pw-hint" class="muted">At least 10 characters.</p>}
      <button class="primary" type="submit" disabled={busy}>
        {mode === 'up' ? 'Create account and continue' : 'Sign in and continue'}
      </button>
    </form>
  );
}
