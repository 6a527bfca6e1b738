/**
 * Staff accounts, in Settings (admin only): GET /staff, POST /staff (an
 * invitation by email to choose a password), PATCH /staff/{id} (make or
 * unmake admin, disable or enable). An admin cannot demote or disable
 * themselves: the API answers 409 `self`, shown as a sentence.
 */
import { useState } from 'preact/hooks';
import { ApiError, api, seg } from '../api.ts';
import { ErrorMessage, Loading, Notice, useLang, useLoad } from '../components/ui.tsx';
import { formatDate } from '../format.ts';
import { lang, t } from '../i18n.ts';
import { ConfirmDialog } from './dialogs.tsx';
import { type StaffAccount, type StaffRole, to } from './oversight.ts';

/** A sentence for the errors these screens expect; anything else goes to ErrorMessage. */
function ownError(err: unknown): string | undefined {
  if (!(err instanceof ApiError)) return undefined;
  if (err.code === 'self') return to('staff.self');
  if (err.code === 'email_taken' || (err.status === 409 && err.field === 'email')) return to('staff.emailTaken');
  return undefined;
}

function Problem({ error }: { error: unknown }) {
  useLang();
  const own = ownError(error);
  if (!own) return <ErrorMessage error={error} />;
  return (
    <p class="alert alert-error" role="alert">
      {own}
    </p>
  );
}

function statusBadge(s: StaffAccount['status']) {
  const key =
    s === 'disabled' ? 'users.status.disabled' : s === 'invited' ? 'users.status.invited' : 'users.status.active';
  return <span class={s === 'disabled' ? 'badge badge-off' : 'badge'}>{t(key)}</span>;
}

export function StaffAccounts({ email: myEmail }: { email: string }) {
  useLang();
  const q = useLoad(() => api<{ staff: StaffAccount[] }>('/staff').then((r) => r.staff ?? []), []);
  const [error, setError] = useState<unknown>();
  const [notice, setNotice] = useState<string>();
  const [busy, setBusy] = useState<string>();
  const [confirmDisable, setConfirmDisable] = useState<StaffAccount>();
  const isMe = (s: StaffAccount) => !!myEmail && s.email.toLowerCase() === myEmail.toLowerCase();

  const patch = async (s: StaffAccount, body: { role?: StaffRole; status?: 'active' | 'disabled' }, done: string) => {
    setBusy(s.id);
    setError(undefined);
    setNotice(undefined);
    try {
      await api<StaffAccount>(`/staff/${seg(s.id)}`, { method: 'PATCH', body });
      setNotice(done);
      q.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(undefined);
    }
  };

  const staff = q.data ?? [];
  return (
    <section class="section" aria-labelledby="staff-title" data-testid="staff-accounts">
      <h2 id="staff-title">{t('settings.staff')}</h2>
      <p class="lead">{to('staff.intro')}</p>
      {notice && <Notice text={notice} onDone={() => setNotice(undefined)} />}
      <ErrorMessage error={q.error} notYet />
      {error !== undefined && <Problem error={error} />}
      {q.loading && !q.data && <Loading />}
      {q.data && staff.length === 0 && <p class="empty">{to('staff.empty')}</p>}
      {staff.length > 0 && (
        <div class="table-wrap">
          <table class="data" data-testid="staff-list">
            <thead>
              <tr>
                <th scope="col">{t('common.name')}</th>
                <th scope="col">{t('common.email')}</th>
                <th scope="col">{to('staff.role')}</th>
                <th scope="col">{t('users.status')}</th>
                <th scope="col">{to('staff.since')}</th>
                <th scope="col">
                  <span class="visually-hidden">{t('common.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {staff.map((s) => {
                const admin = s.role === 'admin';
                const disabled = s.status === 'disabled';
                return (
                  <tr key={s.id} data-testid="staff-row" data-email={s.email}>
                    <td>
                      {s.name} {isMe(s) && <span class="hint">{to('staff.you')}</span>}
                    </td>
                    <td>{s.email}</td>
                    <td>{to(admin ? 'staff.role.admin' : 'staff.role.staff')}</td>
                    <td>{statusBadge(s.status)}</td>
                    <td>{formatDate(s.createdAt, false)}</td>
                    <td>
                      <div class="row">
                        <button
                          type="button"
                          class="btn btn-small"
                          disabled={busy === s.id}
                          aria-label={to(admin ? 'staff.unmakeAdminLabel' : 'staff.makeAdminLabel', { email: s.email })}
                          onClick={() =>
                            void patch(
                              s,
                              { role: admin ? 'staff' : 'admin' },
                              to(admin ? 'staff.unmadeAdmin' : 'staff.madeAdmin', { email: s.email }),
                            )
                          }
                        >
                          {to(admin ? 'staff.unmakeAdmin' : 'staff.makeAdmin')}
                        </button>
                        {disabled ? (
                          <button
                            type="button"
                            class="btn btn-small"
                            disabled={busy === s.id}
                            aria-label={to('staff.enableLabel', { email: s.email })}
                            onClick={() => void patch(s, { status: 'active' }, to('staff.enabled', { email: s.email }))}
                          >
                            {to('staff.enable')}
                          </button>
                        ) : (
                          <button
                            type="button"
                            class="btn btn-small btn-danger"
                            disabled={busy === s.id}
                            aria-label={to('staff.disableLabel', { email: s.email })}
                            onClick={() => setConfirmDisable(s)}
                          >
                            {to('staff.disable')}
                          </button>
                        )}
                      </div>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <InviteForm
        onInvited={(s) => {
          setError(undefined);
          setNotice(to('staff.invited', { email: s.email }));
          q.reload();
        }}
      />
      {confirmDisable && (
        <ConfirmDialog
          title={to('staff.disableLabel', { email: confirmDisable.email })}
          text={to('staff.disableConfirm', { email: confirmDisable.email })}
          confirmLabel={to('staff.disable')}
          danger
          onConfirm={async () => {
            await patch(confirmDisable, { status: 'disabled' }, to('staff.disabled', { email: confirmDisable.email }));
            setConfirmDisable(undefined);
          }}
          onClose={() => setConfirmDisable(undefined)}
        />
      )}
    </section>
  );
}

function InviteForm({ onInvited }: { onInvited: (s: StaffAccount) => void }) {
  useLang();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<StaffRole>('staff');
  const [language, setLanguage] = useState(lang());
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const s = await api<StaffAccount>('/staff', {
        method: 'POST',
        body: { email: email.trim(), name: name.trim(), role, language },
      });
      setEmail('');
      setName('');
      setRole('staff');
      onInvited(s);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      onSubmit={submit}
      class="card card-wide section"
      aria-labelledby="staff-invite-title"
      data-testid="staff-invite"
    >
      <h3 id="staff-invite-title">{to('staff.inviteTitle')}</h3>
      <p class="hint">{to('staff.inviteIntro')}</p>
      {error !== undefined && <Problem error={error} />}
      <div class="row">
        <div class="field grow">
          <label for="st-email">{t('common.email')}</label>
          <input
            id="st-email"
            type="email"
            required
            autocomplete="off"
            maxLength={254}
            value={email}
            onInput={(e) => (setEmail(e.currentTarget.value), setError(undefined))}
          />
        </div>
        <div class="field grow">
          <label for="st-name">{t('common.name')}</label>
          <input
            id="st-name"
            required
            maxLength={200}
            autocomplete="off"
            value={name}
            onInput={(e) => setName(e.currentTarget.value)}
          />
        </div>
        <div class="field">
          <label for="st-role">{to('staff.role')}</label>
          <select id="st-role" value={role} onChange={(e) => setRole(e.currentTarget.value as StaffRole)}>
            <option value="staff">{to('staff.role.staff')}</option>
            <option value="admin">{to('staff.role.admin')}</option>
          </select>
        </div>
        <div class="field">
          <label for="st-lang">{t('common.language')}</label>
          <select id="st-lang" value={language} onChange={(e) => setLanguage(e.currentTarget.value as 'es' | 'en')}>
            <option value="es">{t('lang.es')}</option>
            <option value="en">{t('lang.en')}</option>
          </select>
        </div>
      </div>
      <button type="submit" class="btn btn-primary" disabled={busy || !email.trim() || !name.trim()}>
        {busy ? t('common.working') : to('staff.invite')}
      </button>
    </form>
  );
}
