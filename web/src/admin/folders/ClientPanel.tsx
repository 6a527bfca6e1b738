/**
 * A folder's client identity and its acknowledgement and reminder settings (PATCH /folders/{id}): the
 * client's tax id (NIF, NIE or CIF) and client code, which "Repartir a clientes" matches file names against,
 * whether clients must confirm receipt of the files beneath, and this folder's own reminders (instead of the
 * folder above's or the company's). Shown on every folder but the root; edited in place.
 * A refused value is explained next to its field (a wrong check character, an id another folder holds).
 */
import { useState } from 'preact/hooks';
import * as api from '../../api.ts';
import { ApiError } from '../../api.ts';
import { ErrorMessage, errorText, useLang } from '../../components/ui.tsx';
import { type Key, t } from '../../i18n/index.ts';
import type { ReminderRule, StaffFolder } from '../../types.ts';

type AckChoice = 'inherit' | 'yes' | 'no';
const ackChoice = (v: boolean | null | undefined): AckChoice => (v === true ? 'yes' : v === false ? 'no' : 'inherit');
const ackValue = (c: AckChoice) => (c === 'yes' ? true : c === 'no' ? false : null);
const FOLDER_ACK: Record<AckChoice, Key> = {
  inherit: 'client.ackInherit',
  yes: 'client.ackYes',
  no: 'client.ackNo',
};

type ReminderChoice = 'inherit' | 'own' | 'off';
const reminderChoice = (r: ReminderRule | null | undefined): ReminderChoice =>
  !r ? 'inherit' : r.max === 0 ? 'off' : 'own';
const sameRule = (a: ReminderRule | null | undefined, b: ReminderRule | null) =>
  (a ?? null) === b || (!!a && !!b && a.afterDays === b.afterDays && a.max === b.max);

/** The folder's reminders in words: inherited, none, or "up to N, after D days". */
function reminderText(r: ReminderRule | null | undefined): string {
  if (!r) return t('client.remindInherit');
  if (r.max === 0) return t('client.remindOff');
  return t('client.remindOwnText', { max: r.max, days: r.afterDays });
}

/** The field a refusal is about: the 400's field, or the id a 409 says is taken. */
function fieldOf(err: unknown): 'taxId' | 'clientCode' | undefined {
  if (!(err instanceof ApiError)) return undefined;
  if (err.code === 'tax_id_taken' || (err.status === 400 && err.field === 'taxId')) return 'taxId';
  if (err.code === 'client_code_taken' || (err.status === 400 && err.field === 'clientCode')) return 'clientCode';
  return undefined;
}

export function ClientPanel({ folder, onSaved }: { folder: StaffFolder; onSaved: (f: StaffFolder) => void }) {
  useLang();
  const [editing, setEditing] = useState(false);
  const [taxId, setTaxId] = useState('');
  const [clientCode, setClientCode] = useState('');
  const [ack, setAck] = useState<AckChoice>('inherit');
  const [remind, setRemind] = useState<ReminderChoice>('inherit');
  const [remindMax, setRemindMax] = useState(2);
  const [remindDays, setRemindDays] = useState(7);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const edit = () => {
    setTaxId(folder.taxId ?? '');
    setClientCode(folder.clientCode ?? '');
    setAck(ackChoice(folder.requiresAcknowledgement));
    setRemind(reminderChoice(folder.reminders));
    setRemindMax(folder.reminders?.max || 2);
    setRemindDays(folder.reminders?.afterDays ?? 7);
    setError(undefined);
    setEditing(true);
  };
  const save = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    // Only what changed is sent: an untouched id is not claimed again, an emptied one is cleared (null).
    const changes: Parameters<typeof api.updateFolder>[1] = { version: folder.version };
    if (taxId.trim() !== (folder.taxId ?? '')) changes.taxId = taxId.trim() || null;
    if (clientCode.trim() !== (folder.clientCode ?? '')) changes.clientCode = clientCode.trim() || null;
    if (ack !== ackChoice(folder.requiresAcknowledgement)) changes.requiresAcknowledgement = ackValue(ack);
    const rule: ReminderRule | null =
      remind === 'inherit'
        ? null
        : remind === 'off'
          ? { afterDays: remindDays, max: 0 }
          : { afterDays: remindDays, max: remindMax };
    if (!sameRule(folder.reminders, rule)) changes.reminders = rule;
    try {
      const saved = Object.keys(changes).length > 1 ? await api.updateFolder(folder.id, changes) : folder;
      setEditing(false);
      onSaved(saved);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const errField = fieldOf(error);
  const fieldError = (name: 'taxId' | 'clientCode') =>
    errField === name ? (
      <p class="field-error" id={`client-${name}-error`} role="alert" data-testid={`client-${name}-error`}>
        {errorText(error)}
      </p>
    ) : null;
  const invalid = (name: 'taxId' | 'clientCode') =>
    errField === name ? { 'aria-invalid': true, 'aria-describedby': `client-${name}-error` } : {};

  return (
    <section class="client-panel" aria-labelledby="client-title" data-testid="client-identity">
      <h2 id="client-title">{t('client.title')}</h2>
      {!editing ? (
        <div class="row">
          <dl class="facts grow">
            <div>
              <dt>{t('client.taxId')}</dt>
              <dd data-testid="client-taxid">{folder.taxId ?? t('common.none')}</dd>
            </div>
            <div>
              <dt>{t('client.code')}</dt>
              <dd data-testid="client-code">{folder.clientCode ?? t('common.none')}</dd>
            </div>
            <div>
              <dt>{t('client.ack')}</dt>
              <dd data-testid="client-ack">{t(FOLDER_ACK[ackChoice(folder.requiresAcknowledgement)])}</dd>
            </div>
            <div>
              <dt>{t('client.remind')}</dt>
              <dd data-testid="client-reminders">{reminderText(folder.reminders)}</dd>
            </div>
          </dl>
          <button type="button" class="btn" onClick={edit} aria-label={t('client.editLabel', { name: folder.name })}>
            {t('client.edit')}
          </button>
        </div>
      ) : (
        <form onSubmit={save} data-testid="client-form">
          <p class="hint">{t('client.hint')}</p>
          <div class="filters">
            <div class="field">
              <label for="client-taxId">{t('client.taxId')}</label>
              <input
                id="client-taxId"
                autocomplete="off"
                maxLength={32}
                value={taxId}
                onInput={(e) => setTaxId(e.currentTarget.value)}
                {...invalid('taxId')}
              />
              {fieldError('taxId')}
            </div>
            <div class="field">
              <label for="client-clientCode">{t('client.code')}</label>
              <input
                id="client-clientCode"
                autocomplete="off"
                maxLength={32}
                value={clientCode}
                onInput={(e) => setClientCode(e.currentTarget.value)}
                {...invalid('clientCode')}
              />
              {fieldError('clientCode')}
            </div>
            <div class="field">
              <label for="client-ack">{t('client.ack')}</label>
              <select id="client-ack" value={ack} onChange={(e) => setAck(e.currentTarget.value as AckChoice)}>
                {(['inherit', 'yes', 'no'] as const).map((c) => (
                  <option key={c} value={c}>
                    {t(FOLDER_ACK[c])}
                  </option>
                ))}
              </select>
            </div>
            <div class="field">
              <label for="client-remind">{t('client.remind')}</label>
              <select
                id="client-remind"
                value={remind}
                onChange={(e) => setRemind(e.currentTarget.value as ReminderChoice)}
              >
                <option value="inherit">{t('client.remindInherit')}</option>
                <option value="own">{t('client.remindOwn')}</option>
                <option value="off">{t('client.remindOff')}</option>
              </select>
            </div>
            {remind === 'own' && (
              <>
                <div class="field">
                  <label for="client-remind-max">{t('client.remindMax')}</label>
                  <input
                    id="client-remind-max"
                    type="number"
                    min={1}
                    max={10}
                    value={remindMax}
                    onInput={(e) => setRemindMax(Number(e.currentTarget.value))}
                  />
                </div>
                <div class="field">
                  <label for="client-remind-days">{t('client.remindDays')}</label>
                  <input
                    id="client-remind-days"
                    type="number"
                    min={1}
                    max={365}
                    value={remindDays}
                    onInput={(e) => setRemindDays(Number(e.currentTarget.value))}
                  />
                </div>
              </>
            )}
          </div>
          {!errField && <ErrorMessage error={error} />}
          <div class="row-actions">
            <button type="button" class="btn" onClick={() => setEditing(false)}>
              {t('common.cancel')}
            </button>
            <button type="submit" class="btn btn-primary" disabled={busy}>
              {t('client.save')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
