import { render } from 'preact';
import './styles.css';
import { App } from './app.tsx';
import { restoreSession } from './auth.ts';
import { loadBranding } from './branding.ts';
import { loadConfig } from './config.ts';
import { lang, t } from './i18n/index.ts';

const root = document.getElementById('app')!;
document.documentElement.lang = lang();

loadConfig().then(
  () => {
    restoreSession();
    void loadBranding();
    root.textContent = '';
    render(<App />, root);
  },
  () => {
    const p = document.createElement('p');
    p.className = 'alert alert-error';
    p.setAttribute('role', 'alert');
    p.textContent = t('app.configError');
    root.replaceChildren(p);
  },
);
