/** The folder browser's dialogs: name (new / rename), move, confirm, send by email, share, pick a web user. */
import { useEffect, useState } from 'preact/hooks';
import * as api from '../api.ts';
import { Dialog, ErrorMessage, useLang } from '../components/ui.tsx';
import { dateInputValue, endOfDayIso, formatDate } from '../format.ts';
import { LANG_KEYS, LANGS, lang, t } from '../i18n/index.ts';
import type { SentLink, WebUser } from '../types.ts';
import { FolderPicker } from './tree.tsx';

/** Run a submit: busy flag, error kept for display, dialog closes on success. */
function useSubmit() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const run = async (fn: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await fn();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run, setError };
}

export function NameDialog({
  title,
  label,
  initial = '',
  submitLabel,
  onSubmit,
  onClose,
}: {
  title: string;
  label: string;
  initial?: string;
  submitLabel: string;
  onSubmit: (name: string) => Promise<void>;
  onClose: () => void;
}) {
  useLang();
  const [name, setName] = useState(initial);
  const s = useSubmit();
  return (
    <Dialog title={title} onClose={onClose}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void s.run(() => onSubmit(name));
        }}
      >
        <ErrorMessage error={s.error} />
        <div class="field">
          <label for="name-input">{label}</label>
          <input
            id="name-input"
            autoFocus
            required
            maxLength={255}
            value={name}
            onInput={(e) => setName(e.currentTarget.value)}
          />
        </div>
        <div class="row-actions">
          <button type="button" class="btn" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" class="btn btn-primary" disabled={s.busy || !name.trim()}>
            {submitLabel}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

export function ConfirmDialog({
  title,
  text,
  confirmLabel,
  danger,
  onConfirm,
  onClose,
}: {
  title: string;
  text: string;
  confirmLabel: string;
  danger?: boolean;
  onConfirm: () => Promise<void>;
  onClose: () => void;
}) {
  useLang();
  const s = useSubmit();
  return (
    <Dialog title={title} onClose={onClose}>
      <ErrorMessage error={s.error} />
      <p>{text}</p>
      <div class="row-actions">
        {/* biome-ignore lint/a11y/noAutofocus: focus moves into the new dialog (WAI-ARIA) */}
        <button type="button" class="btn" onClick={onClose} autoFocus>
          {t('common.cancel')}
        </button>
        <button
          type="button"
          class={danger ? 'btn btn-danger' : 'btn btn-primary'}
          disabled={s.busy}
          onClick={() => void s.run(onConfirm)}
        >
          {confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}

export function MoveDialog({
  name,
  rootName,
  disabledIds,
  onMove,
  onClose,
}: {
  name: string;
  rootName: string;
  disabledIds: string[];
  onMove: (folderId: string) => Promise<void>;
  onClose: () => void;
}) {
  useLang();
  const [target, setTarget] = useState<{ id: string; name: string }>();
  const s = useSubmit();
  return (
    <Dialog title={t('folders.moveTitle', { name })} onClose={onClose}>
      <ErrorMessage error={s.error} />
      <p class="label" id="move-dest">
        {t('folders.moveTo')}
      </p>
      <FolderPicker rootName={rootName} selected={target?.id} onSelect={setTarget} disabledIds={disabledIds} />
      <div class="row-actions">
        <button type="button" class="btn" onClick={onClose}>
          {t('common.cancel')}
        </button>
        <button
          type="button"
          class="btn btn-primary"
          disabled={!target || s.busy}
          onClick={() => target && void s.run(() => onMove(target.id))}
        >
          {t('folders.moveHere')}
        </button>
      </div>
    </Dialog>
  );
}

const in30Days = () => dateInputValue(new Date(Date.now() + 30 * 86400_000));
const maxDate = () => dateInputValue(new Date(Date.now() + 365 * 86400_000));

/** The API's bounds for a link's options (functions/http/staff/send-folder.ts). */
const PASSWORD_MIN = 8;
const PASSWORD_MAX = 128;
const MAX_DOWNLOADS = 1000;

/**
 * "Send by email": email, optional name and message, expiry, and optional protection (a password
 * given to the recipient another way, a maximum of downloads, a mail to the sender on first open);
 * shows who will receive what.
 */
export function SendDialog({
  folder,
  onSent,
  onClose,
}: {
  folder: { id: string; name: string };
  onSent: (link: SentLink) => void;
  onClose: () => void;
}) {
  useLang();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [message, setMessage] = useState('');
  const [expires, setExpires] = useState(in30Days());
  const [language, setLanguage] = useState(lang());
  const [password, setPassword] = useState('');
  const [maxDownloads, setMaxDownloads] = useState('');
  const [notifyOnOpen, setNotifyOnOpen] = useState(false);
  const [sent, setSent] = useState<SentLink>();
  const s = useSubmit();
  const expiresAt = endOfDayIso(expires);
  const validEmail = /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim());
  // Said next to the field as soon as it is wrong, so the API's 400 is never the first word on it.
  const passwordShort = password.length > 0 && password.length < PASSWORD_MIN;
  const downloads = maxDownloads.trim() === '' ? undefined : Number(maxDownloads);
  const downloadsWrong =
    downloads !== undefined && !(Number.isInteger(downloads) && downloads >= 1 && downloads <= MAX_DOWNLOADS);
  // Said in the preview, in the words the folder's panel uses for the link afterwards.
  const protection = [
    ...(password && !passwordShort ? [t('links.password')] : []),
    ...(downloads !== undefined && !downloadsWrong ? [t('links.downloadsMax', { max: downloads })] : []),
  ];
  return (
    <Dialog title={t('send.title', { name: folder.name })} onClose={onClose}>
      {sent ? (
        <>
          <p class="alert alert-ok" role="status" data-testid="send-done">
            {t('send.sent', { email: sent.email, folder: folder.name, date: formatDate(sent.expiresAt, false) })}
            {sent.passwordProtected && ` ${t('send.sentPassword')}`}
          </p>
          <div class="row-actions">
            {/* biome-ignore lint/a11y/noAutofocus: focus moves into the new dialog (WAI-ARIA) */}
            <button type="button" class="btn btn-primary" onClick={onClose} autoFocus>
              {t('common.close')}
            </button>
          </div>
        </>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void s.run(async () => {
              const r = await api.sendFolder(folder.id, {
                email: email.trim(),
                ...(name.trim() ? { name: name.trim() } : {}),
                ...(message.trim() ? { message: message.trim() } : {}),
                ...(expiresAt ? { expiresAt } : {}),
                language,
                ...(password ? { password } : {}),
                ...(downloads !== undefined ? { maxDownloads: downloads } : {}),
                ...(notifyOnOpen ? { notifyOnOpen } : {}),
              });
              setSent(r.link);
              onSent(r.link);
            });
          }}
        >
          <p class="lead">{t('send.intro')}</p>
          <ErrorMessage error={s.error} />
          <div class="field">
            <label for="send-email">{t('send.email')}</label>
            <input
              id="send-email"
              type="email"
              required
              autoFocus
              autocomplete="off"
              value={email}
              onInput={(e) => setEmail(e.currentTarget.value)}
            />
          </div>
          <div class="field">
            <label for="send-name">
              {t('send.name')} <span class="hint">{t('common.optional')}</span>
            </label>
            <input id="send-name" value={name} maxLength={200} onInput={(e) => setName(e.currentTarget.value)} />
          </div>
          <div class="field">
            <label for="send-message">
              {t('send.message')} <span class="hint">{t('common.optional')}</span>
            </label>
            <textarea
              id="send-message"
              value={message}
              maxLength={2000}
              onInput={(e) => setMessage(e.currentTarget.value)}
            />
          </div>
          <div class="row">
            <div class="field grow">
              <label for="send-expires">{t('send.expires')}</label>
              <input
                id="send-expires"
                type="date"
                required
                min={dateInputValue(new Date())}
                max={maxDate()}
                value={expires}
                onInput={(e) => setExpires(e.currentTarget.value)}
              />
            </div>
            <div class="field grow">
              <label for="send-lang">{t('send.language')}</label>
              <select
                id="send-lang"
                value={language}
                onChange={(e) => setLanguage(e.currentTarget.value as 'es' | 'en')}
              >
                {LANGS.map((l) => (
                  <option key={l} value={l}>
                    {t(LANG_KEYS[l])}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <fieldset class="fieldset">
            <legend>{t('send.options')}</legend>
            <div class="field">
              <label for="send-password">
                {t('send.password')} <span class="hint">{t('common.optional')}</span>
              </label>
              <input
                id="send-password"
                type="password"
                autocomplete="new-password"
                maxLength={PASSWORD_MAX}
                value={password}
                aria-describedby="send-password-hint"
                aria-invalid={passwordShort}
                onInput={(e) => setPassword(e.currentTarget.value)}
              />
              <p class="hint" id="send-password-hint">
                {passwordShort ? t('send.passwordShort') : t('send.passwordHint')}
              </p>
            </div>
            <div class="field">
              <label for="send-max-downloads">
                {t('send.maxDownloads')} <span class="hint">{t('common.optional')}</span>
              </label>
              <input
                id="send-max-downloads"
                type="number"
                inputMode="numeric"
                min={1}
                max={MAX_DOWNLOADS}
                step={1}
                value={maxDownloads}
                aria-describedby="send-max-downloads-hint"
                aria-invalid={downloadsWrong}
                onInput={(e) => setMaxDownloads(e.currentTarget.value)}
              />
              <p class="hint" id="send-max-downloads-hint">
                {downloadsWrong ? t('send.maxDownloadsWrong') : t('send.maxDownloadsHint')}
              </p>
            </div>
            <label class="check">
              <input
                type="checkbox"
                checked={notifyOnOpen}
                onChange={(e) => setNotifyOnOpen(e.currentTarget.checked)}
              />
              {t('send.notifyOnOpen')}
            </label>
          </fieldset>
          {validEmail && expiresAt && (
            <p class="alert" data-testid="send-preview">
              {t('send.preview', { email: email.trim(), folder: folder.name, date: formatDate(expiresAt, false) })}
              {protection.length > 0 && ` ${t('send.previewProtection', { what: protection.join(' · ') })}`}
            </p>
          )}
          <div class="row-actions">
            <button type="button" class="btn" onClick={onClose}>
              {t('common.cancel')}
            </button>
            <button
              type="submit"
              class="btn btn-primary"
              disabled={s.busy || !validEmail || !expiresAt || passwordShort || downloadsWrong}
            >
              {s.busy ? t('common.working') : t('send.submit')}
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}

/** Search web users (GET /webusers?q=). */
export function useWebUserSearch(q: string): { users: WebUser[]; error?: unknown; loading: boolean } {
  const [state, setState] = useState<{ users: WebUser[]; error?: unknown; loading: boolean }>({
    users: [],
    loading: true,
  });
  useEffect(() => {
    const ctl = new AbortController();
    const timer = setTimeout(() => {
      api.listWebusers(q.trim(), { signal: ctl.signal }).then(
        (r) => setState({ users: r.users, loading: false }),
        (error) => !ctl.signal.aborted && setState({ users: [], error, loading: false }),
      );
    }, 200);
    return () => {
      clearTimeout(timer);
      ctl.abort();
    };
  }, [q]);
  return state;
}

export function UserSearch({ selected, onSelect }: { selected?: string; onSelect: (u: WebUser) => void }) {
  useLang();
  const [q, setQ] = useState('');
  const { users, error, loading } = useWebUserSearch(q);
  return (
    <>
      <div class="field">
        <label for="user-search">{t('share.searchUsers')}</label>
        {/* biome-ignore lint/a11y/noAutofocus: focus moves into the new dialog (WAI-ARIA) */}
        <input id="user-search" type="search" autoFocus value={q} onInput={(e) => setQ(e.currentTarget.value)} />
      </div>
      <ErrorMessage error={error} />
      {!error && !loading && users.length === 0 && <p class="empty">{t('share.noUsers')}</p>}
      {users.length > 0 && (
        <div class="picker">
          <ul class="pick-list">
            {users.map((u) => (
              <li key={u.id}>
                <button type="button" aria-pressed={selected === u.id} onClick={() => onSelect(u)}>
                  {u.name ? `${u.name} · ${u.email}` : u.email}
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </>
  );
}

export function ShareDialog({
  folder,
  onShared,
  onClose,
  onCreateUser,
}: {
  folder: { id: string; name: string };
  onShared: (u: WebUser) => void;
  onClose: () => void;
  onCreateUser: () => void;
}) {
  useLang();
  const [user, setUser] = useState<WebUser>();
  const [expires, setExpires] = useState('');
  const [notify, setNotify] = useState(true);
  const s = useSubmit();
  return (
    <Dialog title={t('share.title', { name: folder.name })} onClose={onClose}>
      <p class="lead">{t('share.intro')}</p>
      <ErrorMessage error={s.error} />
      <UserSearch selected={user?.id} onSelect={setUser} />
      <p>
        <button type="button" class="btn btn-quiet" onClick={onCreateUser}>
          {t('share.createUser')}
        </button>
      </p>
      <div class="field">
        <label for="share-expires">
          {t('share.expires')} <span class="hint">{t('common.optional')}</span>
        </label>
        <input
          id="share-expires"
          type="date"
          min={dateInputValue(new Date())}
          value={expires}
          onInput={(e) => setExpires(e.currentTarget.value)}
        />
      </div>
      <label class="check">
        <input type="checkbox" checked={notify} onChange={(e) => setNotify(e.currentTarget.checked)} />
        {t('share.notify')}
      </label>
      <div class="row-actions">
        <button type="button" class="btn" onClick={onClose}>
          {t('common.cancel')}
        </button>
        <button
          type="button"
          class="btn btn-primary"
          disabled={!user || s.busy}
          onClick={() =>
            user &&
            void s.run(async () => {
              const expiresAt = endOfDayIso(expires);
              await api.putGrant(folder.id, user.id, { ...(expiresAt ? { expiresAt } : {}), notify });
              onShared(user);
            })
          }
        >
          {t('share.submit')}
        </button>
      </div>
    </Dialog>
  );
}

export function PickUserDialog({
  title,
  intro,
  actionLabel,
  onPick,
  onClose,
}: {
  title: string;
  intro: string;
  actionLabel: string;
  onPick: (u: WebUser) => void;
  onClose: () => void;
}) {
  useLang();
  const [user, setUser] = useState<WebUser>();
  return (
    <Dialog title={title} onClose={onClose}>
      <p class="lead">{intro}</p>
      <UserSearch selected={user?.id} onSelect={setUser} />
      <div class="row-actions">
        <button type="button" class="btn" onClick={onClose}>
          {t('common.cancel')}
        </button>
        <button type="button" class="btn btn-primary" disabled={!user} onClick={() => user && onPick(user)}>
          {actionLabel}
        </button>
      </div>
    </Dialog>
  );
}
