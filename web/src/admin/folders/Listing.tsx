/**
 * The folder browser's table: sortable columns, a row per sub-folder and file (type icon or image
 * thumbnail), the "…" menu and right-click on every row, rows dragged onto a folder row to move them,
 * and files or folders dropped from the desktop onto the table (this folder) or onto a folder row.
 * Files that ask clients to confirm receipt (their own setting or their folders') carry a marker.
 */
import { useState } from 'preact/hooks';
import { FileIcon } from '../../components/FileIcon.tsx';
import { A, useLang } from '../../components/ui.tsx';
import { formatDate, formatSize } from '../../format.ts';
import { t } from '../../i18n/index.ts';
import { paths } from '../../routes.ts';
import type { StaffFile, StaffFolder } from '../../types.ts';
import { isFilesDrag } from '../drop.ts';
import { AckMarker } from '../ReceiptAcknowledgement.tsx';
import type { Sort, SortKey, Target } from './useFolder.ts';

export const DRAG_TYPE = 'application/x-carpeta-item';
export const isInternalDrag = (e: DragEvent) => !!e.dataTransfer?.types.includes(DRAG_TYPE);
export { isFilesDrag };

export interface ListingProps {
  folderName: string;
  folders: StaffFolder[];
  files: StaffFile[];
  sort: Sort;
  onSort: (s: Sort) => void;
  busyFile?: string;
  onMenu: (target: Target, e: MouseEvent) => void;
  onDownload: (f: StaffFile) => void;
  /** Something was dropped on a folder row (another row, or files from the desktop). */
  onDropOn: (folderId: string, e: DragEvent) => void;
  /** The rows picked with their checkboxes; `index` counts folders first, then files, as shown. */
  selected: Map<string, Target>;
  onPick: (index: number, shift: boolean, on: boolean) => void;
  onPickAll: (on: boolean) => void;
}

export function Listing(props: ListingProps) {
  useLang();
  const { sort, onSort } = props;
  const [dropTarget, setDropTarget] = useState<string>();
  const dragStart = (target: Target) => (e: DragEvent) => {
    e.dataTransfer!.setData(DRAG_TYPE, JSON.stringify(target));
    e.dataTransfer!.effectAllowed = 'move';
  };
  const rowDrop = (folderId: string) => ({
    onDragOver: (e: DragEvent) => {
      if (isInternalDrag(e) || isFilesDrag(e)) {
        e.preventDefault();
        e.stopPropagation();
        setDropTarget(folderId);
      }
    },
    onDragLeave: () => setDropTarget((d) => (d === folderId ? undefined : d)),
    onDrop: (e: DragEvent) => {
      e.preventDefault();
      e.stopPropagation();
      setDropTarget(undefined);
      props.onDropOn(folderId, e);
    },
  });
  const sortButton = (key: SortKey, label: string) => (
    <button
      type="button"
      onClick={() => onSort({ key, dir: sort.key === key ? (-sort.dir as 1 | -1) : 1 })}
      aria-label={t('common.sortBy', { column: label })}
    >
      {label} {sort.key === key ? (sort.dir === 1 ? '▲' : '▼') : ''}
    </button>
  );
  const ariaSort = (key: SortKey) => (sort.key === key ? (sort.dir === 1 ? 'ascending' : 'descending') : undefined);
  const more = (name: string, target: Target) => (
    <button
      type="button"
      class="btn btn-quiet"
      aria-haspopup="menu"
      aria-label={t('common.more', { name })}
      onClick={(e) => props.onMenu(target, e)}
    >
      …
    </button>
  );

  const pickBox = (index: number, name: string, id: string) => (
    <td class="pick">
      <input
        type="checkbox"
        checked={props.selected.has(id)}
        aria-label={t('browse.select', { name })}
        onClick={(e) => props.onPick(index, e.shiftKey, e.currentTarget.checked)}
      />
    </td>
  );
  const rowCount = props.folders.length + props.files.length;
  const allPicked = rowCount > 0 && props.selected.size === rowCount;

  return (
    <table class="listing" data-testid="listing">
      <caption class="visually-hidden">{t('folders.listing', { name: props.folderName })}</caption>
      <thead>
        <tr>
          <th scope="col" class="pick">
            <input
              type="checkbox"
              checked={allPicked}
              aria-label={t('browse.selectAll')}
              onChange={(e) => props.onPickAll(e.currentTarget.checked)}
            />
          </th>
          <th scope="col" aria-sort={ariaSort('name')}>
            {sortButton('name', t('common.name'))}
          </th>
          <th scope="col" class="col-size" aria-sort={ariaSort('size')}>
            {sortButton('size', t('common.size'))}
          </th>
          <th scope="col" class="col-date" aria-sort={ariaSort('date')}>
            {sortButton('date', t('common.modified'))}
          </th>
          <th scope="col">
            <span class="visually-hidden">{t('common.actions')}</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {props.folders.map((f, i) => {
          const target: Target = { kind: 'folder', item: f };
          return (
            <tr
              key={f.id}
              draggable
              class={dropTarget === f.id ? 'drop-target' : undefined}
              onDragStart={dragStart(target)}
              onContextMenu={(e) => props.onMenu(target, e)}
              {...rowDrop(f.id)}
              data-testid="folder-row"
            >
              {pickBox(i, f.name, f.id)}
              <td class="name">
                <A href={paths.folder(f.id)}>
                  <span class="icon icon-folder" aria-hidden="true" />
                  <span class="name-text">{f.name}</span>
                </A>
              </td>
              <td class="num col-size" />
              <td class="num col-date">{formatDate(f.updatedAt)}</td>
              <td class="act">{more(f.name, target)}</td>
            </tr>
          );
        })}
        {props.files.map((f, i) => {
          const target: Target = { kind: 'file', item: f };
          return (
            <tr
              key={f.id}
              draggable
              onDragStart={dragStart(target)}
              onContextMenu={(e) => props.onMenu(target, e)}
              data-testid="file-row"
            >
              {pickBox(props.folders.length + i, f.name, f.id)}
              <td class="name">
                <A href={paths.file(f.id)}>
                  <FileIcon file={f} />
                  <span class="name-text">{f.name}</span>
                </A>
                {f.requiresAcknowledgement && <AckMarker />}
              </td>
              <td class="num col-size">{formatSize(f.size)}</td>
              <td class="num col-date">{formatDate(f.updatedAt)}</td>
              <td class="act">
                <button
                  type="button"
                  class="btn btn-quiet"
                  disabled={props.busyFile === f.id}
                  aria-label={`${t('common.download')}: ${f.name}`}
                  onClick={() => props.onDownload(f)}
                >
                  ↓
                </button>
                {more(f.name, target)}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
