/** Small shared pieces: language hook and switch, errors, dialogs, menus, breadcrumbs, status. */
import type { AnchorHTMLAttributes, ComponentChildren } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import * as api from '../api.ts';
import { ApiError } from '../api.ts';
import { AuthError } from '../auth.ts';
import { type Key, LANG_KEYS, LANGS, lang, onLangChange, setLang, t } from '../i18n/index.ts';
import { linkClick } from '../router.ts';
import type { PathItem } from '../types.ts';

/** Re-render the calling component when the language changes. */
export function useLang(): string {
  const [, bump] = useState(0);
  useEffect(() => onLangChange(() => bump((n) => n + 1)), []);
  return lang();
}

/** What the API's 409s mean, by their code. */
const CONFLICTS: Record<string, Key> = {
  name_taken: 'err.name_taken',
  tax_id_taken: 'err.tax_id_taken',
  client_code_taken: 'err.client_code_taken',
  busy: 'err.busy',
  stale_version: 'err.conflict',
  parent_gone: 'err.parent_gone',
  user_disabled: 'err.user_disabled',
  email_taken: 'err.email_taken',
  self: 'err.self',
  upload_missing: 'err.upload_missing',
  size_mismatch: 'err.upload_missing',
  checksum_mismatch: 'err.upload_failed',
  link_revoked: 'err.link_revoked',
  link_replaced: 'err.link_replaced',
};

const BY_CODE: Record<string, Key> = {
  not_found: 'err.not_found',
  forbidden: 'err.forbidden',
  unauthorized: 'err.unauthorized',
  too_large: 'err.too_large',
  too_many_requests: 'err.too_many_requests',
  mail_failed: 'err.mail_failed',
  mfa_required: 'err.mfa_required',
  unavailable: 'err.unavailable',
  network: 'err.network',
  upload_failed: 'err.upload_failed',
  no_etag: 'err.no_etag',
};

/** The fields a 400 can name, as the reader knows them. */
const FIELDS: Record<string, Key> = {
  name: 'field.name',
  email: 'field.email',
  password: 'field.password',
  message: 'field.message',
  expiresAt: 'field.expiresAt',
  parentId: 'field.destination',
  folderId: 'field.destination',
  subPath: 'field.subPath',
  path: 'field.path',
  folderIds: 'field.folders',
  from: 'field.from',
  to: 'field.to',
  language: 'field.language',
  'colors.primary': 'field.primary',
  'colors.accent': 'field.accent',
  linkDefaultDays: 'field.linkDays',
  retentionMonths: 'field.retention',
  'reminders.afterDays': 'field.remindersAfter',
  'reminders.max': 'field.remindersMax',
  'notifications.batchMinutes': 'field.batchMinutes',
  logoKey: 'field.logo',
  contentType: 'field.logo',
  size: 'field.size',
  taxId: 'field.taxId',
  clientCode: 'field.clientCode',
  maxDownloads: 'field.maxDownloads',
  id: 'field.item',
};

/** The rules a 400 names (zod's issue codes and ours, functions/domain/names.ts and the use cases). */
const RULES: Record<string, Key> = {
  empty: 'rule.empty',
  too_small: 'rule.empty',
  too_long: 'rule.too_long',
  too_short: 'rule.too_short',
  too_big: 'rule.too_big',
  slash: 'rule.slash',
  dot: 'rule.dot',
  control: 'rule.control',
  direction: 'rule.direction',
  invisible: 'rule.invisible',
  logo_rule: 'rule.logo',
  malformed: 'rule.malformed',
  invalid_format: 'rule.format',
  invalid_type: 'rule.format',
  invalid_value: 'rule.format',
  custom: 'rule.format',
  format: 'rule.tax_id_format',
  check_character: 'rule.check_character',
  root: 'rule.root',
  depth: 'rule.depth',
  into_itself: 'rule.into_itself',
  gone: 'rule.gone',
  past: 'rule.past',
  too_far: 'rule.too_far',
  weak: 'rule.weak',
  from_after_to: 'rule.from_after_to',
  not_uploaded: 'rule.not_uploaded',
  code_wrong: 'rule.code_wrong',
  code_expired: 'rule.code_expired',
  code_exhausted: 'rule.code_expired',
  // Not something a person typed: a page of a list that went stale, a request the site itself built.
  cursor: 'rule.other',
  parts: 'rule.other',
  parts_refused: 'rule.parts_refused',
  // Checksums the site computes and sends with an upload's parts.
  checksum_required: 'rule.other',
  not_declared: 'rule.other',
  required: 'rule.other',
  count: 'rule.other',
  range: 'rule.other',
  too_many: 'rule.other',
  one_of: 'rule.other',
  json: 'rule.other',
  unrecognized_keys: 'rule.other',
};

/**
 * A user-facing sentence for any failure, in the user's language, from the error's code (and for a
 * 400 its field and rule): never the server's English message.
 */
export function errorText(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.code === 'invalid') {
      const rule = t(RULES[err.rule ?? ''] ?? 'rule.other');
      const field = FIELDS[err.field ?? ''];
      return field ? t('err.invalidField', { field: t(field), rule }) : t('err.invalid', { rule });
    }
    const key = (err.status === 409 ? CONFLICTS[err.code] : undefined) ?? BY_CODE[err.code];
    if (key) return t(key);
    if (err.status === 404) return t('err.not_found');
    if (err.status === 409) return t('err.conflict');
    if (err.status === 413) return t('err.too_large');
    if (err.status >= 500) return t('err.unavailable');
    return t('err.generic');
  }
  if (err instanceof AuthError) return err.code === 'network' ? t('err.network') : t('err.generic');
  return t('err.generic');
}

export function ErrorMessage({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  useLang();
  if (!error) return null;
  return (
    <div class="alert alert-error" role="alert">
      <p>{errorText(error)}</p>
      {onRetry && (
        <button type="button" class="btn" onClick={onRetry}>
          {t('common.retry')}
        </button>
      )}
    </div>
  );
}

export function Notice({ text, onDone }: { text: string; onDone?: () => void }) {
  useEffect(() => {
    if (!onDone) return;
    const id = setTimeout(onDone, 6000);
    return () => clearTimeout(id);
  }, [text]);
  return (
    <p class="alert alert-ok" role="status">
      {text}
    </p>
  );
}

export function A(props: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  const { href, ...rest } = props;
  return <a href={href} {...rest} onClick={linkClick} />;
}

export function LangSwitch() {
  useLang();
  return (
    // biome-ignore lint/a11y/useSemanticElements: a pair of toggle buttons in the header, not a form's fieldset
    <div class="lang" role="group" aria-label={t('lang.label')}>
      {LANGS.map((l) => (
        <button
          key={l}
          type="button"
          class="btn btn-quiet"
          lang={l}
          aria-pressed={lang() === l}
          onClick={() => setLang(l)}
          title={t(LANG_KEYS[l])}
        >
          {l.toUpperCase()}
        </button>
      ))}
    </div>
  );
}

/**
 * GET /api/health once per page load: nothing while the server answers; when it does not, a notice
 * that explains why pages will not load.
 */
let healthPromise: Promise<boolean> | undefined;
export function ApiStatus() {
  useLang();
  const [down, setDown] = useState(false);
  useEffect(() => {
    healthPromise ??= api.health().then(
      (r) => r?.status === 'ok',
      () => false,
    );
    let live = true;
    healthPromise.then((ok) => live && setDown(!ok));
    return () => {
      live = false;
    };
  }, []);
  if (!down) return null;
  return (
    <p class="alert alert-error api-down" role="status" data-testid="api-status">
      {t('status.down')}
    </p>
  );
}

/** The page's <h1>: sets the document title and takes focus after in-app navigation. */
let firstPage = true;
export function PageTitle({ children, title }: { children: ComponentChildren; title: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · Carpeta`;
  }, [title]);
  useEffect(() => {
    if (firstPage) firstPage = false;
    else ref.current?.focus({ preventScroll: false });
  }, []);
  return (
    <h1 ref={ref} tabIndex={-1}>
      {children}
    </h1>
  );
}

/** A modal on the native <dialog>: focus is kept inside, Escape closes, focus returns. */
export function Dialog({
  title,
  onClose,
  children,
  wide,
}: {
  title: string;
  onClose: () => void;
  children: ComponentChildren;
  wide?: boolean;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useLayoutEffect(() => {
    const d = ref.current!;
    const back = document.activeElement as HTMLElement | null;
    if (!d.open) d.showModal();
    const first = d.querySelector<HTMLElement>('[autofocus], input, select, textarea, button:not(.dialog-x)');
    first?.focus();
    return () => {
      if (d.open) d.close();
      if (back && document.contains(back)) back.focus();
    };
  }, []);
  return (
    <dialog
      ref={ref}
      class={wide ? 'dialog dialog-wide' : 'dialog'}
      aria-labelledby="dialog-title"
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <div class="dialog-head">
        <h2 id="dialog-title">{title}</h2>
        <button type="button" class="btn btn-quiet dialog-x" aria-label={t('common.close')} onClick={onClose}>
          ×
        </button>
      </div>
      <div class="dialog-body">{children}</div>
    </dialog>
  );
}

export interface MenuItem {
  label: string;
  onSelect: () => void;
  danger?: boolean;
}

/** A context menu (right-click or the "…" button): arrow keys, Home/End, Escape, click outside. */
export function Menu({
  items,
  x,
  y,
  label,
  onClose,
}: {
  items: MenuItem[];
  x: number;
  y: number;
  label: string;
  onClose: () => void;
}) {
  const ref = useRef<HTMLUListElement>(null);
  const [pos, setPos] = useState({ left: x, top: y });
  useLayoutEffect(() => {
    const el = ref.current!;
    const r = el.getBoundingClientRect();
    const left = Math.max(8, Math.min(x, window.innerWidth - r.width - 8));
    const top = r.height + y > window.innerHeight - 8 ? Math.max(8, y - r.height) : y;
    setPos({ left: left + window.scrollX, top: top + window.scrollY });
    const back = document.activeElement as HTMLElement | null;
    el.querySelector<HTMLElement>('[role=menuitem]')?.focus();
    const outside = (e: Event) => {
      if (!el.contains(e.target as Node)) onClose();
    };
    const t = setTimeout(() => {
      document.addEventListener('pointerdown', outside);
      document.addEventListener('contextmenu', outside);
    });
    return () => {
      clearTimeout(t);
      document.removeEventListener('pointerdown', outside);
      document.removeEventListener('contextmenu', outside);
      // Back to the "…" button (or the row) that opened the menu, unless the user clicked elsewhere.
      const active = document.activeElement;
      if (back && document.contains(back) && (!active || active === document.body || el.contains(active))) back.focus();
    };
  }, [x, y]);
  const onKey = (e: KeyboardEvent) => {
    const all = [...ref.current!.querySelectorAll<HTMLElement>('[role=menuitem]')];
    const i = all.indexOf(document.activeElement as HTMLElement);
    if (e.key === 'ArrowDown') all[(i + 1) % all.length].focus();
    else if (e.key === 'ArrowUp') all[(i - 1 + all.length) % all.length].focus();
    else if (e.key === 'Home') all[0].focus();
    else if (e.key === 'End') all[all.length - 1].focus();
    else if (e.key === 'Escape' || e.key === 'Tab') onClose();
    else return;
    e.preventDefault();
  };
  return (
    <ul
      ref={ref}
      class="menu"
      // biome-ignore lint/a11y/noNoninteractiveElementToInteractiveRole: the ARIA menu pattern (ul of menuitems)
      role="menu"
      aria-label={label}
      style={{ left: `${pos.left}px`, top: `${pos.top}px` }}
      onKeyDown={onKey}
    >
      {items.map((it) => (
        <li key={it.label} role="none">
          <button
            type="button"
            role="menuitem"
            class={it.danger ? 'danger' : ''}
            tabIndex={-1}
            onClick={() => {
              onClose();
              it.onSelect();
            }}
          >
            {it.label}
          </button>
        </li>
      ))}
    </ul>
  );
}

export function Breadcrumbs({
  path,
  hrefFor,
  rootLabel,
  rootHref,
}: {
  path: PathItem[];
  hrefFor: (p: PathItem) => string;
  rootLabel?: string;
  rootHref?: string;
}) {
  useLang();
  const items: { label: string; href: string }[] = [];
  if (rootLabel && rootHref) items.push({ label: rootLabel, href: rootHref });
  for (const p of path) items.push({ label: p.name, href: hrefFor(p) });
  return (
    <nav class="crumbs" aria-label={t('folders.breadcrumbs')}>
      <ol>
        {items.map((it, i) => (
          <li key={it.href + i}>
            {i === items.length - 1 ? <span aria-current="page">{it.label}</span> : <A href={it.href}>{it.label}</A>}
          </li>
        ))}
      </ol>
    </nav>
  );
}

export function Loading() {
  useLang();
  return (
    <p class="loading" role="status">
      {t('app.loading')}
    </p>
  );
}

/** Run an async loader when deps change; keeps the last good data while reloading. */
export function useLoad<T>(
  load: (signal: AbortSignal) => Promise<T>,
  deps: unknown[],
): { data?: T; error?: unknown; loading: boolean; reload: () => void; set: (data: T) => void } {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  const key = useRef('');
  useEffect(() => {
    const ctl = new AbortController();
    // New inputs: forget the old answer. A reload of the same inputs keeps it on screen meanwhile.
    const k = JSON.stringify(deps);
    const same = k === key.current;
    key.current = k;
    setState((s) => ({ data: same ? s.data : undefined, loading: true }));
    load(ctl.signal).then(
      (data) => !ctl.signal.aborted && setState({ data, loading: false }),
      (error) => !ctl.signal.aborted && setState({ error, loading: false }),
    );
    return () => ctl.abort();
  }, [...deps, tick]);
  return { ...state, reload: () => setTick((n) => n + 1), set: (data: T) => setState({ data, loading: false }) };
}
