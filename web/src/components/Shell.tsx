/** The page frame: skip link, header (brand, navigation, who is signed in, language, sign out), main, footer. */
import type { ComponentChildren } from 'preact';
import { signOut } from '../auth.ts';
import { useCompany } from '../branding.ts';
import { t } from '../i18n/index.ts';
import { navigate, useLocation } from '../router.ts';
import { A, ApiStatus, LangSwitch, useLang } from './ui.tsx';

export interface NavItem {
  href: string;
  label: string;
}

export function Brand({ href = '/' }: { href?: string }) {
  const company = useCompany();
  return (
    <A href={href} class="brand">
      {company.logoUrl && <img class="brand-logo" src={company.logoUrl} alt="" />}
      <span class="brand-name" data-testid="company-name">
        {company.name}
      </span>
    </A>
  );
}

/** The signed-in user's own page (staff: two-step verification); the email in the header links to it. */
export interface AccountLink {
  href: string;
  /** "Your account", read before the email by screen readers. */
  label: string;
  /** The tooltip. */
  hint: string;
}

export function Shell({
  nav,
  email,
  children,
  home = '/',
  account,
}: {
  nav?: NavItem[];
  email?: string | null;
  children: ComponentChildren;
  home?: string;
  account?: AccountLink;
}) {
  useLang();
  const loc = useLocation();
  return (
    <div class="shell">
      <a class="skip" href="#main">
        {t('app.skip')}
      </a>
      <header class="topbar">
        <Brand href={home} />
        {nav && nav.length > 0 && (
          <nav class="mainnav" aria-label={t('nav.main')}>
            <ul>
              {nav.map((n) => (
                <li key={n.href}>
                  <A
                    href={n.href}
                    aria-current={loc.path === n.href || loc.path.startsWith(`${n.href}/`) ? 'page' : undefined}
                  >
                    {n.label}
                  </A>
                </li>
              ))}
            </ul>
          </nav>
        )}
        <div class="topbar-end">
          {email &&
            (account ? (
              <A
                href={account.href}
                class="whoami whoami-link"
                data-testid="user-email"
                title={account.hint}
                aria-current={loc.path === account.href ? 'page' : undefined}
              >
                <span class="visually-hidden">{account.label}: </span>
                {email}
              </A>
            ) : (
              <span class="whoami" data-testid="user-email" title={t('auth.signedInAs', { email })}>
                {email}
              </span>
            ))}
          <LangSwitch />
          {email !== undefined && (
            <button
              type="button"
              class="btn btn-quiet"
              onClick={() => {
                signOut();
                navigate('/', { replace: true });
              }}
            >
              {t('auth.signOut')}
            </button>
          )}
        </div>
      </header>
      <main id="main" class="main" tabIndex={-1}>
        {children}
      </main>
      <footer class="footer">
        <ApiStatus />
      </footer>
    </div>
  );
}
