/**
 * "Pendientes" (/admin/pending): per client (a web user, or whoever holds a link sent by email), the
 * documents delivered to them and not opened yet (previewed, downloaded or acknowledged), oldest first,
 * each linking to the file's page. Every page of GET /deliveries/unopened is read: the list is what is
 * still waiting, which a company keeps short, and a client split over two pages is shown once.
 */
import * as api from '../api.ts';
import { A, ErrorMessage, Loading, PageTitle, useLang, useLoad } from '../components/ui.tsx';
import { formatDate } from '../format.ts';
import { t } from '../i18n/index.ts';
import { paths } from '../routes.ts';
import type { UnopenedClient } from '../types.ts';

/** The most a page of the API holds. */
const PAGE = 500;

/** Every page, clients merged in the order they first appear (the API's order: oldest delivery first). */
async function allUnopened(signal: AbortSignal): Promise<UnopenedClient[]> {
  const byId = new Map<string, UnopenedClient>();
  let cursor: string | undefined;
  do {
    const page = await api.unopenedDeliveries({ limit: PAGE, cursor, signal });
    for (const c of page.clients) {
      const known = byId.get(c.id);
      if (known) known.documents.push(...c.documents);
      else byId.set(c.id, { ...c, documents: [...c.documents] });
    }
    cursor = page.nextCursor;
  } while (cursor && !signal.aborted);
  return [...byId.values()];
}

const who = (c: UnopenedClient) => (c.name ? `${c.name} (${c.email})` : c.email);

export function PendingPage() {
  useLang();
  const q = useLoad(allUnopened, []);
  const clients = q.data;
  const documents = clients?.reduce((n, c) => n + c.documents.length, 0) ?? 0;
  return (
    <section class="page">
      <PageTitle title={t('pending.title')}>{t('pending.title')}</PageTitle>
      <p class="lead">{t('pending.intro')}</p>
      <ErrorMessage error={q.error} onRetry={q.reload} />
      {q.loading && !clients && <Loading />}
      {clients && clients.length === 0 && <p class="empty">{t('pending.empty')}</p>}
      {clients && clients.length > 0 && (
        <>
          <div class="row">
            <p class="grow" role="status" data-testid="pending-summary">
              {t('pending.summary', { documents, clients: clients.length })}
            </p>
            <button type="button" class="btn" onClick={q.reload} disabled={q.loading}>
              {t('pending.reload')}
            </button>
          </div>
          {clients.map((c) => (
            <section key={c.id} class="section" data-testid="pending-client" data-client={c.email}>
              <h2 class="wrap-anywhere">
                {c.kind === 'webuser' ? (
                  <A href={paths.webuser(c.id)}>{who(c)}</A>
                ) : (
                  t('pending.viaLink', { who: who(c) })
                )}
              </h2>
              <div class="table-wrap">
                <table class="data">
                  <caption class="visually-hidden">{t('pending.caption', { who: who(c) })}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('common.file')}</th>
                      <th scope="col">{t('pending.deliveredAt')}</th>
                      <th scope="col">{t('pending.reminders')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {c.documents.map((d) => (
                      <tr key={`${d.fileId}-${d.versionId}`} data-testid="pending-row">
                        <td class="wrap-anywhere">
                          <A href={paths.file(d.fileId)}>{d.name}</A>
                          {!d.current && <span class="hint"> · {t('pending.olderVersion')}</span>}
                        </td>
                        <td>{formatDate(d.deliveredAt)}</td>
                        <td>
                          {d.reminders
                            ? t('pending.remindersSent', { n: d.reminders, date: formatDate(d.lastReminderAt) })
                            : t('common.none')}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </section>
          ))}
        </>
      )}
    </section>
  );
}
