/** Staff accounts, managed by admins: list, invite, change role, disable. */

import type { Language, StaffRole, UserStatus } from '../domain/model.ts';
import { Conflict, NotFound } from '../lib/errors.ts';
import type { StaffCtx } from './access.ts';
import { type Accounts, createAccount, followStatusChange } from './accounts.ts';
import type { Needs } from './ports.ts';
import { staffView } from './views.ts';

export async function listStaffAccounts(deps: Needs<'users'>) {
  const staff = await deps.users.listStaff();
  const sessions = await deps.users.getSessionStates(staff.map((s) => s.id));
  return { staff: staff.map((p) => staffView(p, sessions.get(p.id))) };
}

export async function createStaffAccount(
  deps: Accounts,
  input: { email: string; name: string; role: StaffRole; language?: Language },
  ctx: StaffCtx,
) {
  return staffView(await createAccount(deps, { ...input, kind: 'staff' }, ctx));
}

export async function updateStaffAccount(
  deps: Needs<'users' | 'identity' | 'activity'>,
  id: string,
  input: { name?: string; role?: StaffRole; status?: UserStatus },
  ctx: StaffCtx,
) {
  const { users, identity } = deps;
  const before = await users.getProfile(id);
  if (before?.kind !== 'staff') throw new NotFound();
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
    if (input.role === 'admin') await identity.addToGroups(before.email, ['admin']);
    else await identity.removeFromGroup(before.email, 'admin');
  }
  await followStatusChange(deps, before, input.status, ctx);
  return staffView(after);
}
