/**
 * Activity events: the company's proof of what reached whom. Append-only;
 * built here, stored by the activity log. A download URL is minted only
 * after its event is stored. The event types live in model.ts.
 */
import { ulid } from '../lib/ids.ts';
import type { ActivityEvent, EventType, Language } from './model.ts';

export function newEvent(e: Omit<ActivityEvent, 'id' | 'at'>, now: Date): ActivityEvent {
  return { id: ulid(now.getTime()), at: now.toISOString(), ...e };
}

/** Months before this hold no events (the product did not exist). */
export const FIRST_MONTH = '2025-01';

/** The log's month partitions are yyyy-mm (UTC). */
export const monthOf = (d: Date) => d.toISOString().slice(0, 7);

export function previousMonth(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

export function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

const EVENT_NAMES: Record<EventType, Record<Language, string>> = {
  signin: { es: 'Entrada', en: 'Sign-in' },
  'folder.listed': { es: 'Consulta de carpeta', en: 'Folder viewed' },
  preview: { es: 'Vista', en: 'Viewed' },
  download: { es: 'Descarga', en: 'Download' },
  'invitation.sent': { es: 'Invitación enviada', en: 'Invitation sent' },
  'invitation.accepted': { es: 'Invitación aceptada', en: 'Invitation accepted' },
  'grant.added': { es: 'Carpeta compartida', en: 'Folder shared' },
  'grant.removed': { es: 'Acceso retirado', en: 'Access removed' },
  'link.sent': { es: 'Enlace enviado', en: 'Link sent' },
  'link.opened': { es: 'Enlace abierto', en: 'Link opened' },
  'link.revoked': { es: 'Enlace revocado', en: 'Link revoked' },
  'user.created': { es: 'Usuario creado', en: 'User created' },
  'user.disabled': { es: 'Usuario desactivado', en: 'User disabled' },
  'user.enabled': { es: 'Usuario activado', en: 'User enabled' },
  'user.erased': { es: 'Usuario borrado', en: 'User erased' },
  'two_step.enabled': { es: 'Verificación en dos pasos activada', en: 'Two-step verification turned on' },
  'access.denied': { es: 'Acceso denegado', en: 'Access denied' },
  'folder.created': { es: 'Carpeta creada', en: 'Folder created' },
  'folder.updated': { es: 'Carpeta cambiada', en: 'Folder changed' },
  'file.uploaded': { es: 'Archivo subido', en: 'File uploaded' },
  'file.updated': { es: 'Archivo cambiado', en: 'File changed' },
  'version.restored': { es: 'Versión anterior recuperada', en: 'Older version made current' },
  'item.trashed': { es: 'Enviado a la papelera', en: 'Moved to trash' },
  'item.restored': { es: 'Recuperado de la papelera', en: 'Restored from trash' },
  acknowledged: { es: 'Recepción confirmada', en: 'Receipt acknowledged' },
  'reminder.sent': { es: 'Recordatorio enviado', en: 'Reminder sent' },
};

/** An event type in words, for a reader of that language (the export; the site has its own dictionaries). */
export const eventName = (type: string, language: Language): string =>
  EVENT_NAMES[type as EventType]?.[language] ?? type;
