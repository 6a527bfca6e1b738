/**
 * The activity log: newest first, paged. Who and folder filter on the server
 * (GET /activity?actorId=&folderId=); type, file and dates filter what is
 * loaded. CSV export of what is shown.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiError, api, apiBlob } from '../api.ts';
import { ErrorMessage, Loading, PageTitle, useLang } from '../components/ui.tsx';
import { saveFrom } from '../download.ts';
import { endOfDayIso, formatDate } from '../format.ts';
import { hasKey, type Key, t } from '../i18n.ts';
import { cursorOf, listOf } from '../paths.ts';
import { navigate } from '../router.ts';
import type { ActivityEvent } from '../types.ts';
import { actorLabel, targetLabel, toCsv } from './common.ts';

const TYPES = [
  'signin',
  'folder.listed',
  'download',
  'invitation.sent',
  'invitation.accepted',
  'grant.added',
  'grant.removed',
  'link.sent',
  'link.opened',
  'link.revoked',
  'user.created',
  'user.disabled',
  'user.enabled',
  'user.erased',
  'two_step.enabled',
  'access.denied',
  'folder.created',
  'folder.updated',
  'file.uploaded',
  'file.updated',
  'item.trashed',
  'item.restored',
];

export function activityTypeLabel(type: string): string {
  const key = `activity.type.${type}`;
  return hasKey(key) ? t(key as Key) : type;
}

/** The filters in the URL, as the API takes them (dates as ISO instants: start and end of the chosen days). */
function filtersOf(query: URLSearchParams) {
  const from = query.get('from') ?? '';
  const to = query.get('to') ?? '';
  return {
    actorId: query.get('actorId') || undefined,
    folderId: query.get('folderId') || undefined,
    fileId: query.get('fileId') || undefined,
    type: TYPES.includes(query.get('type') ?? '') ? query.get('type')! : undefined,
    from: /^\d{4}-\d{2}-\d{2}$/.test(from) ? new Date(`${from}T00:00:00`).toISOString() : undefined,
    to: /^\d{4}-\d{2}-\d{2}$/.test(to) ? endOfDayIso(to) : undefined,
  };
}

export function ActivityPage({ query }: { query: URLSearchParams }) {
  useLang();
  const f = filtersOf(query);
  const [form, setForm] = useState({
    actorId: query.get('actorId') ?? '',
    folderId: query.get('folderId') ?? '',
    fileId: query.get('fileId') ?? '',
    type: query.get('type') ?? '',
    from: query.get('from') ?? '',
    to: query.get('to') ?? '',
  });
  const [events, setEvents] = useState<ActivityEvent[]>();
  const [cursor, setCursor] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const ctl = new AbortController();
    setEvents(undefined);
    setError(undefined);
    api<unknown>('/activity', { query: { ...f, limit: 100 }, signal: ctl.signal }).then(
      (r) => {
        setEvents(listOf<ActivityEvent>(r, 'events'));
        setCursor(cursorOf(r));
      },
      (err) => !ctl.signal.aborted && setError(err),
    );
    return () => ctl.abort();
  }, [query.toString()]);

  const more = async () => {
    setBusy(true);
    try {
      const r = await api<unknown>('/activity', { query: { ...f, limit: 100, cursor } });
      setEvents([...(events ?? []), ...listOf<ActivityEvent>(r, 'events')]);
      setCursor(cursorOf(r));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  // The API filters; this only guards against a server that ignores a filter it does not know yet.
  const shown = useMemo(
    () =>
      (events ?? []).filter((e) => {
        if (f.type && e.type !== f.type) return false;
        if (f.from && e.at < f.from) return false;
        if (f.to && e.at > f.to) return false;
        if (f.fileId && !(typeof e.target === 'object' && e.target?.id === f.fileId)) return false;
        return true;
      }),
    [events],
  );

  const apply = (e: Event) => {
    e.preventDefault();
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(form)) if (v.trim()) qs.set(k, v.trim());
    navigate(`/admin/activity${qs.toString() ? `?${qs}` : ''}`);
  };

  const localCsv = () => {
    const rows = [
      ['at', 'type', 'actor', 'target', 'ip', 'userAgent'],
      ...shown.map((e) => [e.at, e.type, actorLabel(e.actor), targetLabel(e.target), e.ip ?? '', e.userAgent ?? '']),
    ];
    return new Blob([`\ufeff${toCsv(rows)}`], { type: 'text/csv;charset=utf-8' });
  };
  const exportCsv = async () => {
    setError(undefined);
    let blob: Blob;
    try {
      // The whole log for these filters from the API (the CSV itself, or { url } of the file it wrote);
      // what is loaded here when that route is not there.
      blob = await apiBlob('/activity/export', { ...f });
      if (/json/.test(blob.type)) {
        const r = JSON.parse(await blob.text()) as { url?: string };
        if (r.url && /^https?:\/\//.test(r.url)) return saveFrom(r.url);
        throw new ApiError(502, 'unavailable', 'no export url');
      }
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 404)) return setError(err);
      blob = localCsv();
    }
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = `carpeta-activity-${new Date().toISOString().slice(0, 10)}.csv`;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };

  const set = (k: keyof typeof form) => (e: Event) =>
    setForm({ ...form, [k]: (e.currentTarget as HTMLInputElement).value });
  return (
    <section class="page">
      <PageTitle title={t('activity.title')}>{t('activity.title')}</PageTitle>
      <p class="lead">{t('activity.intro')}</p>
      <form class="filters" onSubmit={apply}>
        <div class="field">
          <label for="f-actor">{t('activity.filterUser')}</label>
          <input id="f-actor" value={form.actorId} onInput={set('actorId')} />
        </div>
        <div class="field">
          <label for="f-folder">{t('activity.filterFolder')}</label>
          <input id="f-folder" value={form.folderId} onInput={set('folderId')} />
        </div>
        <div class="field">
          <label for="f-file">{t('activity.filterFile')}</label>
          <input id="f-file" value={form.fileId} onInput={set('fileId')} />
        </div>
        <div class="field">
          <label for="f-type">{t('activity.type')}</label>
          <select id="f-type" value={form.type} onChange={set('type')}>
            <option value="">{t('activity.allTypes')}</option>
            {TYPES.map((ty) => (
              <option key={ty} value={ty}>
                {activityTypeLabel(ty)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="f-from">{t('activity.from')}</label>
          <input id="f-from" type="date" value={form.from} onInput={set('from')} />
        </div>
        <div class="field">
          <label for="f-to">{t('activity.to')}</label>
          <input id="f-to" type="date" value={form.to} onInput={set('to')} />
        </div>
        <div class="row">
          <button type="submit" class="btn btn-primary">
            {t('activity.apply')}
          </button>
          <button
            type="button"
            class="btn"
            onClick={() => (
              setForm({ actorId: '', folderId: '', fileId: '', type: '', from: '', to: '' }),
              navigate('/admin/activity')
            )}
          >
            {t('activity.clear')}
          </button>
          <button type="button" class="btn" disabled={!events} onClick={() => void exportCsv()}>
            {t('activity.export')}
          </button>
        </div>
      </form>
      <ErrorMessage error={error} notYet={!events} />
      {!events && !error && <Loading />}
      {events && shown.length === 0 && <p class="empty">{t('activity.empty')}</p>}
      {shown.length > 0 && (
        <div class="table-wrap">
          <table class="data" data-testid="activity">
            <thead>
              <tr>
                <th scope="col">{t('activity.when')}</th>
                <th scope="col">{t('activity.what')}</th>
                <th scope="col">{t('activity.who')}</th>
                <th scope="col">{t('activity.target')}</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((e) => (
                <tr key={e.id}>
                  <td>{formatDate(e.at)}</td>
                  <td>{activityTypeLabel(e.type)}</td>
                  <td>{actorLabel(e.actor)}</td>
                  <td>{targetLabel(e.target)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {cursor && (
        <button type="button" class="btn" disabled={busy} onClick={() => void more()}>
          {t('common.loadMore')}
        </button>
      )}
    </section>
  );
}
