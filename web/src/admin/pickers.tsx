/**
 * Type-ahead pickers (the activity log's filters, a file's folder in "Repartir a clientes"): a person by
 * name or email (GET /people?q=, web users and staff), and a folder or a file by name, shown with its path.
 * Folders and files are found in the folder tree as the API lists it (GET /folders/{id}, cached by
 * tree.tsx), read breadth-first up to MAX_FOLDERS folders: a company's whole tree is rarely bigger, and a
 * search index (issue 16) will replace the walk. Names match ignoring case and accents ("maria" finds "María").
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import * as api from '../api.ts';
import { ErrorMessage, useLang } from '../components/ui.tsx';
import { fold } from '../format.ts';
import { t } from '../i18n/index.ts';
import type { NodeHit, PathItem, Person } from '../types.ts';
import { pathLabel } from './common.ts';
import { childrenOf, ROOT } from './tree.tsx';

/** At most this many folders are read to find a name (4 at a time). */
export const MAX_FOLDERS = 400;
const SHOWN = 12;

let index: { at: number; nodes: Promise<NodeHit[]> } | undefined;

/** Every folder and file the tree walk reaches, with its path (from below the root). Kept for a minute. */
export function treeIndex(): Promise<NodeHit[]> {
  if (index && Date.now() - index.at < 60_000) return index.nodes;
  const nodes = (async () => {
    const out: NodeHit[] = [];
    const queue: Array<{ id: string; path: PathItem[] }> = [{ id: ROOT, path: [] }];
    let read = 0;
    while (queue.length && read < MAX_FOLDERS) {
      const batch = queue.splice(0, Math.min(4, MAX_FOLDERS - read));
      read += batch.length;
      const kids = await Promise.all(batch.map((b) => childrenOf(b.id).catch(() => ({ folders: [], files: [] }))));
      batch.forEach((b, i) => {
        for (const f of kids[i].folders) {
          out.push({ kind: 'folder', id: f.id, name: f.name, path: b.path });
          queue.push({ id: f.id, path: [...b.path, { id: f.id, name: f.name }] });
        }
        for (const f of kids[i].files) out.push({ kind: 'file', id: f.id, name: f.name, path: b.path });
      });
    }
    return out;
  })();
  index = { at: Date.now(), nodes };
  nodes.catch(() => (index = undefined));
  return nodes;
}

export async function findNodes(q: string, kind: NodeHit['kind']): Promise<NodeHit[]> {
  const want = fold(q.trim());
  const all = await treeIndex();
  return all.filter((n) => n.kind === kind && fold(n.name).includes(want)).slice(0, SHOWN);
}

interface Option {
  id: string;
  label: string;
  detail: string;
}

/** An accessible combobox: type, pick with the mouse or the arrow keys and Enter; × clears the choice. */
function Combobox({
  id,
  label,
  chosen,
  search,
  onChange,
  testId,
}: {
  id: string;
  label: string;
  chosen?: Option;
  search: (q: string, signal: AbortSignal) => Promise<Option[]>;
  onChange: (o: Option | undefined) => void;
  testId: string;
}) {
  useLang();
  const [q, setQ] = useState('');
  const [open, setOpen] = useState(false);
  const [options, setOptions] = useState<Option[]>();
  const [active, setActive] = useState(0);
  const [error, setError] = useState<unknown>();
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (!open || !q.trim()) {
      setOptions(undefined);
      return;
    }
    const ctl = new AbortController();
    const timer = setTimeout(() => {
      search(q, ctl.signal).then(
        (o) => {
          if (ctl.signal.aborted) return;
          setOptions(o);
          setActive(0);
          setError(undefined);
        },
        (err) => !ctl.signal.aborted && setError(err),
      );
    }, 200);
    return () => {
      clearTimeout(timer);
      ctl.abort();
    };
  }, [q, open]);

  const pick = (o: Option) => {
    onChange(o);
    setQ('');
    setOpen(false);
  };
  const onKey = (e: KeyboardEvent) => {
    const n = options?.length ?? 0;
    if (e.key === 'ArrowDown' && n) setActive((a) => (a + 1) % n);
    else if (e.key === 'ArrowUp' && n) setActive((a) => (a - 1 + n) % n);
    else if (e.key === 'Enter' && n && open) pick(options![active]);
    else if (e.key === 'Escape') setOpen(false);
    else return;
    e.preventDefault();
  };
  const listId = `${id}-list`;
  return (
    <div class="field combo" data-testid={testId}>
      <label for={id}>{label}</label>
      {chosen ? (
        <p class="chosen">
          <span class="grow">
            <span class="chosen-label">{chosen.label}</span>
            {chosen.detail && <span class="hint"> · {chosen.detail}</span>}
          </span>
          <button
            id={id}
            type="button"
            class="btn btn-quiet btn-small"
            aria-label={t('picker.clear', { name: chosen.label })}
            onClick={() => {
              onChange(undefined);
              setTimeout(() => input.current?.focus());
            }}
          >
            ×
          </button>
        </p>
      ) : (
        <>
          <input
            ref={input}
            id={id}
            type="text"
            // biome-ignore lint/a11y/noRedundantRoles: with no datalist (list is unset) it would be a textbox
            role="combobox"
            list={undefined}
            autocomplete="off"
            aria-autocomplete="list"
            aria-expanded={open && !!options?.length}
            aria-controls={listId}
            aria-activedescendant={open && options?.length ? `${listId}-${active}` : undefined}
            placeholder={t('picker.type')}
            value={q}
            onInput={(e) => {
              setQ(e.currentTarget.value);
              setOpen(true);
            }}
            onFocus={() => setOpen(true)}
            onBlur={() => setTimeout(() => setOpen(false), 150)}
            onKeyDown={onKey}
          />
          <ErrorMessage error={error} />
          {open && options && (
            <ul
              id={listId}
              class="combo-list"
              // biome-ignore lint/a11y/noNoninteractiveElementToInteractiveRole: the ARIA combobox's popup (a listbox)
              role="listbox"
              aria-label={label}
            >
              {options.length === 0 && <li class="hint">{t('picker.none')}</li>}
              {options.map((o, i) => (
                // biome-ignore lint/a11y/useKeyWithClickEvents: the input handles the keys (arrow keys, Enter)
                // biome-ignore lint/a11y/useFocusableInteractive: focus stays in the input (aria-activedescendant)
                <li
                  key={o.id}
                  id={`${listId}-${i}`}
                  // biome-ignore lint/a11y/noNoninteractiveElementToInteractiveRole: the listbox's options
                  role="option"
                  aria-selected={i === active}
                  class={i === active ? 'active' : undefined}
                  onMouseDown={(e) => e.preventDefault()}
                  onClick={() => pick(o)}
                >
                  <span class="combo-label">{o.label}</span>
                  {o.detail && <span class="hint combo-detail">{o.detail}</span>}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </div>
  );
}

export const personOption = (p: Person): Option => ({
  id: p.id,
  label: p.name || p.email || p.id,
  detail: [p.name ? p.email : '', t(p.kind === 'staff' ? 'people.staff' : 'people.webuser')]
    .filter(Boolean)
    .join(' · '),
});

export function PersonPicker(props: { id: string; chosen?: Option; onChange: (o: Option | undefined) => void }) {
  return (
    <Combobox
      {...props}
      label={t('activity.filterUser')}
      testId="pick-person"
      search={(q, signal) => api.findPeople(q.trim(), signal).then((r) => r.people.map(personOption))}
    />
  );
}

export const nodeOption = (n: NodeHit, rootName: string): Option => ({
  id: n.id,
  label: n.name,
  detail: pathLabel([rootName, ...n.path.map((p) => p.name)]),
});

export function NodePicker(props: {
  id: string;
  kind: NodeHit['kind'];
  rootName: string;
  chosen?: Option;
  onChange: (o: Option | undefined) => void;
  /** What is being picked, when it is not the activity log's filter ("Carpeta", "Archivo"). */
  label?: string;
}) {
  return (
    <Combobox
      id={props.id}
      chosen={props.chosen}
      onChange={props.onChange}
      label={props.label ?? t(props.kind === 'folder' ? 'activity.filterFolder' : 'activity.filterFile')}
      testId={props.kind === 'folder' ? 'pick-folder' : 'pick-file'}
      search={(q) => findNodes(q, props.kind).then((hits) => hits.map((n) => nodeOption(n, props.rootName)))}
    />
  );
}

export type { Option as PickerOption };
