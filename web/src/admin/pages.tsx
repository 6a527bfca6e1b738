/**
 * The staff site (loaded on demand, so the portal's first load stays small): its frame and the page
 * for each staff route of routes.ts.
 */
import './texts.ts';
import type { StaffPageProps } from '../app.tsx';
import { Shell } from '../components/Shell.tsx';
import { A, PageTitle, useLang } from '../components/ui.tsx';
import { t } from '../i18n/index.ts';
import { paths } from '../routes.ts';
import { AccessPage } from './Access.tsx';
import { AccountPage } from './Account.tsx';
import { ActivityPage } from './Activity.tsx';
import { DeliverPage } from './Deliver.tsx';
import { FilePage } from './FilePage.tsx';
import { FolderBrowser } from './folders/FolderBrowser.tsx';
import { PendingPage } from './Pending.tsx';
import { SettingsPage } from './Settings.tsx';
import { TrashPage } from './Trash.tsx';
import { ViewAsPage } from './ViewAs.tsx';
import { WebUserPage, WebUsersPage } from './WebUsers.tsx';

export function StaffSite(props: StaffPageProps) {
  useLang();
  const isAdmin = props.me.groups.includes('admin');
  const nav = [
    { href: paths.folders(), label: t('nav.folders') },
    { href: paths.webusers(), label: t('nav.webusers') },
    { href: paths.deliver(), label: t('nav.deliver') },
    { href: paths.pending(), label: t('nav.pending') },
    { href: paths.activity(), label: t('nav.activity') },
    { href: paths.trash(), label: t('nav.trash') },
    ...(isAdmin ? [{ href: paths.settings(), label: t('nav.settings') }] : []),
  ];
  return (
    <Shell
      email={props.me.email}
      nav={nav}
      home={paths.folders()}
      account={{ href: paths.account(), label: t('account.title'), hint: t('account.link') }}
    >
      <Page {...props} isAdmin={isAdmin} />
    </Shell>
  );
}

function Page({ me, page, params, query, isAdmin }: StaffPageProps & { isAdmin: boolean }) {
  switch (page) {
    case 'folders':
      return <FolderBrowser id="root" />;
    case 'folder':
      return <FolderBrowser id={params.id} />;
    case 'file':
      return <FilePage id={params.id} />;
    case 'trash':
      return <TrashPage />;
    case 'webusers':
      return <WebUsersPage query={query} />;
    case 'webuser':
      return <WebUserPage id={params.id} />;
    case 'access':
      return <AccessPage query={query} key={query.toString()} />;
    case 'activity':
      return <ActivityPage query={query} key={query.toString()} />;
    case 'deliver':
      return <DeliverPage />;
    case 'pending':
      return <PendingPage />;
    case 'viewAs':
    case 'viewAsFolder':
      return <ViewAsPage userId={params.userId} folderId={params.folderId} />;
    case 'account':
      return <AccountPage me={me} />;
    case 'settings':
      if (isAdmin) return <SettingsPage email={me.email ?? ''} />;
  }
  return (
    <section class="page">
      <PageTitle title={t('notFound.title')}>{t('notFound.title')}</PageTitle>
      <p>{t('notFound.text')}</p>
      <A href={paths.folders()}>{t('notFound.home')}</A>
    </section>
  );
}
