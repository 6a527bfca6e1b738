/**
 * Staff accounts, in Settings (admin only): GET /staff, POST /staff (an
 * invitation by email to choose a password), PATCH /staff/{id} (make or
 * unmake admin, disable or enable). An admin's own row offers neither (the
 * API would answer 409 `self`): another administrator has to do it.
 */
import { useState } from 'preact/hooks';
import * as api from '../api.ts';
import { ErrorMessage, Loading, Notice, useLang, useLoad } from '../components/ui.tsx';
import { formatDate } from '../format.ts';
import { lang, t } from '../i18n/index.ts';
import type { StaffAccount, StaffRole } from '../types.ts';
import { ConfirmDialog } from './dialogs.tsx';
import { StatusBadge } from './WebUsers.tsx';

export function StaffAccounts({ email: myEmail }: { email: string }) {
  useLang();
  const q = useLoad(() => api.listStaff().then((r) => r.staff), []);
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
      await api.updateStaff(s.id, body);
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
      <p class="lead">{t('staff.intro')}</p>
      {notice && <Notice text={notice} onDone={() => setNotice(undefined)} />}
      <ErrorMessage error={q.error} />
      <ErrorMessage error={error} />
      {q.loading && !q.data && <Loading />}
      {q.data && staff.length === 0 && <p class="empty">{t('staff.empty')}</p>}
      {staff.length > 0 && (
        <div class="table-wrap">
          <table class="data" data-testid="staff-list">
            <thead>
              <tr>
                <th scope="col">{t('common.name')}</th>
                <th scope="col">{t('common.email')}</th>
                <th scope="col">{t('staff.role')}</th>
                <th scope="col">{t('users.status')}</th>
                <th scope="col">{t('staff.since')}</th>
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
                      {s.name} {isMe(s) && <span class="hint">{t('staff.you')}</span>}
                    </td>
                    <td>{s.email}</td>
                    <td>{t(admin ? 'staff.role.admin' : 'staff.role.staff')}</td>
                    <td>
                      <StatusBadge status={s.status} />
                    </td>
                    <td>{formatDate(s.createdAt, false)}</td>
                    <td>
                      {isMe(s) ? (
                        <span class="hint">{t('staff.selfHint')}</span>
                      ) : (
                        <div class="row">
                          <button
                            type="button"
                            class="btn btn-small"
                            disabled={busy === s.id}
                            aria-label={t(admin ? 'staff.unmakeAdminLabel' : 'staff.makeAdminLabel', {
                              email: s.email,
                            })}
                            onClick={() =>
                              void patch(
                                s,
                                { role: admin ? 'staff' : 'admin' },
                                t(admin ? 'staff.unmadeAdmin' : 'staff.madeAdmin', { email: s.email }),
                              )
                            }
                          >
                            {t(admin ? 'staff.unmakeAdmin' : 'staff.makeAdmin')}
                          </button>
                          {disabled ? (
                            <button
                              type="button"
                              class="btn btn-small"
                              disabled={busy === s.id}
                              aria-label={t('staff.enableLabel', { email: s.email })}
                              onClick={() =>
                                void patch(s, { status: 'active' }, t('staff.enabled', { email: s.email }))
                              }
                            >
                              {t('staff.enable')}
                            </button>
                          ) : (
                            <button
                              type="button"
                              class="btn btn-small btn-danger"
                              disabled={busy === s.id}
                              aria-label={t('staff.disableLabel', { email: s.email })}
                              onClick={() => setConfirmDisable(s)}
                            >
                              {t('staff.disable')}
                            </button>
                          )}
                        </div>
                      )}
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
          setNotice(t('staff.invited', { email: s.email }));
          q.reload();
        }}
      />
      {confirmDisable && (
        <ConfirmDialog
          title={t('staff.disableLabel', { email: confirmDisable.email })}
          text={t('staff.disableConfirm', { email: confirmDisable.email })}
          confirmLabel={t('staff.disable')}
          danger
          onConfirm={async () => {
            await patch(confirmDisable, { status: 'disabled' }, t('staff.disabled', { email: confirmDisable.email }));
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
      const s = await api.createStaff({ email: email.trim(), name: name.trim(), role, language });
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
      <h3 id="staff-invite-title">{t('staff.inviteTitle')}</h3>
      <p class="hint">{t('staff.inviteIntro')}</p>
      <ErrorMessage error={error} />
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
          <label for="st-role">{t('staff.role')}</label>
          <select id="st-role" value={role} onChange={(e) => setRole(e.currentTarget.value as StaffRole)}>
            <option value="staff">{t('staff.role.staff')}</option>
            <option value="admin">{t('staff.role.admin')}</option>
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
        {busy ? t('common.working') : t('staff.invite')}
      </button>
    </form>
  );
}
