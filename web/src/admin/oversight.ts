/**
 * Oversight in the staff chunk: staff accounts (Settings, admin only), the
 * access report ("who can see what", GET /reports/access) and the GDPR export
 * of a web user (GET /webusers/{id}/export). The texts and small pure helpers
 * these screens share; the texts stay out of the portal's first load.
 */
import { seg } from '../api.ts';
import { messages } from '../i18n.ts';

export type StaffRole = 'admin' | 'staff';
export type StaffStatus = 'invited' | 'active' | 'disabled';

export interface StaffAccount {
  id: string;
  email: string;
  name: string;
  role: StaffRole;
  status: StaffStatus;
  language?: 'es' | 'en';
  createdAt?: string;
}

export type AccessStatus = 'live' | 'expired' | 'revoked' | 'disabled' | 'folder-gone';

export interface AccessEntry {
  kind: 'grant' | 'link';
  folderId: string;
  path: string[];
  userId?: string;
  linkId?: string;
  email: string | null;
  name: string | null;
  expiresAt: string | null;
  /** Links answer `active` for a live link (GET /folders/{id}/links' word); grants `live`. */
  status: AccessStatus | 'active' | string;
  lastAccessAt: string | null;
}

/** One status word for both kinds of access: `active` (links) is `live`; anything unknown is not live. */
export function accessStatus(s: AccessEntry['status']): AccessStatus {
  if (s === 'live' || s === 'active') return 'live';
  if (s === 'expired' || s === 'revoked' || s === 'disabled' || s === 'folder-gone') return s;
  return 'expired';
}

const ORDER: Record<AccessStatus, number> = { live: 0, expired: 1, revoked: 2, disabled: 3, 'folder-gone': 4 };

/** Live access first, then the rest (kept, not hidden); within each, by folder path then person. */
export function sortAccess(entries: AccessEntry[]): AccessEntry[] {
  const key = (e: AccessEntry) => `${e.path.join('\u0000')}\u0001${(e.email ?? '').toLowerCase()}`;
  return [...entries].sort(
    (a, b) => ORDER[accessStatus(a.status)] - ORDER[accessStatus(b.status)] || key(a).localeCompare(key(b)),
  );
}

/** The access report page for a folder or a web user. */
export function accessHref(by: { folderId: string } | { userId: string }): string {
  return 'folderId' in by ? `/admin/access?folderId=${seg(by.folderId)}` : `/admin/access?userId=${seg(by.userId)}`;
}

/** The file name the API gives the GDPR export (content-disposition), used for the saved file. */
export const exportFileName = (userId: string): string =>
  `carpeta-export-${userId.replace(/[^A-Za-z0-9_-]/g, '_')}.json`;

/** Save a Blob as a file: an object URL on a temporary <a download>, released afterwards. */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export const to = messages({
  es: {
    'staff.intro':
      'Las personas del despacho que usan Carpeta. Los administradores además cambian estos ajustes y gestionan ' +
      'estas cuentas.',
    'staff.empty': 'Todavía no hay cuentas del personal.',
    'staff.role': 'Rol',
    'staff.role.admin': 'Administrador',
    'staff.role.staff': 'Personal',
    'staff.since': 'Alta',
    'staff.you': '(usted)',
    'staff.makeAdmin': 'Hacer administrador',
    'staff.unmakeAdmin': 'Quitar administrador',
    'staff.makeAdminLabel': 'Hacer administrador a {email}',
    'staff.unmakeAdminLabel': 'Quitar administrador a {email}',
    'staff.disable': 'Desactivar',
    'staff.enable': 'Activar',
    'staff.disableLabel': 'Desactivar a {email}',
    'staff.enableLabel': 'Activar a {email}',
    'staff.disableConfirm':
      '¿Desactivar a {email}? No podrá entrar ni usar Carpeta hasta que alguien vuelva a activar su cuenta. Sus ' +
      'documentos y su actividad se conservan.',
    'staff.disabled': '{email} ya no puede entrar.',
    'staff.enabled': '{email} puede volver a entrar.',
    'staff.madeAdmin': '{email} es ahora administrador.',
    'staff.unmadeAdmin': '{email} ya no es administrador.',
    'staff.self': 'No puede cambiar su propio rol ni desactivarse: tiene que hacerlo otro administrador.',
    'staff.inviteTitle': 'Invitar a una persona del despacho',
    'staff.inviteIntro': 'Le enviaremos por email una invitación para crear su contraseña.',
    'staff.invite': 'Invitar',
    'staff.invited': 'Invitación enviada a {email}.',
    'staff.emailTaken': 'Ya hay una cuenta con ese email.',
    'access.title': 'Quién ve qué',
    'access.link': 'Quién ve qué',
    'access.full': 'Quién ve qué: el informe completo, también lo caducado y lo revocado',
    'access.forFolder':
      'Quién puede ver «{name}» y sus subcarpetas, por permisos de usuarios web y por enlaces enviados por email.',
    'access.forUser': 'Qué puede ver {name}: sus carpetas compartidas y los enlaces enviados a su email.',
    'access.intro': 'Los accesos caducados, revocados o desactivados se muestran marcados: no se ocultan.',
    'access.empty': 'Nadie tiene ni ha tenido acceso.',
    'access.kind': 'Tipo',
    'access.kind.grant': 'Usuario web',
    'access.kind.link': 'Enlace por email',
    'access.who': 'Persona',
    'access.folder': 'Carpeta',
    'access.expires': 'Caduca',
    'access.status': 'Estado',
    'access.lastAccess': 'Último acceso',
    'access.never': 'Nunca',
    'access.noExpiry': 'Sin caducidad',
    'access.status.live': 'Con acceso',
    'access.status.expired': 'Caducado',
    'access.status.revoked': 'Revocado',
    'access.status.disabled': 'Usuario desactivado',
    'access.status.folder-gone': 'Carpeta eliminada',
    'access.summary': '{live} con acceso, {other} sin acceso',
    'export.button': 'Exportar sus datos (RGPD)',
    'export.explain':
      'Descarga un archivo JSON con todo lo que Carpeta guarda de esta persona (cuenta, carpetas, enlaces y ' +
      'actividad), para responder a una solicitud de acceso según el RGPD.',
    'export.done': 'Datos de {email} descargados.',
  },
  en: {
    'staff.intro':
      'The people at the firm who use Carpeta. Administrators can also change these settings and manage these ' +
      'accounts.',
    'staff.empty': 'There are no staff accounts yet.',
    'staff.role': 'Role',
    'staff.role.admin': 'Administrator',
    'staff.role.staff': 'Staff',
    'staff.since': 'Since',
    'staff.you': '(you)',
    'staff.makeAdmin': 'Make administrator',
    'staff.unmakeAdmin': 'Remove administrator',
    'staff.makeAdminLabel': 'Make {email} an administrator',
    'staff.unmakeAdminLabel': 'Remove administrator rights from {email}',
    'staff.disable': 'Disable',
    'staff.enable': 'Enable',
    'staff.disableLabel': 'Disable {email}',
    'staff.enableLabel': 'Enable {email}',
    'staff.disableConfirm':
      'Disable {email}? They will not be able to sign in or use Carpeta until someone enables the account again. ' +
      'Their documents and activity are kept.',
    'staff.disabled': '{email} can no longer sign in.',
    'staff.enabled': '{email} can sign in again.',
    'staff.madeAdmin': '{email} is now an administrator.',
    'staff.unmadeAdmin': '{email} is no longer an administrator.',
    'staff.self': 'You cannot change your own role or disable yourself: another administrator has to do it.',
    'staff.inviteTitle': 'Invite someone from the firm',
    'staff.inviteIntro': 'We will email them an invitation to choose their password.',
    'staff.invite': 'Invite',
    'staff.invited': 'Invitation sent to {email}.',
    'staff.emailTaken': 'There is already an account with that email.',
    'access.title': 'Who can see what',
    'access.link': 'Who can see what',
    'access.full': 'Who can see what: the full report, expired and revoked access included',
    'access.forFolder': 'Who can see “{name}” and its sub-folders, through web users’ access and links sent by email.',
    'access.forUser': 'What {name} can see: their shared folders and the links sent to their email.',
    'access.intro': 'Expired, revoked or disabled access is shown, marked: it is not hidden.',
    'access.empty': 'Nobody has or has had access.',
    'access.kind': 'Kind',
    'access.kind.grant': 'Web user',
    'access.kind.link': 'Email link',
    'access.who': 'Person',
    'access.folder': 'Folder',
    'access.expires': 'Expires',
    'access.status': 'Status',
    'access.lastAccess': 'Last access',
    'access.never': 'Never',
    'access.noExpiry': 'No expiry',
    'access.status.live': 'Has access',
    'access.status.expired': 'Expired',
    'access.status.revoked': 'Revoked',
    'access.status.disabled': 'User disabled',
    'access.status.folder-gone': 'Folder deleted',
    'access.summary': '{live} with access, {other} without',
    'export.button': 'Export their data (GDPR)',
    'export.explain':
      'Downloads a JSON file with everything Carpeta keeps about this person (account, folders, links and ' +
      'activity), to answer a GDPR access request.',
    'export.done': 'Data of {email} downloaded.',
  },
});
