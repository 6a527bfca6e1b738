/** The staff admin site (loaded on demand, so the portal's first load stays small). */
import { Shell } from '../components/Shell.tsx';
import { A, PageTitle, useLang } from '../components/ui.tsx';
import { t } from '../i18n.ts';
import { match, type Loc } from '../router.ts';
import type { Me } from '../types.ts';
import { AccessPage } from './Access.tsx';
import { ActivityPage } from './Activity.tsx';
import { FilePage } from './FilePage.tsx';
import { FoldersPage } from './Folders.tsx';
import { AccountPage } from './Account.tsx';
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
  const p = loc.path;
  let page;
  let m: Record<string, string> | undefined;
  if (p === '/admin/folders') page = <FoldersPage id={ROOT} />;
  else if ((m = match('/admin/folders/:id', p))) page = <FoldersPage id={m.id} />;
  else if ((m = match('/admin/files/:id', p))) page = <FilePage id={m.id} me={me} />;
  else if (p === '/admin/trash') page = <TrashPage me={me} />;
  else if (p === '/admin/webusers') page = <WebUsersPage query={loc.query} />;
  else if ((m = match('/admin/webusers/:id', p))) page = <WebUserPage id={m.id} />;
  else if (p === '/admin/access') page = <AccessPage query={loc.query} key={loc.query.toString()} />;
  else if (p === '/admin/activity') page = <ActivityPage query={loc.query} key={loc.query.toString()} />;
  else if ((m = match('/admin/view-as/:userId', p) ?? match('/admin/view-as/:userId/:folderId', p)))
    page = <ViewAsPage userId={m.userId} folderId={m.folderId} />;
  else if (p === '/admin/settings' && isAdmin) page = <SettingsPage email={me.email ?? ''} />;
  else if (p === ACCOUNT) page = <AccountPage me={me} />;
  else
    page = (
      <section class="page">
        <PageTitle title={t('notFound.title')}>{t('notFound.title')}</PageTitle>
        <p>{t('notFound.text')}</p>
        <A href="/admin/folders">{t('notFound.home')}</A>
      </section>
    );
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
