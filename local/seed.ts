/**
 * First-start data: the admin account (and, as features land, a demo company).
 * Idempotent, so a start that crashed half-way simply seeds again.
 */
import { createCognitoUser, ensureInGroups, findCognitoUser, setPassword } from '../functions/aws/cognito.ts';
import { getProfile, markActivated, putProfile } from '../functions/store/users.ts';

export async function ensureStaffUser(
  email: string,
  password: string,
  opts: { admin: boolean; name: string },
): Promise<string> {
  const groups = opts.admin ? (['admin', 'staff'] as const) : (['staff'] as const);
  const existing = await findCognitoUser(email);
  const sub = existing?.sub ?? (await createCognitoUser(email, [...groups]));
  if (existing) await ensureInGroups(email, [...groups]);
  await setPassword(email, password);
  const profile = await getProfile(sub);
  if (!profile || profile.role !== (opts.admin ? 'admin' : 'staff')) {
    const now = new Date().toISOString();
    await putProfile(
      {
        id: sub,
        email,
        name: opts.name,
        kind: 'staff',
        role: opts.admin ? 'admin' : 'staff',
        status: 'active',
        language: 'es',
        createdAt: now,
        updatedAt: now,
      },
      true,
    );
  }
  // Seeded accounts never go through an invitation: they are active from the start.
  await markActivated(sub, new Date().toISOString());
  return sub;
}
