/**
 * The folder browser's dialogs, one at a time: new folder, rename, move, trash, send by email, share
 * with a web user, view as a client, and the PDF/image preview. Which one is open is a `FolderDialog`;
 * what each does is an action of useFolder.ts.
 */
import { Preview } from '../../components/Browse.tsx';
import { useLang } from '../../components/ui.tsx';
import { t } from '../../i18n/index.ts';
import { navigate } from '../../router.ts';
import { paths } from '../../routes.ts';
import type { StaffFile } from '../../types.ts';
import { ConfirmDialog, MoveDialog, NameDialog, PickUserDialog, SendDialog, ShareDialog } from '../dialogs.tsx';
import type { FolderState, Target } from './useFolder.ts';

export type FolderDialog =
  | { kind: 'new' }
  | { kind: 'rename' | 'move' | 'trash'; target: Target }
  | { kind: 'moveMany' | 'trashMany'; targets: Target[] }
  | { kind: 'send' | 'share' | 'viewAs'; folder: { id: string; name: string } }
  | { kind: 'preview'; file: StaffFile; url: string; type: 'pdf' | 'image' };

export function FolderDialogs({
  dialog,
  state,
  onClose,
}: {
  dialog: FolderDialog;
  state: FolderState;
  onClose: () => void;
}) {
  useLang();
  const { actions, folder, rootName } = state;
  const closeAfter = (fn: () => Promise<void>) => async () => {
    await fn();
    onClose();
  };
  switch (dialog.kind) {
    case 'new':
      return folder ? (
        <NameDialog
          title={t('folders.newTitle', { name: folder.name })}
          label={t('common.name')}
          submitLabel={t('folders.new')}
          onSubmit={(name) => closeAfter(() => actions.createFolder(name))()}
          onClose={onClose}
        />
      ) : null;
    case 'rename':
      return (
        <NameDialog
          title={t('folders.renameTitle')}
          label={t('common.name')}
          initial={dialog.target.item.name}
          submitLabel={t('common.save')}
          onSubmit={(name) => closeAfter(() => actions.rename(dialog.target, name))()}
          onClose={onClose}
        />
      );
    case 'move':
      return (
        <MoveDialog
          name={dialog.target.item.name}
          rootName={rootName}
          disabledIds={dialog.target.kind === 'folder' ? [dialog.target.item.id] : []}
          onMove={(dest) => closeAfter(() => actions.move(dialog.target, dest))()}
          onClose={onClose}
        />
      );
    case 'moveMany':
      return (
        <MoveDialog
          name={t('folders.selectionName', { n: dialog.targets.length })}
          rootName={rootName}
          disabledIds={dialog.targets.filter((x) => x.kind === 'folder').map((x) => x.item.id)}
          onMove={(dest) => closeAfter(() => actions.moveMany(dialog.targets, dest))()}
          onClose={onClose}
        />
      );
    case 'trashMany':
      return (
        <ConfirmDialog
          title={t('folders.trashTitle')}
          text={t('folders.trashManyConfirm', { n: dialog.targets.length })}
          confirmLabel={t('menu.trash')}
          danger
          onConfirm={closeAfter(() => actions.trashMany(dialog.targets))}
          onClose={onClose}
        />
      );
    case 'trash':
      return (
        <ConfirmDialog
          title={t('folders.trashTitle')}
          text={t(dialog.target.kind === 'folder' ? 'folders.trashConfirm' : 'folders.trashFileConfirm', {
            name: dialog.target.item.name,
          })}
          confirmLabel={t('menu.trash')}
          danger
          onConfirm={closeAfter(() => actions.trash(dialog.target))}
          onClose={onClose}
        />
      );
    case 'send':
      return <SendDialog folder={dialog.folder} onSent={() => state.reload()} onClose={onClose} />;
    case 'share':
      return (
        <ShareDialog
          folder={dialog.folder}
          onShared={(u) => {
            onClose();
            state.setNotice(t('share.done', { name: u.name || u.email }));
            state.reload();
          }}
          onCreateUser={() => navigate(paths.webusers({ newFor: dialog.folder.id }))}
          onClose={onClose}
        />
      );
    case 'viewAs':
      return (
        <PickUserDialog
          title={t('viewAs.title')}
          intro={t('viewAs.pickIntro')}
          actionLabel={t('viewAs.start')}
          onPick={(u) => navigate(paths.viewAs(u.id))}
          onClose={onClose}
        />
      );
    case 'preview':
      return (
        <Preview
          file={dialog.file}
          url={dialog.url}
          kind={dialog.type}
          onClose={onClose}
          onDownload={() => void actions.download(dialog.file)}
        />
      );
  }
}
