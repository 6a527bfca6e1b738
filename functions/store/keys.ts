/**
 * The only module that knows the table's key strings (see docs/ARCHITECTURE.md
 * "Data"). Repositories build every PK/SK/GSI key through these functions.
 */
export const INDEX = { gsi1: 'GSI1', gsi2: 'GSI2' } as const;

export const userKeys = {
  profile: (sub: string) => ({ PK: `USER#${sub}`, SK: 'PROFILE' }),
  byEmail: (email: string) => ({ GSI1PK: `EMAIL#${email.toLowerCase()}`, GSI1SK: 'USER' }),
};
