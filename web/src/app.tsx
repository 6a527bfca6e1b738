/** Top-level routing: public pages, then sign-in, then the admin site or the portal by the user's groups. */
import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, api } from './api.ts';
import { isSignedIn, onSessionChange, signedInEmail, signOut } from './auth.ts';
import { Shell } from './components/Shell.tsx';
import { ErrorMessage, Loading, useLang } from './components/ui.tsx';
import { t } from './i18n.ts';
import { type Loc, match, navigate, useLocation } from './router.ts';
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

  // Share links and invitations carry their token after "#" (/s#<token>, /invite#<token>): a browser
  // never sends the fragment, so no server, CDN or access log sees it.
  const share = loc.path === '/s' ? {} : match('/s/f/:folderId', loc.path);
  if (share) return <SharePage token={loc.hash} folderId={share.folderId} />;
  if (loc.path === '/invite') return <InvitePage token={loc.hash || undefined} kind="webuser" />;
  if (loc.path === '/join') return <InvitePage token={loc.hash || undefined} kind="staff" />;
  if (loc.path === '/forgot') return <ForgotPage />;
  if (!isAppPath(loc.path)) return <NotFoundPage />;
  if (!signedIn) return <SignInPage />;
  return <SignedIn loc={loc} />;
}

function isAppPath(p: string): boolean {
  return (
    p === '/' ||
    p === '/signin' ||
    p === '/portal' ||
    p.startsWith('/portal/') ||
    p === '/admin' ||
    p.startsWith('/admin/')
  );
}

const isStaff = (me: Me) => me.groups.includes('staff') || me.groups.includes('admin');
const isWebUser = (me: Me) => me.groups.includes('webusers');

let adminModule: Promise<{ AdminApp: ComponentType<{ me: Me; loc: Loc }> }> | undefined;

function SignedIn({ loc }: { loc: Loc }) {
  useLang();
  const [me, setMe] = useState<Me>();
  const [error, setError] = useState<unknown>();
  const [Admin, setAdmin] = useState<ComponentType<{ me: Me; loc: Loc }>>();
  const [tick, setTick] = useState(0);

  useEffect(() => {
    let live = true;
    setError(undefined);
    api<Me>('/me').then(
      (m) =>
        live &&
        setMe({ ...m, email: m.email ?? signedInEmail() ?? null, groups: Array.isArray(m.groups) ? m.groups : [] }),
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

  const staff = me && isStaff(me);
  const wantsPortal = loc.path === '/portal' || loc.path.startsWith('/portal/');
  useEffect(() => {
    if (!me) return;
    if (staff && !wantsPortal && !loc.path.startsWith('/admin/')) navigate('/admin/folders', { replace: true });
    else if (!staff && isWebUser(me) && !wantsPortal) navigate('/portal', { replace: true });
  }, [me, loc.path]);
  useEffect(() => {
    if (!staff || wantsPortal) return;
    adminModule ??= import('./admin/AdminApp.tsx');
    adminModule.then((m) => setAdmin(() => m.AdminApp)).catch(setError);
  }, [staff, wantsPortal]);

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
  if (wantsPortal) {
    if (isWebUser(me)) return <PortalApp me={me} loc={loc} />;
    return (
      <Shell email={me.email}>
        <p class="alert">{t('portal.staffNotice')}</p>
        <a class="btn btn-primary" href="/admin/folders">
          {t('portal.toAdmin')}
        </a>
      </Shell>
    );
  }
  if (!Admin) return <Shell email={me.email}>{<Loading />}</Shell>;
  return <Admin me={me} loc={loc} />;
}
