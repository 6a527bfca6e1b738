/**
 * Company settings (admin), GET/PUT /settings and POST /settings/logo
 * (issue 5): name, colours, default language, link expiry, retention, and a
 * PNG/JPEG logo with preview. A main colour that does not read on white is
 * explained as it is picked and when saved: what the site uses instead.
 * Admin routes need two-step verification (issue 8): on mfa_required the
 * page explains why, offers to turn it on, then loads again.
 * Below the company settings: the staff accounts (Staff.tsx), loaded once
 * the settings have loaded, so two-step verification is already on.
 */
import { useEffect, useState } from 'preact/hooks';
import * as api from '../api.ts';
import { ApiError } from '../api.ts';
import { brandCheck, DEFAULT_BRAND, setCompany } from '../branding.ts';
import { ErrorMessage, Loading, Notice, PageTitle, useLang, useLoad } from '../components/ui.tsx';
import { lang, t } from '../i18n/index.ts';
import type { Settings } from '../types.ts';
import { MfaRequired } from './Account.tsx';
import { isMfaRequired } from './mfa.ts';
import { StaffAccounts } from './Staff.tsx';

/** PUT /settings takes exactly these fields (it refuses unknown ones). */
function body(s: Settings, logoKey?: string) {
  return {
    name: s.name.trim(),
    colors: { primary: s.colors.primary, accent: s.colors.accent },
    defaultLanguage: s.defaultLanguage,
    linkDefaultDays: s.linkDefaultDays,
    notifications: { batchMinutes: s.notifications.batchMinutes, uploaderReceipts: s.notifications.uploaderReceipts },
    retentionMonths: s.retentionMonths,
    reminders: { afterDays: s.reminders.afterDays, max: s.reminders.max },
    ...(logoKey ? { logoKey } : s.logoKey !== undefined ? { logoKey: s.logoKey } : {}),
  };
}

const HEX = /^#[0-9a-f]{6}$/i;

/** "2,1:1" in Spanish, "2.1:1" in English. */
const ratioText = (r: number) =>
  `${new Intl.NumberFormat(lang() === 'es' ? 'es-ES' : 'en-GB', { maximumFractionDigits: 1 }).format(r)}:1`;

export function SettingsPage({ email }: { email: string }) {
  useLang();
  const q = useLoad(() => api.getSettings(), []);
  const [form, setForm] = useState<Settings>();
  const [logo, setLogo] = useState<{ file: File; preview: string }>();
  const [error, setError] = useState<unknown>();
  const [notice, setNotice] = useState<string>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (!q.data) return;
    const d = q.data;
    setForm({
      ...d,
      colors: {
        primary: HEX.test(d.colors?.primary ?? '') ? d.colors.primary : '#1f4e79',
        accent: HEX.test(d.colors?.accent ?? '') ? d.colors.accent : '#c8553d',
      },
      defaultLanguage: d.defaultLanguage === 'en' ? 'en' : 'es',
      linkDefaultDays: d.linkDefaultDays ?? 30,
      notifications: {
        batchMinutes: d.notifications?.batchMinutes ?? 10,
        uploaderReceipts: !!d.notifications?.uploaderReceipts,
      },
      retentionMonths: d.retentionMonths ?? 0,
      reminders: { afterDays: d.reminders?.afterDays ?? 7, max: d.reminders?.max ?? 0 },
    });
  }, [q.data]);
  useEffect(() => () => logo && URL.revokeObjectURL(logo.preview), [logo]);

  const save = async (e: Event) => {
    e.preventDefault();
    if (!form) return;
    setBusy(true);
    setError(undefined);
    try {
      // A new logo goes to S3 first (presigned POST); then the settings name its key.
      let logoKey: string | undefined;
      if (logo) {
        const up = await api.startLogoUpload({ contentType: logo.file.type, size: logo.file.size });
        await api.postToStorage(up.upload, logo.file);
        logoKey = up.logoKey;
      }
      const saved = await api.putSettings(body(form, logoKey));
      setLogo(undefined);
      setCompany({ name: saved.name, colors: saved.colors, logoUrl: saved.logoUrl ?? undefined });
      const check = brandCheck(saved.colors.primary);
      setNotice(
        check.usable
          ? t('settings.saved')
          : t('settings.savedFallback', { ratio: ratioText(check.ratio), fallback: DEFAULT_BRAND }),
      );
      q.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const colors = form?.colors ?? { primary: '#1f4e79', accent: '#c8553d' };
  const primaryCheck = brandCheck(colors.primary);
  const needsMfa = isMfaRequired(q.error) || isMfaRequired(error);
  return (
    <section class="page">
      <PageTitle title={t('settings.title')}>{t('settings.title')}</PageTitle>
      {notice && <Notice text={notice} onDone={() => setNotice(undefined)} />}
      {needsMfa ? (
        <MfaRequired
          email={email}
          onDone={() => {
            setNotice(t('mfa.done'));
            setError(undefined);
            q.reload();
          }}
        />
      ) : (
        <>
          <ErrorMessage error={q.error} />
          <ErrorMessage error={error} />
        </>
      )}
      {q.loading && !q.data && <Loading />}
      {form && (
        <form onSubmit={save} class="card card-wide">
          <h2>{t('settings.company')}</h2>
          <div class="field">
            <label for="s-name">{t('settings.companyName')}</label>
            <input
              id="s-name"
              required
              maxLength={200}
              value={form.name}
              onInput={(e) => setForm({ ...form, name: e.currentTarget.value })}
            />
          </div>
          <div class="row">
            <div class="field">
              <label for="s-primary">{t('settings.primary')}</label>
              <input
                id="s-primary"
                type="color"
                value={colors.primary}
                aria-describedby={primaryCheck.usable ? undefined : 'contrast-warning'}
                onInput={(e) => setForm({ ...form, colors: { ...colors, primary: e.currentTarget.value } })}
              />
            </div>
            <div class="field">
              <label for="s-accent">{t('settings.accent')}</label>
              <input
                id="s-accent"
                type="color"
                value={colors.accent}
                onInput={(e) => setForm({ ...form, colors: { ...colors, accent: e.currentTarget.value } })}
              />
            </div>
            <div class="field">
              <label for="s-lang">{t('settings.defaultLanguage')}</label>
              <select
                id="s-lang"
                value={form.defaultLanguage}
                onChange={(e) => setForm({ ...form, defaultLanguage: e.currentTarget.value as 'es' | 'en' })}
              >
                <option value="es">{t('lang.es')}</option>
                <option value="en">{t('lang.en')}</option>
              </select>
            </div>
            <div class="field">
              <label for="s-days">{t('settings.linkDays')}</label>
              <input
                id="s-days"
                type="number"
                min={1}
                max={365}
                value={form.linkDefaultDays}
                onInput={(e) => setForm({ ...form, linkDefaultDays: Number(e.currentTarget.value) })}
              />
            </div>
            <div class="field">
              <label for="s-ret">{t('settings.retention')}</label>
              <input
                id="s-ret"
                type="number"
                min={0}
                max={240}
                value={form.retentionMonths}
                onInput={(e) => setForm({ ...form, retentionMonths: Number(e.currentTarget.value) })}
              />
            </div>
            <div class="field">
              <label for="s-batch">{t('settings.batchMinutes')}</label>
              <input
                id="s-batch"
                type="number"
                min={1}
                max={1440}
                value={form.notifications.batchMinutes}
                onInput={(e) =>
                  setForm({
                    ...form,
                    notifications: { ...form.notifications, batchMinutes: Number(e.currentTarget.value) },
                  })
                }
              />
            </div>
            <div class="field">
              <label for="s-rem-max">{t('settings.remindersMax')}</label>
              <input
                id="s-rem-max"
                type="number"
                min={0}
                max={10}
                value={form.reminders.max}
                onInput={(e) =>
                  setForm({ ...form, reminders: { ...form.reminders, max: Number(e.currentTarget.value) } })
                }
              />
            </div>
            <div class="field">
              <label for="s-rem-days">{t('settings.remindersAfter')}</label>
              <input
                id="s-rem-days"
                type="number"
                min={1}
                max={365}
                value={form.reminders.afterDays}
                onInput={(e) =>
                  setForm({ ...form, reminders: { ...form.reminders, afterDays: Number(e.currentTarget.value) } })
                }
              />
            </div>
          </div>
          {!primaryCheck.usable && (
            <p class="alert alert-warn" id="contrast-warning" data-testid="contrast-warning">
              {t('settings.contrast', { ratio: ratioText(primaryCheck.ratio), fallback: DEFAULT_BRAND })}
            </p>
          )}
          <label class="check">
            <input
              type="checkbox"
              checked={form.notifications.uploaderReceipts}
              onChange={(e) =>
                setForm({
                  ...form,
                  notifications: { ...form.notifications, uploaderReceipts: e.currentTarget.checked },
                })
              }
            />
            {t('settings.uploaderReceipts')}
          </label>
          <div class="field">
            <label for="s-logo">{t('settings.logo')}</label>
            <input
              id="s-logo"
              type="file"
              accept="image/png,image/jpeg"
              onChange={(e) => {
                const file = e.currentTarget.files?.[0];
                if (!file) return;
                if (!/^image\/(png|jpeg)$/.test(file.type) || file.size > 512 * 1024) {
                  setError(new ApiError(400, 'invalid', 'logo rule', 'logoKey', 'logo_rule'));
                  e.currentTarget.value = '';
                  return;
                }
                setLogo({ file, preview: URL.createObjectURL(file) });
              }}
            />
            <p class="hint">{t('settings.logoRule')}</p>
            {(logo?.preview || form.logoUrl) && (
              <img
                class="logo-preview"
                src={logo?.preview ?? form.logoUrl ?? ''}
                alt={t('settings.logoPreview')}
                data-testid="logo-preview"
              />
            )}
          </div>
          <button type="submit" class="btn btn-primary" disabled={busy || !form.name.trim()}>
            {busy ? t('common.working') : t('common.save')}
          </button>
        </form>
      )}
      {q.data && <StaffAccounts email={email} />}
    </section>
  );
}
