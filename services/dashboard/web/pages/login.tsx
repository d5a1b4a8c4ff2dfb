import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { t } from '../i18n.js';

export function Login({ onDone }: { onDone: () => void }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  return (
    <form
      class="card login"
      onSubmit={(e) => {
        e.preventDefault();
        api('POST', '/api/login', { token }).then(onDone, (err: Error) => setError(err.message));
      }}
    >
      <h2>{t('login.title')}</h2>
      <label>
        {t('login.token')}
        <input type="password" name="token" autocomplete="current-password" value={token} onInput={(e) => setToken((e.target as HTMLInputElement).value)} />
      </label>
      <button type="submit">{t('login.submit')}</button>
      {error ? <p class="bad">{t('login.failed', { message: error })}</p> : null}
    </form>
  );
}
