/** Staff accounts, managed by admins: list, invite, change role, disable. */
import { Conflict, NotFound } from '../lib/errors.ts';
import { newEvent } from '../domain/activity.ts';
import type { Language } from '../domain/emails.ts';
import * as users from '../store/users.ts';
import { putEvent } from '../store/activity.ts';
import { addToGroups, removeFromGroup, setEnabled } from '../aws/cognito.ts';
import { createAccount, displayStatus } from './webusers.ts';
import type { Ctx } from './documents.ts';

function staffView(p: users.UserProfile, s?: users.SessionState) {
  return {
    id: p.id,
    email: p.email,
    name: p.name,
    role: p.role ?? 'staff',
    status: displayStatus(p, s),
    language: p.language,
    createdAt: p.createdAt,
  };
}

export async function listStaffAccounts() {
  const staff = await users.listStaff();
  const sessions = await users.getSessionStates(staff.map((s) => s.id));
  return { staff: staff.map((p) => staffView(p, sessions.get(p.id))) };
}

export async function createStaffAccount(
  input: { email: string; name: string; role: 'admin' | 'staff'; language?: Language },
  ctx: Ctx,
) {
  return staffView(await createAccount({ ...input, kind: 'staff' }, ctx));
}

export async function updateStaffAccount(
  id: string,
  input: { name?: string; role?: 'admin' | 'staff'; status?: 'active' | 'disabled' },
  ctx: Ctx,
) {
  const before = await users.getProfile(id);
  if (!before || before.kind !== 'staff') throw new NotFound();
  // Nobody can lock themselves out: another admin must do it.
  if (id === ctx.actor.id && ((input.role && input.role !== before.role) || input.status === 'disabled'))
    throw new Conflict('You cannot change your own role or disable yourself.', 'self');
  const after = await users.updateProfile(
    id,
    { name: input.name?.trim() || undefined, role: input.role, status: input.status },
    ctx.now.toISOString(),
  );
  if (!after) throw new NotFound();
  if (input.role && input.role !== before.role) {
    if (input.role === 'admin') await addToGroups(before.email, ['admin']);
    else await removeFromGroup(before.email, 'admin');
  }
  if (input.status && input.status !== before.status) {
    await setEnabled(before.email, input.status === 'active');
    await putEvent(
      newEvent(
        {
          type: input.status === 'disabled' ? 'user.disabled' : 'user.enabled',
          actor: ctx.actor,
          target: { kind: 'user', id, name: before.email },
          ip: ctx.ip,
          userAgent: ctx.userAgent,
        },
        ctx.now,
      ),
    );
  }
  return staffView(after);
}
