/**
 * Acknowledgement of receipt on the staff side: the marker on files that ask clients to confirm they
 * received them (their own setting or their folders'), and a file's own setting on its page
 * (PATCH /files/{id} `requiresAcknowledgement`: true, false, or null to follow its folder).
 */
import { useState } from 'preact/hooks';
import * as api from '../api.ts';
import { t } from '../i18n/index.ts';
import type { StaffFile } from '../types.ts';

/** "Acuse de recibo": clients are asked to confirm they received this file. */
export function AckMarker() {
  return (
    <span class="badge badge-ack" title={t('ack.markerHint')} data-testid="ack-marker">
      {t('ack.marker')}
    </span>
  );
}

type AckChoice = 'inherit' | 'yes' | 'no';

/** Asks clients to confirm receipt, or not, or as its folder says: saved as soon as it is picked. */
export function FileAckSetting(props: {
  file: StaffFile;
  /** Saved: the notice to show. */
  onSaved: (notice: string) => void;
  onError: (err: unknown) => void;
}) {
  const { file } = props;
  const [busy, setBusy] = useState(false);
  const own = file.acknowledgementSetting ?? null;
  const choice: AckChoice = own === true ? 'yes' : own === false ? 'no' : 'inherit';
  const change = async (next: AckChoice) => {
    setBusy(true);
    props.onError(undefined);
    try {
      const requiresAcknowledgement = next === 'yes' ? true : next === 'no' ? false : null;
      const saved = await api.updateFile(file.id, { requiresAcknowledgement, version: file.version });
      props.onSaved(t(saved.requiresAcknowledgement ? 'fileAck.savedYes' : 'fileAck.savedNo'));
    } catch (err) {
      props.onError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="field field-inline">
      <label for="file-ack">{t('fileAck.label')}</label>
      <select
        id="file-ack"
        value={choice}
        disabled={busy}
        onChange={(e) => void change(e.currentTarget.value as AckChoice)}
      >
        <option value="inherit">
          {/* With no setting of its own, what its folder decides now. */}
          {own !== null
            ? t('fileAck.inherit')
            : t(file.requiresAcknowledgement ? 'fileAck.inheritYes' : 'fileAck.inheritNo')}
        </option>
        <option value="yes">{t('fileAck.yes')}</option>
        <option value="no">{t('fileAck.no')}</option>
      </select>
    </div>
  );
}
