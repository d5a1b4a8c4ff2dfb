import { useEffect, useState } from 'preact/hooks';
import type { FormField } from '../../src/form-fields.js';
import { api } from '../api.js';
import { t } from '../i18n.js';
import { Card, Empty } from '../widgets.js';

type Entry = Record<string, unknown>;
interface ConfigView {
  file: string | null;
  venues: Record<string, Entry>;
  strategies: Entry[];
  fields: { venues: Record<string, FormField[]>; strategy: FormField[] };
}

export function Configuration() {
  const [view, setView] = useState<ConfigView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [editing, setEditing] = useState<{ name: string; entry: Entry; isNew: boolean } | null>(null);
  const [editingStrategy, setEditingStrategy] = useState<{ id: string; text: string; isNew: boolean } | null>(null);

  const load = () => api<ConfigView>('GET', '/api/config').then(setView, (e: Error) => setError(e.message));
  useEffect(() => void load(), []);

  const done = (v: ConfigView) => {
    setView(v);
    setError(null);
    setNotice(t('common.saved'));
    setEditing(null);
    setEditingStrategy(null);
  };
  const fail = (e: Error) => setError(e.message);

  if (!view) return <Card title={t('nav.configuration')}>{error ? <p class="bad">{t('common.error', { message: error })}</p> : <Empty />}</Card>;
  if (!view.file) return <Card title={t('nav.configuration')}>{t('config.noFile')}</Card>;

  const kinds = Object.keys(view.fields.venues);
  return (
    <div class="grid">
      <Card title={t('config.venues')} wide>
        <p class="muted">{t('config.file', { file: view.file })}</p>
        <p class="muted">{t('config.restartNote')}</p>
        {error ? <p class="bad" role="alert">{t('common.error', { message: error })}</p> : null}
        {notice && !error ? <p class="good" role="status">{notice}</p> : null}
        {Object.keys(view.venues).length === 0 ? (
          <Empty />
        ) : (
          <div class="scroll">
            <table data-testid="venue-config">
              <thead>
                <tr>
                  <th>{t('config.name')}</th>
                  <th>{t('config.kind')}</th>
                  <th>{t('config.testnet')}</th>
                  <th></th>
                </tr>
              </thead>
              <tbody>
                {Object.entries(view.venues).map(([name, v]) => (
                  <tr key={name} data-venue={name}>
                    <td>{name}</td>
                    <td>{String(v.kind ?? '')}</td>
                    <td>{testnetOf(v)}</td>
                    <td class="secrets">
                      {(view.fields.venues[String(v.kind)] ?? [])
                        .filter((f) => f.type === 'secret' && v[f.name] !== undefined)
                        .map((f) => (
                          <span key={f.name} class="secret" data-secret={f.name}>
                            {f.name}: {String(v[f.name])}
                          </span>
                        ))}
                    </td>
                    <td>
                      <button onClick={() => setEditing({ name, entry: v, isNew: false })}>{t('common.edit')}</button>{' '}
                      <button
                        class="danger"
                        onClick={() => {
                          if (confirm(t('config.confirmDelete', { name }))) api<ConfigView>('DELETE', `/api/config/venues/${encodeURIComponent(name)}`).then(done, fail);
                        }}
                      >
                        {t('common.delete')}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {editing ? (
          <VenueForm
            key={editing.name}
            initial={editing}
            kinds={kinds}
            fields={view.fields.venues}
            onCancel={() => setEditing(null)}
            onSave={(name, entry) => api<ConfigView>('PUT', `/api/config/venues/${encodeURIComponent(name)}`, entry).then(done, fail)}
          />
        ) : (
          <button onClick={() => setEditing({ name: '', entry: { kind: kinds[0] ?? 'ccxt' }, isNew: true })}>{t('config.newVenue')}</button>
        )}
      </Card>
      <Card title={t('config.strategies')} wide>
        {view.strategies.length === 0 ? (
          <Empty />
        ) : (
          <table>
            <tbody>
              {view.strategies.map((s) => (
                <tr key={String(s.id)}>
                  <td>{String(s.id)}</td>
                  <td>{String(s.venue ?? '')}</td>
                  <td>{String(s.symbol ?? '')}</td>
                  <td>
                    <code>{JSON.stringify(s.params ?? {})}</code>
                  </td>
                  <td>
                    <button onClick={() => setEditingStrategy({ id: String(s.id), text: JSON.stringify(s, null, 2), isNew: false })}>{t('common.edit')}</button>{' '}
                    <button
                      class="danger"
                      onClick={() => {
                        if (confirm(t('config.confirmDelete', { name: String(s.id) }))) api<ConfigView>('DELETE', `/api/config/strategies/${encodeURIComponent(String(s.id))}`).then(done, fail);
                      }}
                    >
                      {t('common.delete')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {editingStrategy ? (
          <div class="form">
            <label>
              {t('config.params')}
              <textarea rows={8} value={editingStrategy.text} onInput={(e) => setEditingStrategy({ ...editingStrategy, text: (e.target as HTMLTextAreaElement).value })} />
            </label>
            <button
              onClick={() => {
                let entry: Entry;
                try {
                  entry = JSON.parse(editingStrategy.text) as Entry;
                } catch {
                  setError(t('config.badJson'));
                  return;
                }
                const id = String(entry.id ?? editingStrategy.id);
                api<ConfigView>('PUT', `/api/config/strategies/${encodeURIComponent(id)}`, entry).then(done, fail);
              }}
            >
              {t('common.save')}
            </button>{' '}
            <button onClick={() => setEditingStrategy(null)}>{t('common.cancel')}</button>
          </div>
        ) : (
          <button onClick={() => setEditingStrategy({ id: '', text: JSON.stringify({ id: 'mm-new', venue: 'binanceusdm', symbol: 'BTC-PERP', params: { kind: 'fixed-spread', spreadBps: 2, size: '0.01' } }, null, 2), isNew: true })}>
            {t('config.newStrategy')}
          </button>
        )}
      </Card>
    </div>
  );
}

function testnetOf(v: Entry): string {
  if (typeof v.testnet === 'boolean') return v.testnet ? t('common.yes') : t('common.no');
  if (v.env === 'testnet' || v.env === 'prod') return v.env === 'testnet' ? t('common.yes') : t('common.no');
  return '';
}

function VenueForm(props: {
  initial: { name: string; entry: Entry; isNew: boolean };
  kinds: string[];
  fields: Record<string, FormField[]>;
  onCancel: () => void;
  onSave: (name: string, entry: Entry) => void;
}) {
  const [name, setName] = useState(props.initial.name);
  const [entry, setEntry] = useState<Entry>(props.initial.entry);
  const kind = String(entry.kind ?? props.kinds[0]);
  const fields = props.fields[kind] ?? [];
  const set = (k: string, v: unknown) => setEntry((e) => ({ ...e, [k]: v }));

  const submit = (ev: Event) => {
    ev.preventDefault();
    const out: Entry = { kind };
    for (const f of fields) {
      const v = entry[f.name];
      if (v === undefined || v === '') continue;
      out[f.name] = v;
    }
    props.onSave(name, out);
  };

  return (
    <form class="form" onSubmit={submit} data-testid="venue-form">
      <label>
        {t('config.name')}
        <input name="name" value={name} disabled={!props.initial.isNew} onInput={(e) => setName((e.target as HTMLInputElement).value)} required />
      </label>
      <label>
        {t('config.kind')}
        <select name="kind" value={kind} disabled={!props.initial.isNew} onChange={(e) => setEntry({ kind: (e.target as HTMLSelectElement).value })}>
          {props.kinds.map((k) => (
            <option key={k} value={k}>
              {k}
            </option>
          ))}
        </select>
      </label>
      {fields.map((f) => (
        <label key={f.name}>
          {f.name === 'testnet' || f.name === 'env' ? `${f.name} (${t('config.testnet')})` : f.name}
          <FieldInput field={f} value={entry[f.name]} onChange={(v) => set(f.name, v)} />
        </label>
      ))}
      <div>
        <button type="submit">{t('common.save')}</button> <button type="button" onClick={props.onCancel}>{t('common.cancel')}</button>
      </div>
    </form>
  );
}

function FieldInput({ field, value, onChange }: { field: FormField; value: unknown; onChange: (v: unknown) => void }) {
  switch (field.type) {
    case 'boolean':
      return <input type="checkbox" name={field.name} checked={value === undefined ? field.default === true : value === true} onChange={(e) => onChange((e.target as HTMLInputElement).checked)} />;
    case 'enum':
      return (
        <select name={field.name} value={String(value ?? field.default ?? '')} onChange={(e) => onChange((e.target as HTMLSelectElement).value)}>
          {field.required ? null : <option value=""></option>}
          {(field.options ?? []).map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      );
    case 'number':
      return <input type="number" step="any" name={field.name} value={value === undefined ? '' : String(value)} onInput={(e) => { const s = (e.target as HTMLInputElement).value; onChange(s === '' ? undefined : Number(s)); }} />;
    case 'list':
      return <input name={field.name} value={Array.isArray(value) ? value.join(',') : ''} placeholder={Array.isArray(field.default) ? field.default.join(',') : ''} onInput={(e) => { const s = (e.target as HTMLInputElement).value; onChange(s === '' ? undefined : s.split(',').map((x) => x.trim()).filter((x) => x !== '')); }} />;
    case 'secret':
      return <input type="password" autocomplete="off" name={field.name} placeholder={t('config.secretHint')} value={typeof value === 'string' ? value : ''} onInput={(e) => onChange((e.target as HTMLInputElement).value)} />;
    default:
      return <input name={field.name} value={value === undefined ? '' : String(value)} placeholder={field.default === undefined ? '' : String(field.default)} onInput={(e) => onChange((e.target as HTMLInputElement).value)} />;
  }
}
