/**
 * The whole site's routing, from the one table in routes.ts: public pages first, then sign-in, then
 * the page for the signed-in user's groups (staff pages from the staff chunk, loaded on demand so the
 * portal's first load stays small; portal pages from screens/Portal.tsx).
 */
import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import * as api from './api.ts';
import { ApiError } from './api.ts';
import { isSignedIn, onSessionChange, signedInEmail, signOut } from './auth.ts';
import { Shell } from './components/Shell.tsx';
import { ErrorMessage, Loading, useLang } from './components/ui.tsx';
import { t } from './i18n/index.ts';
import { type Loc, navigate, useLocation } from './router.ts';
import { paths, resolve, type SiteRoute, type StaffPage } from './routes.ts';
import { PortalApp } from './screens/Portal.tsx';
import { ForgotPage, InvitePage, NotFoundPage, SharePage } from './screens/Public.tsx';
import { SignInPage } from './screens/SignIn.tsx';
import type { Me } from './types.ts';

function useSignedIn(): boolean {
  const [s, setS] = useState(isSignedIn());
  useEffect(() => onSessionChange(() => setS(isSignedIn())), []);
  return s;
}

export function App() {
  useLang();
  const loc = useLocation();
  const signedIn = useSignedIn();
  const found = resolve(loc.path);
  if (!found) return <NotFoundPage />;
  const { route, params } = found;
  if (route.audience === 'public') {
    switch (route.page) {
      case 'share':
      case 'shareFolder':
        return <SharePage token={loc.hash} folderId={params.folderId} />;
      case 'invite':
        return <InvitePage token={loc.hash || undefined} kind="webuser" />;
      case 'join':
        return <InvitePage token={loc.hash || undefined} kind="staff" />;
      case 'forgot':
        return <ForgotPage />;
    }
  }
  if (!signedIn) return <SignInPage />;
  return <SignedIn loc={loc} route={route} params={params} />;
}

const isStaff = (me: Me) => me.groups.includes('staff') || me.groups.includes('admin');
const isWebUser = (me: Me) => me.groups.includes('webusers');

/** What a staff page is drawn with (admin/pages.tsx). */
export interface StaffPageProps {
  me: Me;
  page: StaffPage;
  params: Record<string, string>;
  query: URLSearchParams;
}
type StaffSite = ComponentType<StaffPageProps>;
let staffModule: Promise<{ StaffSite: StaffSite }> | undefined;

function SignedIn({ loc, route, params }: { loc: Loc; route: SiteRoute; params: Record<string, string> }) {
  useLang();
  const [me, setMe] = useState<Me>();
  const [error, setError] = useState<unknown>();
  const [Staff, setStaff] = useState<StaffSite>();
  const [tick, setTick] = useState(0);

  useEffect(() => {
    let live = true;
    setError(undefined);
    api.me().then(
      (m) => live && setMe({ ...m, email: m.email ?? signedInEmail() ?? null }),
      (err) => {
        if (!live) return;
        if (err instanceof ApiError && err.status === 401) signOut();
        else setError(err);
      },
    );
    return () => {
      live = false;
    };
  }, [tick]);

  const staff = !!me && isStaff(me);
  const staffRoute = route.audience === 'staff' || route.audience === 'admin';
  // The start page, and pages of the other audience, take each person to their own side of the site.
  useEffect(() => {
    if (!me) return;
    if (staff && route.audience === 'signedin') navigate(paths.folders(), { replace: true });
    else if (!staff && isWebUser(me) && route.audience !== 'webuser') navigate(paths.portal(), { replace: true });
  }, [me, loc.path]);
  useEffect(() => {
    if (!staff || !staffRoute) return;
    staffModule ??= import('./admin/pages.tsx');
    staffModule.then((m) => setStaff(() => m.StaffSite)).catch(setError);
  }, [staff, staffRoute]);

  if (error)
    return (
      <Shell email={null}>
        <ErrorMessage error={error} onRetry={() => setTick((n) => n + 1)} />
      </Shell>
    );
  if (!me) return <Shell email={null}>{<Loading />}</Shell>;
  if (!staff && !isWebUser(me))
    return (
      <Shell email={me.email}>
        <p class="alert alert-error" role="alert">
          {t('auth.err.noAccess')}
        </p>
      </Shell>
    );
  if (route.audience === 'webuser') {
    if (isWebUser(me)) return <PortalApp me={me} page={route.page} params={params} />;
    return (
      <Shell email={me.email}>
        <p class="alert">{t('portal.staffNotice')}</p>
        <a class="btn btn-primary" href={paths.folders()}>
          {t('portal.toAdmin')}
        </a>
      </Shell>
    );
  }
  if (!staffRoute || !Staff) return <Shell email={me.email}>{<Loading />}</Shell>;
  return <Staff me={me} page={route.page as StaffPage} params={params} query={loc.query} />;
}
