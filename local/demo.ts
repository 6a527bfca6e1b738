/** The demo company a newcomer sees after `npm start`. Grows as features land. */
export async function seedDemo(_opts: { adminId: string }): Promise<void> {}
