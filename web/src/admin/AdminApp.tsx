/** The staff admin site (loaded on demand, so the portal's first load stays small). */
import { Shell } from '../components/Shell.tsx';
import { A, PageTitle, useLang } from '../components/ui.tsx';
import { t } from '../i18n.ts';
import { type Loc, match } from '../router.ts';
import type { Me } from '../types.ts';
import { AccessPage } from './Access.tsx';
import { AccountPage } from './Account.tsx';
import { ActivityPage } from './Activity.tsx';
import { FilePage } from './FilePage.tsx';
import { FoldersPage } from './Folders.tsx';
import { tm } from './mfa.ts';
import { SettingsPage } from './Settings.tsx';
import { TrashPage } from './Trash.tsx';
import { ROOT } from './tree.tsx';
import { ViewAsPage } from './ViewAs.tsx';
import { WebUserPage, WebUsersPage } from './WebUsers.tsx';

const ACCOUNT = '/admin/account';

export function AdminApp({ me, loc }: { me: Me; loc: Loc }) {
  useLang();
  const isAdmin = me.groups.includes('admin');
  const nav = [
    { href: '/admin/folders', label: t('nav.folders') },
    { href: '/admin/webusers', label: t('nav.webusers') },
    { href: '/admin/activity', label: t('nav.activity') },
    { href: '/admin/trash', label: t('nav.trash') },
    ...(isAdmin ? [{ href: '/admin/settings', label: t('nav.settings') }] : []),
  ];
  const page = pageFor(loc, me, isAdmin);
  return (
    <Shell
      email={me.email}
      nav={nav}
      home="/admin/folders"
      account={{ href: ACCOUNT, label: tm('account.title'), hint: tm('account.link') }}
    >
      {page}
    </Shell>
  );
}

function pageFor(loc: Loc, me: Me, isAdmin: boolean) {
  const p = loc.path;
  if (p === '/admin/folders') return <FoldersPage id={ROOT} />;
  const folder = match('/admin/folders/:id', p);
  if (folder) return <FoldersPage id={folder.id} />;
  const file = match('/admin/files/:id', p);
  if (file) return <FilePage id={file.id} me={me} />;
  if (p === '/admin/trash') return <TrashPage me={me} />;
  if (p === '/admin/webusers') return <WebUsersPage query={loc.query} />;
  const webuser = match('/admin/webusers/:id', p);
  if (webuser) return <WebUserPage id={webuser.id} />;
  if (p === '/admin/access') return <AccessPage query={loc.query} key={loc.query.toString()} />;
  if (p === '/admin/activity') return <ActivityPage query={loc.query} key={loc.query.toString()} />;
  const viewAs = match('/admin/view-as/:userId', p) ?? match('/admin/view-as/:userId/:folderId', p);
  if (viewAs) return <ViewAsPage userId={viewAs.userId} folderId={viewAs.folderId} />;
  if (p === '/admin/settings' && isAdmin) return <SettingsPage email={me.email ?? ''} />;
  if (p === ACCOUNT) return <AccountPage me={me} />;
  return (
    <section class="page">
      <PageTitle title={t('notFound.title')}>{t('notFound.title')}</PageTitle>
      <p>{t('notFound.text')}</p>
      <A href="/admin/folders">{t('notFound.home')}</A>
    </section>
  );
}
