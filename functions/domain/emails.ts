/**
 * The mails we send, in Spanish and English, as text and HTML. Every string a
 * person typed (company name, names, messages) is escaped in the HTML and
 * never becomes markup.
 */
import type { Language } from './model.ts';

export interface Mail {
  subject: string;
  text: string;
  html: string;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Subjects are headers: no line breaks may pass. */
const oneLine = (s: string) => s.replace(/[\r\n\u2028\u2029]+/g, ' ').trim();

interface Brand {
  company: string;
  color: string;
  logoUrl?: string;
}

function layout(brand: Brand, lang: Language, bodyHtml: string, button?: { url: string; label: string }): string {
  const logo = brand.logoUrl
    ? `<img src="${escapeHtml(brand.logoUrl)}" alt="${escapeHtml(brand.company)}" style="max-height:48px">`
    : `<strong style="font-size:20px">${escapeHtml(brand.company)}</strong>`;
  const color = /^#[0-9a-fA-F]{6}$/.test(brand.color) ? brand.color : '#1f4e79';
  const body = 'font-family:Arial,Helvetica,sans-serif;color:#1a1a1a;max-width:560px;margin:0 auto;padding:24px';
  const buttonStyle =
    `background:${color};color:#fff;padding:12px 20px;border-radius:6px;` + 'text-decoration:none;display:inline-block';
  const fallback =
    lang === 'es'
      ? 'Si el botón no funciona, copie esta dirección en su navegador:'
      : 'If the button does not work, paste this address into your browser:';
  return [
    `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"></head><body style="${body}">`,
    `<div style="margin-bottom:24px">${logo}</div>`,
    bodyHtml,
    ...(button
      ? [
          `<p style="margin:32px 0"><a href="${escapeHtml(button.url)}" style="${buttonStyle}">` +
            `${escapeHtml(button.label)}</a></p>`,
          `<p style="font-size:13px;color:#555">${fallback}<br>${escapeHtml(button.url)}</p>`,
        ]
      : []),
    '</body></html>',
  ].join('\n');
}

/** A mail in the company's colours: its subject on one line, the HTML body inside the branded layout. */
function brandedMail(
  p: Brand & { lang: Language },
  subject: string,
  text: string,
  bodyHtml: string,
  button?: { url: string; label: string },
): Mail {
  return { subject: oneLine(subject), text, html: layout(p, p.lang, bodyHtml, button) };
}

const paragraphs = (text: string) =>
  text
    .split(/\n{2,}/)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
    .join('\n');

export function invitationMail(p: {
  lang: Language;
  company: string;
  color: string;
  logoUrl?: string;
  name: string;
  url: string;
  expiresDays: number;
}): Mail {
  const es = p.lang === 'es';
  const subject = oneLine(
    es ? `${p.company} le da acceso a sus documentos` : `${p.company} has given you access to your documents`,
  );
  const text = es
    ? `Hola ${p.name}:\n\n${p.company} ha creado un acceso para que pueda consultar y descargar sus ` +
      `documentos.\n\nElija su contraseña aquí (el enlace caduca en ${p.expiresDays} días y solo sirve una ` +
      `vez):\n${p.url}\n`
    : `Hello ${p.name},\n\n${p.company} has created an account so you can view and download your ` +
      `documents.\n\nChoose your password here (the link expires in ${p.expiresDays} days and works ` +
      `once):\n${p.url}\n`;
  const body = es
    ? `<p>Hola ${escapeHtml(p.name)}:</p><p>${escapeHtml(p.company)} ha creado un acceso para que pueda ` +
      `consultar y descargar sus documentos.</p><p>El enlace caduca en ${p.expiresDays} días y solo sirve una ` +
      `vez.</p>`
    : `<p>Hello ${escapeHtml(p.name)},</p><p>${escapeHtml(p.company)} has created an account so you can view and ` +
      `download your documents.</p><p>The link expires in ${p.expiresDays} days and works once.</p>`;
  return brandedMail(p, subject, text, body, { url: p.url, label: es ? 'Elegir contraseña' : 'Choose password' });
}

export function folderSharedMail(p: {
  lang: Language;
  company: string;
  color: string;
  logoUrl?: string;
  name: string;
  folderName: string;
  url: string;
}): Mail {
  const es = p.lang === 'es';
  const subject = oneLine(
    es
      ? `${p.company} ha compartido con usted la carpeta «${p.folderName}»`
      : `${p.company} shared the folder "${p.folderName}" with you`,
  );
  const text = es
    ? `Hola ${p.name}:\n\n${p.company} ha compartido con usted la carpeta «${p.folderName}».\n\nÁbrala ` +
      `aquí:\n${p.url}\n`
    : `Hello ${p.name},\n\n${p.company} shared the folder "${p.folderName}" with you.\n\nOpen it here:\n${p.url}\n`;
  const body = es
    ? `<p>Hola ${escapeHtml(p.name)}:</p><p>${escapeHtml(p.company)} ha compartido con usted la carpeta ` +
      `«${escapeHtml(p.folderName)}».</p>`
    : `<p>Hello ${escapeHtml(p.name)},</p><p>${escapeHtml(p.company)} shared the folder ` +
      `“${escapeHtml(p.folderName)}” with you.</p>`;
  return brandedMail(p, subject, text, body, { url: p.url, label: es ? 'Abrir carpeta' : 'Open folder' });
}

export function linkMail(p: {
  lang: Language;
  company: string;
  color: string;
  logoUrl?: string;
  name?: string;
  sender?: string;
  message?: string;
  folderName: string;
  url: string;
  expiresAt: string;
}): Mail {
  const es = p.lang === 'es';
  const until = new Date(p.expiresAt).toLocaleDateString(es ? 'es-ES' : 'en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
  const greeting = p.name ? (es ? `Hola ${p.name}:` : `Hello ${p.name},`) : es ? 'Hola:' : 'Hello,';
  const subject = oneLine(
    es ? `${p.company} le envía la carpeta «${p.folderName}»` : `${p.company} sent you the folder "${p.folderName}"`,
  );
  const intro = es
    ? `${p.company} le envía la carpeta «${p.folderName}». Puede abrirla y descargar los documentos hasta el ${until}.`
    : `${p.company} sent you the folder "${p.folderName}". You can open it and download the documents until ${until}.`;
  const text = `${greeting}\n\n${intro}\n\n${p.message ? `${p.message}\n\n` : ''}${p.url}\n`;
  const quote = 'border-left:3px solid #ccc;margin:0;padding-left:12px';
  const message = p.message ? `<blockquote style="${quote}">${paragraphs(p.message)}</blockquote>` : '';
  const body = `<p>${escapeHtml(greeting)}</p><p>${escapeHtml(intro)}</p>${message}`;
  return brandedMail(p, subject, text, body, { url: p.url, label: es ? 'Abrir carpeta' : 'Open folder' });
}

/**
 * A list of documents for a client (new ones, or ones not opened yet): greeting, intro, names with paths,
 * then the button to them, or (`url` absent: a link holder, whose link only their own mail holds) a closing line.
 */
function documentsMail(
  p: Brand & { lang: Language; name: string; documents: Array<{ name: string; path: string[] }>; url?: string },
  subject: string,
  intro: string,
  closing?: string,
): Mail {
  const es = p.lang === 'es';
  const where = (d: { path: string[] }) => (d.path.length ? ` (${d.path.join(' / ')})` : '');
  const greeting = es ? `Hola ${p.name}:` : `Hello ${p.name},`;
  const list = p.documents.map((d) => `- ${d.name}${where(d)}`).join('\n');
  const text = `${greeting}\n\n${intro}\n\n${list}\n\n${p.url ?? closing ?? ''}\n`;
  const items = p.documents.map((d) => `<li><strong>${escapeHtml(d.name)}</strong>${escapeHtml(where(d))}</li>`);
  const body =
    `<p>${escapeHtml(greeting)}</p><p>${escapeHtml(intro)}</p><ul>${items.join('')}</ul>` +
    (closing && !p.url ? `<p>${escapeHtml(closing)}</p>` : '');
  const button = p.url ? { url: p.url, label: es ? 'Ver mis documentos' : 'See my documents' } : undefined;
  return brandedMail(p, subject, text, body, button);
}

/** "New documents for you": one mail per batch, listing every document in it. */
export function newDocumentsMail(p: {
  lang: Language;
  company: string;
  color: string;
  logoUrl?: string;
  name: string;
  documents: Array<{ name: string; path: string[] }>;
  url: string;
}): Mail {
  const es = p.lang === 'es';
  const n = p.documents.length;
  const subject = oneLine(
    es
      ? n === 1
        ? `${p.company}: tiene un documento nuevo`
        : `${p.company}: tiene ${n} documentos nuevos`
      : n === 1
        ? `${p.company}: you have a new document`
        : `${p.company}: you have ${n} new documents`,
  );
  const intro = es
    ? `${p.company} ha puesto a su disposición ${n === 1 ? 'un documento nuevo' : `${n} documentos nuevos`}:`
    : `${p.company} has made ${n === 1 ? 'a new document' : `${n} new documents`} available to you:`;
  return documentsMail(p, subject, intro);
}

/**
 * A reminder: documents delivered to a client that they have not opened yet. A web user gets the portal's
 * address; a link holder (`linkSentAt`) is pointed at the mail with their link, which is the only place it is
 * (Carpeta keeps only its hash).
 */
export function reminderMail(p: {
  lang: Language;
  company: string;
  color: string;
  logoUrl?: string;
  name: string;
  documents: Array<{ name: string; path: string[] }>;
  url?: string;
  linkSentAt?: string;
}): Mail {
  const es = p.lang === 'es';
  const n = p.documents.length;
  const subject = oneLine(
    es
      ? n === 1
        ? `${p.company}: tiene un documento pendiente de abrir`
        : `${p.company}: tiene ${n} documentos pendientes de abrir`
      : n === 1
        ? `${p.company}: a document is waiting for you`
        : `${p.company}: ${n} documents are waiting for you`,
  );
  const intro = es
    ? `Le recordamos que ${p.company} puso a su disposición ${n === 1 ? 'este documento' : 'estos documentos'}, ` +
      'que aún no ha abierto:'
    : `A reminder that ${p.company} made ${n === 1 ? 'this document' : 'these documents'} available to you, ` +
      'not opened yet:';
  const sent = p.linkSentAt ? p.linkSentAt.slice(0, 10) : '';
  const closing = p.linkSentAt
    ? es
      ? `Ábralos con el enlace del correo que ${p.company} le envió el ${sent}.`
      : `Open them with the link in the mail ${p.company} sent you on ${sent}.`
    : undefined;
  return documentsMail(p, subject, intro, closing);
}

/** What a mail to a link's sender is about: who the link is for, its folder, where to see it. */
type ToSender = Brand & { lang: Language; who: string; folderName: string; url: string };

/** A moment as the reader's language writes it, in UTC (as receipts and the log say it too). */
const utcWhen = (iso: string, lang: Language) =>
  `${new Date(iso).toLocaleString(lang === 'es' ? 'es-ES' : 'en-GB', {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: 'UTC',
  })} UTC`;

/** For the staff member who sent a link: it stops working in a few days; they can extend it from Carpeta. */
export function linkExpiringMail(p: ToSender & { expiresAt: string }): Mail {
  const es = p.lang === 'es';
  const when = utcWhen(p.expiresAt, p.lang);
  const subject = es
    ? `El enlace a «${p.folderName}» para ${p.who} caduca pronto`
    : `The link to "${p.folderName}" for ${p.who} expires soon`;
  const lines = es
    ? [
        `El enlace a «${p.folderName}» que envió a ${p.who} deja de funcionar el ${when}.`,
        'Si aún lo necesita, amplíelo desde la carpeta en Carpeta: se le enviará un enlace nuevo.',
      ]
    : [
        `The link to "${p.folderName}" you sent to ${p.who} stops working on ${when}.`,
        'If it is still needed, extend it from the folder in Carpeta: a new link is mailed to them.',
      ];
  return brandedMail(p, subject, `${lines.join('\n\n')}\n\n${p.url}\n`, paragraphs(lines.join('\n\n')), {
    url: p.url,
    label: es ? 'Ver la carpeta' : 'See the folder',
  });
}

/** For the staff member who uploaded: a client has downloaded the document for the first time. */
export function downloadedMail(p: {
  lang: Language;
  company: string;
  color: string;
  logoUrl?: string;
  who: string;
  document: string;
  at: string;
  url: string;
}): Mail {
  const es = p.lang === 'es';
  const when = utcWhen(p.at, p.lang);
  const subject = oneLine(es ? `${p.who} ha descargado «${p.document}»` : `${p.who} downloaded "${p.document}"`);
  const line = es
    ? `${p.who} ha descargado «${p.document}» el ${when}.`
    : `${p.who} downloaded "${p.document}" on ${when}.`;
  return brandedMail(p, subject, `${line}\n\n${p.url}\n`, `<p>${escapeHtml(line)}</p>`, {
    url: p.url,
    label: es ? 'Ver el documento y sus acuses' : 'See the document and its receipts',
  });
}

/** For the staff member who sent a link that asked for it: the recipient has opened it for the first time. */
export function linkOpenedMail(p: ToSender & { at: string }): Mail {
  const es = p.lang === 'es';
  const when = utcWhen(p.at, p.lang);
  const subject = oneLine(
    es ? `${p.who} ha abierto el enlace a «${p.folderName}»` : `${p.who} opened the link to "${p.folderName}"`,
  );
  const line = es
    ? `${p.who} ha abierto por primera vez el enlace a «${p.folderName}» el ${when}.`
    : `${p.who} first opened the link to "${p.folderName}" on ${when}.`;
  return {
    subject,
    text: `${line}\n\n${p.url}\n`,
    html: layout({ company: p.company, color: p.color, logoUrl: p.logoUrl }, p.lang, `<p>${escapeHtml(line)}</p>`, {
      url: p.url,
      label: es ? 'Ver la carpeta' : 'See the folder',
    }),
  };
}

/**
 * For a staff member turning on (or replacing) two-step verification: the one-time code that proves the
 * request comes from whoever reads this mailbox, not only from whoever knows the password.
 */
export function twoStepCodeMail(p: {
  lang: Language;
  company: string;
  color: string;
  logoUrl?: string;
  code: string;
  minutes: number;
}): Mail {
  const es = p.lang === 'es';
  const subject = oneLine(
    es ? `${p.code} es su código para la verificación en dos pasos` : `${p.code} is your two-step verification code`,
  );
  const lines = es
    ? [
        `Su código para activar la verificación en dos pasos en ${p.company} es ${p.code}.`,
        `Caduca en ${p.minutes} minutos y solo sirve una vez.`,
        'Si no lo ha pedido usted, alguien conoce su contraseña: cámbiela y avise a un administrador.',
      ]
    : [
        `Your code to turn on two-step verification at ${p.company} is ${p.code}.`,
        `It expires in ${p.minutes} minutes and works once.`,
        'If you did not ask for it, someone knows your password: change it and tell an administrator.',
      ];
  const html = lines
    .map(
      (l) => `<p>${escapeHtml(l).replace(escapeHtml(p.code), `<strong style="font-size:22px">${p.code}</strong>`)}</p>`,
    )
    .join('');
  return brandedMail(p, subject, `${lines.join('\n\n')}\n`, html);
}
