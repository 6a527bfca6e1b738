/**
 * The activity log: newest first, paged, every filter applied by the API (GET /activity): a person, a
 * folder (and everything beneath it) or a file, picked by name; the event type; dates. People are
 * shown by name and email, event types in the reader's language. The export is the whole log for the
 * filters, as a CSV file in the reader's language (GET /activity/export).
 */
import { useEffect, useState } from 'preact/hooks';
import * as api from '../api.ts';
import { ListEnd } from '../components/ListEnd.tsx';
import { ErrorMessage, Loading, PageTitle, useLang, useLoad } from '../components/ui.tsx';
import { saveFrom } from '../download.ts';
import { endOfDayIso, formatDate } from '../format.ts';
import { type Key, lang, t } from '../i18n/index.ts';
import { navigate } from '../router.ts';
import { paths } from '../routes.ts';
import type { ActivityEvent, People } from '../types.ts';
import { pathLabel } from './common.ts';
import { NodePicker, PersonPicker, type PickerOption, personOption } from './pickers.tsx';
import { ROOT } from './tree.tsx';

/** Every event type, named for the reader (the order of the type filter). */
export const EVENT_TYPES: Record<string, Key> = {
  signin: 'activity.type.signin',
  'folder.listed': 'activity.type.folder.listed',
  preview: 'activity.type.preview',
  download: 'activity.type.download',
  'invitation.sent': 'activity.type.invitation.sent',
  'invitation.accepted': 'activity.type.invitation.accepted',
  'grant.added': 'activity.type.grant.added',
  'grant.removed': 'activity.type.grant.removed',
  'link.sent': 'activity.type.link.sent',
  'link.opened': 'activity.type.link.opened',
  'link.revoked': 'activity.type.link.revoked',
  'user.created': 'activity.type.user.created',
  'user.disabled': 'activity.type.user.disabled',
  'user.enabled': 'activity.type.user.enabled',
  'user.erased': 'activity.type.user.erased',
  'two_step.enabled': 'activity.type.two_step.enabled',
  'access.denied': 'activity.type.access.denied',
  'folder.created': 'activity.type.folder.created',
  'folder.updated': 'activity.type.folder.updated',
  'file.uploaded': 'activity.type.file.uploaded',
  'file.updated': 'activity.type.file.updated',
  'version.restored': 'activity.type.version.restored',
  'item.trashed': 'activity.type.item.trashed',
  'item.restored': 'activity.type.item.restored',
};

export const typeLabel = (type: string): string => (EVENT_TYPES[type] ? t(EVENT_TYPES[type]) : type);

const person = (p: { name?: string | null; email?: string | null } | undefined) =>
  p ? (p.name && p.email ? `${p.name} (${p.email})` : p.name || p.email || '') : '';

/** Who did it, in words: a name and email, "a link sent to …", or an unidentified visitor. */
export function whoLabel(e: ActivityEvent, people: People): string {
  const a = e.actor;
  if (a.kind === 'anonymous') return t('activity.anonymous');
  if (a.kind === 'link') return t('activity.viaLink', { email: a.email ?? '' });
  return person(a.email || a.name ? a : people[a.id]) || t('activity.unknownPerson');
}

/** What it was about: a folder or file with its path, a person, a link. */
export function targetText(e: ActivityEvent, people: People): string {
  const tg = e.target;
  if (!tg) return '';
  let s: string;
  if (tg.kind === 'user') s = person(people[tg.id]) || tg.name || '';
  else if (tg.kind === 'link') s = tg.name ? t('activity.linkTo', { email: tg.name }) : t('activity.aLink');
  else {
    const path = pathLabel(tg.path ?? []);
    s = path && tg.name ? `${path} / ${tg.name}` : tg.name || path;
  }
  const forUser = typeof e.details?.userId === 'string' ? people[e.details.userId] : undefined;
  return forUser ? `${s} · ${t('activity.forUser', { who: person(forUser) })}` : s;
}

export function ActivityList({
  events,
  people,
  compact,
}: {
  events: ActivityEvent[];
  people: People;
  compact?: boolean;
}) {
  useLang();
  if (!events.length) return <p class="empty">{t('activity.empty')}</p>;
  return (
    <div class="table-wrap">
      <table class="data" data-testid="activity">
        <thead>
          <tr>
            <th scope="col">{t('activity.when')}</th>
            <th scope="col">{t('activity.what')}</th>
            {!compact && <th scope="col">{t('activity.who')}</th>}
            <th scope="col">{t('activity.target')}</th>
          </tr>
        </thead>
        <tbody>
          {events.map((e) => (
            <tr key={e.id} data-type={e.type}>
              <td>{formatDate(e.at)}</td>
              <td>{typeLabel(e.type)}</td>
              {!compact && <td class="wrap-anywhere">{whoLabel(e, people)}</td>}
              <td class="wrap-anywhere">{targetText(e, people)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The filters in the URL, as the API takes them (dates as ISO instants: start and end of the chosen days). */
function filtersOf(query: URLSearchParams): api.ActivityFilter {
  const from = query.get('from') ?? '';
  const to = query.get('to') ?? '';
  return {
    actorId: query.get('actorId') || undefined,
    folderId: query.get('folderId') || undefined,
    fileId: query.get('fileId') || undefined,
    type: EVENT_TYPES[query.get('type') ?? ''] ? query.get('type')! : undefined,
    from: DAY.test(from) ? new Date(`${from}T00:00:00`).toISOString() : undefined,
    to: DAY.test(to) ? endOfDayIso(to) : undefined,
  };
}

/** Labels for the ids a link or an earlier choice put in the URL. */
async function chosenOf(query: URLSearchParams, rootName: string) {
  const folderId = query.get('folderId');
  const fileId = query.get('fileId');
  const [folder, file] = await Promise.all([
    folderId ? api.getFolder(folderId, { limit: 1 }).catch(() => undefined) : undefined,
    fileId ? api.getFile(fileId).catch(() => undefined) : undefined,
  ]);
  const under = (path: { id: string; name: string }[]) =>
    pathLabel(path.map((p) => (p.id === ROOT ? rootName || p.name : p.name)));
  return {
    folder: folder && {
      id: folder.folder.id,
      label: folder.folder.name,
      detail: under(folder.path.filter((p) => p.id !== folder.folder.id)),
    },
    file: file && { id: file.file.id, label: file.file.name, detail: under(file.path) },
  };
}

export function ActivityPage({ query }: { query: URLSearchParams }) {
  useLang();
  const f = filtersOf(query);
  const [form, setForm] = useState({
    type: query.get('type') ?? '',
    from: query.get('from') ?? '',
    to: query.get('to') ?? '',
  });
  const [who, setWho] = useState<PickerOption>();
  const [folder, setFolder] = useState<PickerOption>();
  const [file, setFile] = useState<PickerOption>();
  const [events, setEvents] = useState<ActivityEvent[]>();
  const [people, setPeople] = useState<People>({});
  const [cursor, setCursor] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const root = useLoad(() => api.getFolder(ROOT, { limit: 1 }).then((r) => r.folder.name), []);
  const rootName = root.data ?? t('folders.root');

  useEffect(() => {
    const ctl = new AbortController();
    setError(undefined);
    api.listActivity(f, { limit: 100, signal: ctl.signal }).then(
      (r) => {
        setEvents(r.events);
        setPeople(r.people);
        setCursor(r.nextCursor);
        const actor = f.actorId ? r.people[f.actorId] : undefined;
        if (actor) setWho(personOption(actor));
      },
      (err) => !ctl.signal.aborted && setError(err),
    );
    chosenOf(query, root.data ?? '').then((c) => {
      if (ctl.signal.aborted) return;
      if (c.folder) setFolder(c.folder);
      if (c.file) setFile(c.file);
    });
    return () => ctl.abort();
  }, [query.toString(), root.data]);

  const more = async () => {
    setBusy(true);
    try {
      const r = await api.listActivity(f, { limit: 100, cursor });
      setEvents([...(events ?? []), ...r.events]);
      setPeople({ ...people, ...r.people });
      setCursor(r.nextCursor);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const apply = (e: Event) => {
    e.preventDefault();
    const q = new URLSearchParams();
    if (who) q.set('actorId', who.id);
    if (folder) q.set('folderId', folder.id);
    if (file) q.set('fileId', file.id);
    for (const [k, v] of Object.entries(form)) if (v.trim()) q.set(k, v.trim());
    navigate(`${paths.activity()}${q.toString() ? `?${q}` : ''}`);
  };
  const exportCsv = async () => {
    setError(undefined);
    setBusy(true);
    try {
      saveFrom((await api.exportActivity({ ...f, lang: lang() })).url);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const set = (k: keyof typeof form) => (e: Event) =>
    setForm({ ...form, [k]: (e.currentTarget as HTMLInputElement).value });
  return (
    <section class="page">
      <PageTitle title={t('activity.title')}>{t('activity.title')}</PageTitle>
      <p class="lead">{t('activity.intro')}</p>
      <form class="filters" onSubmit={apply}>
        <PersonPicker id="f-actor" chosen={who} onChange={setWho} />
        <NodePicker id="f-folder" kind="folder" rootName={rootName} chosen={folder} onChange={setFolder} />
        <NodePicker id="f-file" kind="file" rootName={rootName} chosen={file} onChange={setFile} />
        <div class="field">
          <label for="f-type">{t('activity.type')}</label>
          <select id="f-type" value={form.type} onChange={set('type')}>
            <option value="">{t('activity.allTypes')}</option>
            {Object.entries(EVENT_TYPES).map(([ty, key]) => (
              <option key={ty} value={ty}>
                {t(key)}
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
            onClick={() => {
              setForm({ type: '', from: '', to: '' });
              setWho(undefined);
              setFolder(undefined);
              setFile(undefined);
              navigate(paths.activity());
            }}
          >
            {t('activity.clear')}
          </button>
          <button type="button" class="btn" disabled={!events || busy} onClick={() => void exportCsv()}>
            {t('activity.export')}
          </button>
        </div>
      </form>
      <ErrorMessage error={error} />
      {!events && !error && <Loading />}
      {events && <ActivityList events={events} people={people} />}
      {events && <ListEnd shown={events.length} hasMore={!!cursor} loading={busy} onMore={() => void more()} />}
    </section>
  );
}
