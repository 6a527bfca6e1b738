/**
 * "Repartir a clientes" (/admin/deliver): staff drop a batch of files (payslips, tax forms) whose names
 * carry each client's tax id or client code, optionally with sub-folders under each client's folder
 * ("Nóminas/{yyyy}/{mm}"). The API plans where each goes (POST /routing/plan, 1,000 names a call); the
 * table shows it, rows without a client can be given a folder by hand or left out; "Enviar" makes each
 * distinct sub-path once (POST /folders/{id}/path) and queues every file straight to S3 through the one
 * upload queue (uploads.ts), with one progress view for the batch. Clients are mailed by the server's
 * notifications job, once per batch.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { expandSubPath } from '../../../functions/domain/routing.ts';
import * as api from '../api.ts';
import { ApiError } from '../api.ts';
import { A, ErrorMessage, errorText, Loading, PageTitle, useLang, useLoad } from '../components/ui.tsx';
import { formatSize } from '../format.ts';
import { type Key, t } from '../i18n/index.ts';
import { paths } from '../routes.ts';
import type { PlanRow, RouteReason, StaffFile } from '../types.ts';
import { pathLabel } from './common.ts';
import { filesDropZone, pickedFromDrop } from './drop.ts';
import { NodePicker, type PickerOption } from './pickers.tsx';
import { childrenOf, invalidateAll, ROOT } from './tree.tsx';
import { UploadRow, useUploads } from './UploadPanel.tsx';
import { addUploads, overall, type UploadItem, uploadItems } from './uploads.ts';

const REASONS: Record<RouteReason, Key> = {
  'no-match': 'deliver.reason.no-match',
  ambiguous: 'deliver.reason.ambiguous',
  invalid: 'deliver.reason.invalid',
};

/** Sub-paths are made a few at a time: each is a handful of conditional writes on the server. */
const PARALLEL_PATHS = 4;

interface Row {
  key: number;
  file: File;
  plan: PlanRow;
  include: boolean;
  /** The folder picked by hand for a row the plan could not place. */
  manual?: PickerOption;
  /** Once sent: the folder the file went into, or why the sub-path could not be made. */
  destId?: string;
  pathError?: unknown;
  upload?: UploadItem;
}

/** Where a row goes: the client folder and the sub-path under it ('' for none). */
function destinationOf(row: Row, template: string): { folderId: string; subPath: string } | undefined {
  if (row.plan.folderId) return { folderId: row.plan.folderId, subPath: row.plan.subPath };
  if (!row.manual) return undefined;
  // The same expansion the server did for the planned rows (the date in the name, else today's).
  const subPath = template.trim() ? expandSubPath(template, row.file.name, new Date()).join('/') : '';
  return { folderId: row.manual.id, subPath };
}

let nextKey = 1;

export function DeliverPage() {
  useLang();
  const root = useLoad(() => api.getFolder(ROOT, { limit: 1 }).then((r) => r.folder.name), []);
  const rootName = root.data ?? t('folders.root');
  const [files, setFiles] = useState<File[]>([]);
  const [template, setTemplate] = useState('');
  const [rows, setRows] = useState<Row[]>();
  const [planned, setPlanned] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState<'plan' | 'send'>();
  const [sent, setSent] = useState(false);
  const [dragging, setDragging] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  const add = (more: File[]) => {
    if (!more.length) return;
    setFiles((f) => [...f, ...more]);
    // A different batch needs a new plan.
    setRows(undefined);
    setSent(false);
  };
  const plan = async (e?: Event) => {
    e?.preventDefault();
    if (!files.length) return;
    setBusy('plan');
    setError(undefined);
    try {
      const answer = await api.planRouting(
        files.map((f) => f.name),
        template.trim() || undefined,
      );
      setRows(answer.map((p, i) => ({ key: nextKey++, file: files[i], plan: p, include: p.folderId !== null })));
      setPlanned(template.trim());
    } catch (err) {
      setError(err);
    } finally {
      setBusy(undefined);
    }
  };
  const update = (key: number, change: Partial<Row>) =>
    setRows((rs) => rs?.map((r) => (r.key === key ? { ...r, ...change } : r)));

  /** Makes each distinct sub-path once, then queues the uploads of the rows whose folder is ready. */
  const send = async (which: Row[]) => {
    setBusy('send');
    setError(undefined);
    const groups = new Map<string, { folderId: string; subPath: string; rows: Row[] }>();
    for (const r of which) {
      const d = destinationOf(r, planned)!;
      const k = `${d.folderId}\n${d.subPath}`;
      const g = groups.get(k) ?? { ...d, rows: [] };
      g.rows.push(r);
      groups.set(k, g);
    }
    const outcome = new Map<number, Partial<Row>>();
    const queue = [...groups.values()];
    const worker = async () => {
      for (let g = queue.shift(); g; g = queue.shift()) {
        try {
          const destId = g.subPath ? (await api.ensurePath(g.folderId, g.subPath)).folderId : g.folderId;
          for (const r of g.rows) outcome.set(r.key, { destId, pathError: undefined });
        } catch (err) {
          for (const r of g.rows) outcome.set(r.key, { destId: undefined, pathError: err });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL_PATHS, queue.length) }, worker));
    const ready = which.filter((r) => outcome.get(r.key)?.destId);
    addUploads(ready.map((r) => ({ file: r.file, folderId: outcome.get(r.key)!.destId! })));
    // addUploads appends to the queue synchronously: the last items are this batch's, in order.
    const queued = ready.length ? uploadItems().slice(-ready.length) : [];
    ready.forEach((r, i) => {
      outcome.set(r.key, { ...outcome.get(r.key), upload: queued[i] });
    });
    setRows((rs) => rs?.map((r) => (outcome.has(r.key) ? { ...r, ...outcome.get(r.key) } : r)));
    invalidateAll();
    setSent(true);
    setBusy(undefined);
  };

  const reset = () => {
    setFiles([]);
    setRows(undefined);
    setSent(false);
    setError(undefined);
  };

  // A template that cannot make folder names is explained at its field.
  const subPathRefused = error instanceof ApiError && error.status === 400 && error.field === 'subPath';
  const chosen = rows?.filter((r) => r.include && destinationOf(r, planned)) ?? [];
  const matched = rows?.filter((r) => r.plan.folderId).length ?? 0;

  return (
    <section class="page">
      <PageTitle title={t('deliver.title')}>{t('deliver.title')}</PageTitle>
      <p class="lead">{t('deliver.intro')}</p>
      {!subPathRefused && <ErrorMessage error={error} />}
      {!sent && (
        <form class="card card-wide" onSubmit={(e) => void plan(e)} data-testid="deliver-form">
          {/* biome-ignore lint/a11y/noStaticElementInteractions: a drop target; the button is the keyboard path */}
          <div
            class={dragging ? 'dropzone deliver-drop dragging' : 'dropzone deliver-drop'}
            data-testid="deliver-drop"
            {...filesDropZone(setDragging, (e) => {
              setDragging(false);
              if (e.dataTransfer) void pickedFromDrop(e.dataTransfer).then((p) => add(p.map((x) => x.file)), setError);
            })}
          >
            <p>{files.length ? t('deliver.picked', { n: files.length }) : t('deliver.dropHint')}</p>
            <div class="row">
              <button type="button" class="btn" onClick={() => input.current?.click()}>
                {t('deliver.pick')}
              </button>
              {files.length > 0 && (
                <button type="button" class="btn btn-quiet" onClick={reset}>
                  {t('deliver.clear')}
                </button>
              )}
            </div>
            <input
              ref={input}
              class="file-input"
              type="file"
              multiple
              tabIndex={-1}
              aria-hidden="true"
              data-testid="deliver-input"
              onChange={(e) => {
                add([...(e.currentTarget.files ?? [])]);
                e.currentTarget.value = '';
              }}
            />
          </div>
          <div class="field">
            <label for="deliver-subpath">
              {t('deliver.subPath')} <span class="hint">{t('common.optional')}</span>
            </label>
            <input
              id="deliver-subpath"
              placeholder="Nóminas/{yyyy}/{mm}"
              maxLength={1024}
              value={template}
              aria-describedby={subPathRefused ? 'deliver-subpath-error deliver-subpath-hint' : 'deliver-subpath-hint'}
              aria-invalid={subPathRefused || undefined}
              onInput={(e) => {
                setTemplate(e.currentTarget.value);
                setRows(undefined);
              }}
            />
            {subPathRefused && (
              <p class="field-error" id="deliver-subpath-error" role="alert">
                {errorText(error)}
              </p>
            )}
            <p class="hint" id="deliver-subpath-hint">
              {t('deliver.subPathHint')}
            </p>
          </div>
          <div class="row-actions">
            <button type="submit" class="btn btn-primary" disabled={!files.length || busy === 'plan'}>
              {t('deliver.plan')}
            </button>
          </div>
        </form>
      )}
      {busy && <Loading />}
      {rows && (
        <>
          <h2>{t('deliver.planTitle')}</h2>
          <p role="status" data-testid="plan-summary">
            {t('deliver.planSummary', { matched, total: rows.length, unmatched: rows.length - matched })}
          </p>
          <PlanTable
            rows={rows}
            template={planned}
            rootName={rootName}
            sent={sent}
            onInclude={(key, include) => update(key, { include })}
            onAssign={(key, manual) => update(key, { manual, include: !!manual })}
          />
          {!sent && (
            <div class="row-actions">
              <button
                type="button"
                class="btn btn-primary"
                disabled={!chosen.length || busy === 'send'}
                onClick={() => void send(chosen)}
              >
                {t('deliver.send', { n: chosen.length })}
              </button>
            </div>
          )}
          {sent && (
            <BatchProgress rows={rows.filter((r) => r.upload || r.pathError)} onRetryPaths={(rs) => void send(rs)} />
          )}
          {sent && (
            <div class="row-actions">
              <button type="button" class="btn" onClick={reset}>
                {t('deliver.again')}
              </button>
            </div>
          )}
        </>
      )}
    </section>
  );
}

function PlanTable(props: {
  rows: Row[];
  template: string;
  rootName: string;
  sent: boolean;
  onInclude: (key: number, include: boolean) => void;
  onAssign: (key: number, folder: PickerOption | undefined) => void;
}) {
  useUploads();
  return (
    <div class="table-wrap">
      <table class="data plan" data-testid="plan">
        <thead>
          <tr>
            <th scope="col" class="nowrap">
              {t('deliver.include')}
            </th>
            <th scope="col">{t('common.file')}</th>
            <th scope="col">{t('deliver.destination')}</th>
            <th scope="col">{t('field.taxId')}</th>
            <th scope="col">{t('deliver.state')}</th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map((r) => {
            const d = destinationOf(r, props.template);
            const p = r.plan;
            const where = p.folderId
              ? pathLabel(p.path)
              : r.manual
                ? manualPath(r.manual, d?.subPath, props.rootName)
                : '';
            return (
              <tr
                key={r.key}
                data-testid="plan-row"
                data-file={r.file.name}
                data-reason={p.folderId !== null ? 'match' : p.reason}
              >
                <td>
                  <input
                    type="checkbox"
                    checked={r.include && !!d}
                    disabled={props.sent || !d}
                    aria-label={t('deliver.includeFile', { name: r.file.name })}
                    onChange={(e) => props.onInclude(r.key, e.currentTarget.checked)}
                  />
                </td>
                <td class="wrap-anywhere">
                  {r.file.name} <span class="hint">· {formatSize(r.file.size)}</span>
                </td>
                <td class="wrap-anywhere" data-testid="plan-destination">
                  {!p.folderId && !props.sent && (
                    <NodePicker
                      id={`assign-${r.key}`}
                      kind="folder"
                      rootName={props.rootName}
                      chosen={r.manual}
                      onChange={(o) => props.onAssign(r.key, o)}
                      label={t('deliver.assign', { name: r.file.name })}
                    />
                  )}
                  {where && r.destId ? <A href={paths.folder(r.destId)}>{where}</A> : where && <span>{where}</span>}
                </td>
                <td class="nowrap" data-testid="plan-taxid">
                  {p.folderId ? (p.taxId ?? p.clientCode ?? '') : ''}
                </td>
                <td data-testid="plan-state">
                  <RowState row={r} sent={props.sent} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** A folder picked by hand, as the plan shows paths: from below the root, with the sub-path. */
function manualPath(folder: PickerOption, subPath: string | undefined, rootName: string): string {
  const above = folder.detail === rootName ? '' : folder.detail.replace(`${rootName} / `, '');
  return pathLabel([above, folder.label, ...(subPath ?? '').split('/')]);
}

function RowState({ row, sent }: { row: Row; sent: boolean }) {
  const p = row.plan;
  if (sent && row.include) {
    if (row.pathError) return <span class="badge badge-off">{t('deliver.failed')}</span>;
    const s = row.upload?.state;
    if (s === 'done') return <span class="badge">{t('deliver.delivered')}</span>;
    if (s === 'failed' || s === 'clash') return <span class="badge badge-off">{t('deliver.failed')}</span>;
    if (s === 'cancelled') return <span>{t('upload.cancelled')}</span>;
    if (s) return <span>{t('upload.uploading')}</span>;
  }
  if (sent && !row.include) return <span class="hint">{t('deliver.left')}</span>;
  if (p.folderId !== null) return <span>{t('deliver.matched')}</span>;
  return (
    <span class="badge badge-off" data-testid="plan-reason">
      {t(REASONS[p.reason])}
      {row.manual && ` · ${t('deliver.byHand')}`}
    </span>
  );
}

/** The batch as one: n of m delivered, one bar, and each failure with its retry. */
function BatchProgress({ rows, onRetryPaths }: { rows: Row[]; onRetryPaths: (rows: Row[]) => void }) {
  useLang();
  useUploads();
  const items = rows.flatMap((r) => (r.upload ? [r.upload] : []));
  const o = overall(items);
  const pathFailed = rows.filter((r) => r.pathError);
  const needsYou = items.filter((i) => i.state === 'failed' || i.state === 'clash');
  // A name already in the client's folder (last month's file, corrected): the file there, so the row can
  // offer "as a new version" as the folder page does.
  const [filesIn, setFilesIn] = useState<Map<string, StaffFile[]>>(new Map());
  const clashFolders = [...new Set(needsYou.filter((i) => i.state === 'clash').map((i) => i.folderId))];
  useEffect(() => {
    let live = true;
    for (const id of clashFolders.filter((f) => !filesIn.has(f)))
      childrenOf(id).then(
        (c) => live && setFilesIn((m) => new Map(m).set(id, c.files)),
        () => undefined,
      );
    return () => {
      live = false;
    };
  }, [clashFolders.join()]);
  // Each finished file's folder shows it on the next visit.
  useEffect(() => {
    if (o.done) invalidateAll();
  }, [o.done]);
  return (
    <section class="uploads" aria-labelledby="batch-title" data-testid="delivery-progress">
      <h2 id="batch-title">{t('deliver.progressTitle')}</h2>
      <p class="upload-state" role="status" data-testid="delivery-summary">
        {t('deliver.progress', { done: o.done, total: rows.length })}
        {o.failed + pathFailed.length > 0 && ` · ${t('upload.failedCount', { count: o.failed + pathFailed.length })}`}
      </p>
      <progress aria-label={t('upload.overall')} max={Math.max(o.total, 1)} value={o.loaded} />
      {pathFailed.length > 0 && (
        <div class="alert alert-error" data-testid="delivery-path-failures">
          <p>{t('deliver.pathFailed', { n: pathFailed.length })}</p>
          <ul>
            {pathFailed.map((r) => (
              <li key={r.key}>{r.file.name}</li>
            ))}
          </ul>
          <ErrorMessage error={pathFailed[0].pathError} />
          <button type="button" class="btn" onClick={() => onRetryPaths(pathFailed)}>
            {t('common.retry')}
          </button>
        </div>
      )}
      {needsYou.length > 0 && (
        <>
          <h3 class="upload-sub">{t('upload.needsYou', { count: needsYou.length })}</h3>
          <ul data-testid="delivery-failures">
            {needsYou.map((it) => (
              <UploadRow key={it.id} it={it} filesHere={(id) => filesIn.get(id) ?? []} />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
